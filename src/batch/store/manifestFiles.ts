import type { ManifestEntry } from '../requests/requestBuilder';
import type { FsPort } from './fsPort';
import { entryAt, HEAD_ENTRIES, headCovering, parseManifestFile, toManifestFile, toManifestHead, type ManifestFile, type ManifestHead } from './manifestCodec';
import type { BatchRecord } from './records';

export const MANIFESTS = 'manifests';
/** `manifests/<id>.json`'s first entries, as `manifest-heads/<id>.json` (see `HEAD_ENTRIES`). */
export const HEADS = 'manifest-heads';
const MANIFEST_CACHE_SIZE = 4;
/** Heads are ~1% of a large manifest: the first page of every batch shown stays cached. */
const HEAD_CACHE_SIZE = 64;

export interface ManifestPage {
  total: number;
  entries: ManifestEntry[];
}

/**
 * A batch's manifest on disk (what file each custom_id came from, with its hash), with its head
 * and a small cache of parsed manifests: the part of the batch store that pages through them.
 */
export class ManifestFiles {
  private readonly manifests = new Map<string, ManifestFile>();
  private readonly heads = new Map<string, ManifestHead>();

  constructor(private readonly fs: FsPort) {}

  /** Writes `manifests/<localId>.json`, then its head; returns the manifest's path. */
  async write(localId: string, manifest: readonly ManifestEntry[]): Promise<string> {
    const manifestFile = `${MANIFESTS}/${localId}.json`;
    await this.fs.writeFile(manifestFile, JSON.stringify(toManifestFile(manifest)));
    // After the manifest: a head is only ever a shortcut to it (a missing head reads the manifest).
    await this.fs.writeFile(headPath(manifestFile), JSON.stringify(toManifestHead(manifest)));
    return manifestFile;
  }

  /**
   * `limit` manifest entries from `offset`. The first call reads and caches the manifest
   * (one JSON.parse of a columnar file), or only its head for a first page; later pages are
   * slices. External batches have none.
   */
  async page(record: BatchRecord, offset: number, limit: number): Promise<ManifestPage> {
    const file = (await this.loadHead(record, offset + limit)) ?? (await this.loadManifest(record));
    if (!file) return { total: 0, entries: [] };
    const total = (file as Partial<ManifestHead>).total ?? file.customIds.length;
    const end = Math.min(total, offset + limit);
    const entries: ManifestEntry[] = [];
    for (let i = Math.max(0, offset); i < end; i++) entries.push(entryAt(file, i));
    return { total, entries };
  }

  /** The files a record's manifest occupies (garbage collection keeps these). */
  pathsOf(record: Pick<BatchRecord, 'manifestFile'>): string[] {
    return record.manifestFile ? [record.manifestFile, headPath(record.manifestFile)] : [];
  }

  /** Deletes a record's manifest and head, and forgets them. */
  async delete(record: BatchRecord): Promise<void> {
    for (const p of this.pathsOf(record)) await this.fs.deleteFile(p);
    this.manifests.delete(record.localId);
    this.heads.delete(record.localId);
  }

  /**
   * The manifest's head when it holds entries up to `end` and the whole manifest is not loaded
   * yet: the tree's first page of a 100,000-request batch then parses 1% of the manifest.
   * Records written before heads existed have none, and read the manifest as before.
   */
  private async loadHead(record: BatchRecord, end: number): Promise<ManifestHead | undefined> {
    if (!record.manifestFile || end > HEAD_ENTRIES || this.manifests.has(record.localId)) return undefined;
    const known = this.heads.get(record.localId);
    if (known) return headCovering(known, end);
    const data = await this.fs.readFile(headPath(record.manifestFile));
    if (!data) return undefined;
    let head: ManifestHead | undefined;
    try {
      head = headCovering(parseManifestFile(data) as Partial<ManifestHead>, HEAD_ENTRIES);
    } catch {
      // A torn head (crash while writing it) is only a lost shortcut.
    }
    if (!head) return undefined;
    this.heads.set(record.localId, head);
    if (this.heads.size > HEAD_CACHE_SIZE) this.heads.delete(this.heads.keys().next().value as string);
    return headCovering(head, end);
  }

  private async loadManifest(record: BatchRecord): Promise<ManifestFile | undefined> {
    if (!record.manifestFile) return undefined;
    const cached = this.manifests.get(record.localId);
    if (cached) {
      // Re-insert to keep the map in least-recently-used order.
      this.manifests.delete(record.localId);
      this.manifests.set(record.localId, cached);
      return cached;
    }
    const data = await this.fs.readFile(record.manifestFile);
    if (!data) return undefined;
    const file = parseManifestFile(data);
    this.manifests.set(record.localId, file);
    if (this.manifests.size > MANIFEST_CACHE_SIZE) {
      const oldest = this.manifests.keys().next().value;
      if (oldest !== undefined) this.manifests.delete(oldest);
    }
    return file;
  }
}

function headPath(manifestFile: string): string {
  return `${HEADS}/${manifestFile.slice(manifestFile.lastIndexOf('/') + 1)}`;
}
