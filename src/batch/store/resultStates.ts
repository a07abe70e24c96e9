import type { FsPort } from './fsPort';
import type { ResultState } from '../results/mapResult';

const DIR = 'states';

/**
 * Per-request result states of ended batches (custom_id → state), kept next to the store so the
 * tree shows them after a restart without downloading the results again. One small JSON file
 * per batch, replaced atomically; results are final once a batch has ended, so merging is enough.
 */
export class ResultStateStore {
  private readonly cache = new Map<string, Map<string, ResultState>>();

  constructor(private readonly fs: FsPort) {}

  /** The known states of a batch (empty when never fetched). */
  async get(batchId: string): Promise<ReadonlyMap<string, ResultState>> {
    const cached = this.cache.get(batchId);
    if (cached) return cached;
    const data = await this.fs.readFile(pathOf(batchId));
    const map = new Map<string, ResultState>();
    if (data) {
      try {
        const obj = JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, ResultState>;
        for (const [id, state] of Object.entries(obj)) map.set(id, state);
      } catch {
        // A torn file only means the states are fetched again.
      }
    }
    this.cache.set(batchId, map);
    return map;
  }

  /** True when states were recorded for this batch. */
  async has(batchId: string): Promise<boolean> {
    return (await this.get(batchId)).size > 0;
  }

  /** Merges `states` into what is known and writes the file. */
  async merge(batchId: string, states: Iterable<readonly [string, ResultState]>): Promise<void> {
    const map = new Map(await this.get(batchId));
    for (const [id, state] of states) map.set(id, state);
    this.cache.set(batchId, map);
    await this.fs.mkdir(DIR);
    await this.fs.writeFile(pathOf(batchId), JSON.stringify(Object.fromEntries(map)));
  }

  async remove(batchId: string): Promise<void> {
    this.cache.delete(batchId);
    await this.fs.deleteFile(pathOf(batchId));
  }
}

function pathOf(batchId: string): string {
  return `${DIR}/${batchId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}
