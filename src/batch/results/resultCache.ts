import { createHash } from 'node:crypto';
import type { FsPort } from '../store/fsPort';
import type { MappedResult } from './mapResult';
import { safeBatchDir } from './resultPaths';

const DIR = 'results';
/** "Run now" results have no endpoint to fetch them again: keep this many runs. */
export const KEEP_RUNS = 5;
const RUN_PREFIX = 'run-';
/** Not a result file name: those are 40 hex characters. */
const INDEX_LABELS = 'index-labels.json';

/**
 * One file per mapped result, written as results stream past in editor mode, so that any entry
 * of the index opens on demand (lazily) without holding the results in memory or downloading
 * the whole JSONL again. "Run now" results live only here.
 */
export class ResultCacheStore {
  constructor(private readonly fs: FsPort) {}

  async put(batchId: string, result: MappedResult): Promise<void> {
    const dir = `${DIR}/${safeBatchDir(batchId)}`;
    await this.fs.mkdir(dir);
    // A torn file reads as a miss (the caller falls back to the endpoint): no need to rename.
    await this.fs.writeFile(`${dir}/${fileOf(result.customId)}`, JSON.stringify(result), { atomic: false });
  }

  async get(batchId: string, customId: string): Promise<MappedResult | undefined> {
    const data = await this.fs.readFile(`${DIR}/${safeBatchDir(batchId)}/${fileOf(customId)}`);
    if (!data) return undefined;
    try {
      const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as MappedResult;
      return parsed.customId === customId && typeof parsed.markdown === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** The editor-mode index's label → custom_id map, so its plain entries can link to results. */
  async putIndex(batchId: string, labels: ReadonlyMap<string, string>): Promise<void> {
    const dir = `${DIR}/${safeBatchDir(batchId)}`;
    await this.fs.mkdir(dir);
    await this.fs.writeFile(`${dir}/${INDEX_LABELS}`, JSON.stringify([...labels]));
  }

  async getIndex(batchId: string): Promise<Map<string, string>> {
    const data = await this.fs.readFile(`${DIR}/${safeBatchDir(batchId)}/${INDEX_LABELS}`);
    try {
      return new Map(data ? (JSON.parse(Buffer.from(data).toString('utf8')) as [string, string][]) : []);
    } catch {
      return new Map();
    }
  }

  /** Forgets a batch's (or run's) cached results. */
  async remove(batchId: string): Promise<void> {
    const dir = `${DIR}/${safeBatchDir(batchId)}`;
    if (this.fs.removeDir) return this.fs.removeDir(dir);
    for (const name of await this.fs.listDir(dir)) await this.fs.deleteFile(`${dir}/${name}`);
  }

  /** Keeps the newest `keep` runs (run ids sort by time) and removes the others. */
  async pruneRuns(keep = KEEP_RUNS): Promise<string[]> {
    const runs = (await this.fs.listDir(DIR)).filter((n) => n.startsWith(RUN_PREFIX)).sort();
    const old = runs.slice(0, Math.max(0, runs.length - keep));
    for (const run of old) await this.remove(run);
    return old;
  }
}

/** A new "Run now" id: `run-<UTC yyyymmddhhmmssSSS>`; sorts by time. */
export function newRunId(now = new Date()): string {
  return `${RUN_PREFIX}${now.toISOString().replace(/[^0-9]/g, '').slice(0, 17)}`;
}

/** custom_ids of external batches are not ours: hash them into a safe, collision-free name. */
function fileOf(customId: string): string {
  return `${createHash('sha256').update(customId).digest('hex').slice(0, 40)}.json`;
}
