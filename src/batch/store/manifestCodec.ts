import type { ManifestEntry } from '../requests/requestBuilder';

/**
 * Columnar on disk, because the tree pages 100,000 children from a cold start: one JSON.parse
 * of a few arrays is far faster than of 100,000 objects. Hashes are one fixed-width hex string
 * (no per-item parsing), and URIs that are `uriBase + relPath` (the usual case) are stored as
 * `""`.
 */
export interface ManifestFile {
  v: 2;
  customIds: string[];
  relPaths: string[];
  uriBase: string;
  uris: string[];
  bytes: number[];
  sha256: string;
}

const SHA_HEX = 64;

export function toManifestFile(entries: readonly ManifestEntry[]): ManifestFile {
  const first = entries[0];
  const uriBase = first && first.uri.endsWith(first.relPath) ? first.uri.slice(0, first.uri.length - first.relPath.length) : '';
  return {
    v: 2,
    customIds: entries.map((e) => e.customId),
    relPaths: entries.map((e) => e.relPath),
    uriBase,
    uris: entries.map((e) => (uriBase && e.uri === uriBase + e.relPath ? '' : e.uri)),
    bytes: entries.map((e) => e.bytes),
    sha256: entries.map((e) => e.sha256.padEnd(SHA_HEX, '0').slice(0, SHA_HEX)).join(''),
  };
}

export function entryAt(file: ManifestFile, i: number): ManifestEntry {
  const relPath = file.relPaths[i] as string;
  return {
    customId: file.customIds[i] as string,
    uri: (file.uris[i] as string) || file.uriBase + relPath,
    relPath,
    bytes: file.bytes[i] as number,
    sha256: file.sha256.slice(i * SHA_HEX, (i + 1) * SHA_HEX),
  };
}

/** Parses a manifest file written by `toManifestFile`. */
export function parseManifestFile(data: Uint8Array): ManifestFile {
  return JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as ManifestFile;
}
