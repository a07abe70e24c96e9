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

/**
 * Entries kept in a manifest's head: the tree's first pages (200 children, "Load more…" adds
 * 200) without reading the whole manifest, which is ~12 MB for 100,000 requests.
 */
export const HEAD_ENTRIES = 1000;

/** The first `HEAD_ENTRIES` entries of a manifest, and how many the whole one has. */
export interface ManifestHead extends ManifestFile {
  total: number;
}

export function toManifestHead(entries: readonly ManifestEntry[]): ManifestHead {
  return { ...toManifestFile(entries.slice(0, HEAD_ENTRIES)), total: entries.length };
}

/** A head that cannot serve entries up to `end` (or is not a head at all) is `undefined`. */
export function headCovering(head: Partial<ManifestHead> | undefined, end: number): ManifestHead | undefined {
  if (!head || typeof head.total !== 'number' || !Array.isArray(head.customIds)) return undefined;
  return end <= head.customIds.length || head.customIds.length === head.total ? (head as ManifestHead) : undefined;
}

/** Parses a manifest file written by `toManifestFile` (or a head by `toManifestHead`). */
export function parseManifestFile(data: Uint8Array): ManifestFile {
  return JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as ManifestFile;
}
