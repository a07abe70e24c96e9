import type { ResultState } from './mapResult';

/** Per-batch ledger of what was written: lets a second fetch skip files and resume a broken one. */
export const LEDGER_FILE = '.written.jsonl';
/**
 * The ledger's entries as columns, for a ledger of exactly `ledgerBytes`: a refetch reads it
 * instead of parsing one JSON object per line (100,000 lines, ~20 MB, for a large batch).
 */
export const LEDGER_SNAPSHOT_FILE = '.written.snapshot.json';

export interface LedgerEntry {
  id: string;
  /** Relative to the batch folder. */
  path: string;
  sha: string;
  size: number;
  state: ResultState;
  rel?: string;
  /** `resultFormat()` when written; absent in ledgers written before it existed. */
  fmt?: string;
}

/** The ledger's lines; a torn line (a crash mid-append) is skipped, so that result is written again. */
export function parseLedgerLines(data: Uint8Array): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const line of Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8').split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as LedgerEntry);
    } catch {
      // A crash can tear the last line; that result is simply written again.
    }
  }
  return entries;
}

interface SnapshotFile {
  v: 1;
  /** Size of the ledger the snapshot was taken of: any append (or rewrite) makes it stale. */
  ledgerBytes: number;
  ids: string[];
  /** Folder of each entry, an index into `folders` (few distinct values). */
  dir: number[];
  folders: string[];
  names: string[];
  rels: (string | null)[];
  sizes: number[];
  /** The hashes, 64 hex characters each, one string (no per-entry string to parse). */
  shas: string;
  fmt: number[];
  fmts: (string | null)[];
  state: number[];
  states: ResultState[];
}

const SHA_HEX = 64;

/**
 * An entry read back from a snapshot. `path` and `sha` are built when asked: a refetch that
 * finds every result written asks for neither, and 100,000 of each would cost more than the parse.
 */
class SnapshotEntry implements LedgerEntry {
  constructor(
    private readonly file: SnapshotFile,
    private readonly i: number,
    readonly id: string,
    readonly size: number,
    readonly state: ResultState,
    readonly rel: string | undefined,
    readonly fmt: string | undefined,
  ) {}

  get dir(): string {
    return this.file.folders[this.file.dir[this.i] as number] as string;
  }

  get name(): string {
    return this.file.names[this.i] as string;
  }

  get path(): string {
    const dir = this.dir;
    return dir ? `${dir}/${this.name}` : this.name;
  }

  get sha(): string {
    return this.file.shas.slice(this.i * SHA_HEX, (this.i + 1) * SHA_HEX);
  }
}

export function ledgerSnapshot(entries: Iterable<LedgerEntry>, ledgerBytes: number): string {
  const file: SnapshotFile = { v: 1, ledgerBytes, ids: [], dir: [], folders: [], names: [], rels: [], sizes: [], shas: '', fmt: [], fmts: [], state: [], states: [] };
  const folders = new Map<string, number>();
  const fmts = new Map<string | undefined, number>();
  const states = new Map<ResultState, number>();
  const index = <K>(map: Map<K, number>, table: unknown[], key: K, value: unknown = key): number => {
    let i = map.get(key);
    if (i === undefined) map.set(key, (i = table.push(value) - 1));
    return i;
  };
  const shas: string[] = [];
  for (const e of entries) {
    const { dir, name } = entryDir(e);
    file.ids.push(e.id);
    file.dir.push(index(folders, file.folders, dir));
    file.names.push(name);
    file.rels.push(e.rel ?? null);
    file.sizes.push(e.size);
    shas.push(e.sha.length === SHA_HEX ? e.sha : e.sha.padEnd(SHA_HEX, '0').slice(0, SHA_HEX));
    file.fmt.push(index(fmts, file.fmts, e.fmt, e.fmt ?? null));
    file.state.push(index(states, file.states, e.state));
  }
  file.shas = shas.join('');
  return JSON.stringify(file);
}

/** The snapshot's entries, or `undefined` when it is missing, unreadable or not of this ledger. */
export function entriesOfSnapshot(data: Uint8Array | undefined, ledgerBytes: number): LedgerEntry[] | undefined {
  if (!data) return undefined;
  let file: SnapshotFile;
  try {
    file = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as SnapshotFile;
  } catch {
    return undefined;
  }
  if (file?.v !== 1 || file.ledgerBytes !== ledgerBytes || !Array.isArray(file.ids)) return undefined;
  const n = file.ids.length;
  for (const column of [file.dir, file.names, file.rels, file.sizes, file.fmt, file.state]) if (!Array.isArray(column) || column.length !== n) return undefined;
  if (typeof file.shas !== 'string' || file.shas.length !== n * SHA_HEX) return undefined;
  const entries: LedgerEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    entries[i] = new SnapshotEntry(file, i, file.ids[i] as string, file.sizes[i] as number, file.states[file.state[i] as number] as ResultState,
      file.rels[i] ?? undefined, file.fmts[file.fmt[i] as number] ?? undefined);
  }
  return entries;
}

/** The entry's folder (relative to the batch folder, `''` at its top) and file name. */
export function entryDir(e: LedgerEntry): { dir: string; name: string } {
  if (e instanceof SnapshotEntry) return { dir: e.dir, name: e.name };
  const i = e.path.lastIndexOf('/');
  return i === -1 ? { dir: '', name: e.path } : { dir: e.path.slice(0, i), name: e.path.slice(i + 1) };
}
