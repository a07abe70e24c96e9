// Saved answers on disk: one JSON file per answer, bounded by count and bytes (oldest pruned
// first). Pure: the host passes a small file port (nodeHistoryFs.ts) over the extension's
// storage folder; tests pass a temporary folder.

import { parseSessionRecord, type SessionRecord } from '../stream/sessionRecord';

export interface HistoryFs {
  /** File names in the history folder (none when it does not exist yet). */
  list(): Promise<string[]>;
  read(name: string): Promise<string>;
  /** Replaces the file atomically (a crash mid-write leaves the old file or the new one). */
  write(name: string, data: string): Promise<void>;
  remove(name: string): Promise<void>;
}

export interface HistoryLimits {
  maxAnswers: number;
  maxBytes: number;
}

interface Entry {
  id: string;
  createdAt: number;
  bytes: number;
}

const FILE_RE = /^([A-Za-z0-9_-]{1,80})\.json$/;

export class HistoryStore {
  private readonly entries = new Map<string, Entry>();
  /** Writes per answer run one after another, so an older save never lands after a newer one. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly fs: HistoryFs,
    private readonly limits: () => HistoryLimits,
    private readonly log: (line: string) => void,
  ) {}

  /** Every readable saved answer, newest first. Unreadable or corrupt files are skipped and logged. */
  async load(): Promise<SessionRecord[]> {
    let names: string[];
    try {
      names = await this.fs.list();
    } catch (e) {
      this.log(`History: could not list the history folder (${errorText(e)}); starting empty`);
      return [];
    }
    const records: SessionRecord[] = [];
    for (const name of names) {
      const m = FILE_RE.exec(name);
      if (!m) continue;
      try {
        const text = await this.fs.read(name);
        const record = parseSessionRecord(JSON.parse(text));
        if (!record || record.id !== m[1]) {
          this.log(`History: skipped ${name} (not a saved answer of this version)`);
          continue;
        }
        this.entries.set(record.id, { id: record.id, createdAt: record.createdAt, bytes: byteLength(text) });
        records.push(record);
      } catch (e) {
        this.log(`History: skipped ${name} (${errorText(e)})`);
      }
    }
    return records.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Saves (or replaces) one answer, then prunes the oldest past the limits. Never throws. */
  save(record: SessionRecord): Promise<void> {
    return this.enqueue(record.id, async () => {
      const text = JSON.stringify(record);
      await this.fs.write(`${record.id}.json`, text);
      this.entries.set(record.id, { id: record.id, createdAt: record.createdAt, bytes: byteLength(text) });
      await this.prune(record.id);
    });
  }

  delete(id: string): Promise<void> {
    return this.enqueue(id, async () => {
      this.entries.delete(id);
      await this.fs.remove(`${id}.json`);
    });
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Ids pruned by the last save (the view drops them). */
  readonly pruned = new Set<string>();

  /** Settles when every queued write has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private async prune(keep: string): Promise<void> {
    const { maxAnswers, maxBytes } = this.limits();
    const oldestFirst = [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt);
    let count = oldestFirst.length;
    let bytes = oldestFirst.reduce((n, e) => n + e.bytes, 0);
    for (const e of oldestFirst) {
      if (count <= Math.max(1, maxAnswers) && bytes <= maxBytes) break;
      if (e.id === keep) continue;
      this.entries.delete(e.id);
      count--;
      bytes -= e.bytes;
      this.pruned.add(e.id);
      await this.fs.remove(`${e.id}.json`).catch((err: unknown) => this.log(`History: could not prune ${e.id} (${errorText(err)})`));
    }
  }

  private enqueue(id: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(work).catch((e: unknown) => this.log(`History: could not save ${id} (${errorText(e)})`));
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
