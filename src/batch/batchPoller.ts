import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { nextPollDelay, shouldPoll } from './poll';
import type { PollState } from './poll';

export interface PollerClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerDeps {
  retrieve(batchId: string): Promise<MessageBatch>;
  /** Every successful poll; `changed` is false when status and counts are as before. */
  onBatch(batch: MessageBatch, changed: boolean): void | Promise<void>;
  onError?(batchId: string, err: unknown): void;
  /** Read at each poll so a settings change applies to the next delay. */
  baseSeconds(): number;
  clock?: PollerClock;
  rng?: () => number;
}

interface Tracked {
  state: PollState;
  timer: unknown;
  last?: string;
  busy: boolean;
}

const realClock: PollerClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Polls batches that can still change (`in_progress`, `canceling`) with back-off: base
 * interval, ×1.5 while nothing changes, ×2 with jitter after errors (see `nextPollDelay`).
 * A batch stops being polled as soon as it is seen in any other status.
 */
export class BatchPoller {
  private readonly tracked = new Map<string, Tracked>();
  private readonly clock: PollerClock;
  private disposed = false;

  constructor(private readonly deps: PollerDeps) {
    this.clock = deps.clock ?? realClock;
  }

  /** Starts polling `batchId` if its status can change; `immediately` polls at once. */
  track(batchId: string, status: MessageBatch['processing_status'] | undefined, immediately = false): void {
    if (this.disposed || !shouldPoll(status)) return;
    const existing = this.tracked.get(batchId);
    if (existing) {
      if (immediately) this.schedule(batchId, existing, 0);
      return;
    }
    const t: Tracked = { state: { baseSeconds: this.deps.baseSeconds(), unchangedPolls: 0, consecutiveErrors: 0 }, timer: undefined, busy: false };
    this.tracked.set(batchId, t);
    this.schedule(batchId, t, immediately ? 0 : undefined);
  }

  /** Polls now (e.g. after a cancel or a refresh) and resets the back-off. */
  pollNow(batchId: string): void {
    const t = this.tracked.get(batchId);
    if (!t) return;
    t.state.unchangedPolls = 0;
    this.schedule(batchId, t, 0);
  }

  untrack(batchId: string): void {
    const t = this.tracked.get(batchId);
    if (t?.timer !== undefined) this.clock.clearTimeout(t.timer);
    this.tracked.delete(batchId);
  }

  isPolling(batchId: string): boolean {
    return this.tracked.has(batchId);
  }

  get size(): number {
    return this.tracked.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.tracked.keys()]) this.untrack(id);
  }

  private schedule(batchId: string, t: Tracked, ms?: number): void {
    if (t.timer !== undefined) this.clock.clearTimeout(t.timer);
    t.state.baseSeconds = this.deps.baseSeconds();
    const delay = ms ?? nextPollDelay(t.state, this.deps.rng);
    t.timer = this.clock.setTimeout(() => void this.poll(batchId, t), delay);
  }

  private async poll(batchId: string, t: Tracked): Promise<void> {
    t.timer = undefined;
    if (this.tracked.get(batchId) !== t || t.busy) return;
    t.busy = true;
    let batch: MessageBatch | undefined;
    try {
      batch = await this.deps.retrieve(batchId);
      t.state.consecutiveErrors = 0;
    } catch (err) {
      t.state.consecutiveErrors++;
      this.deps.onError?.(batchId, err);
    }
    t.busy = false;
    if (this.tracked.get(batchId) !== t) return;
    if (batch) {
      const key = JSON.stringify([batch.processing_status, batch.request_counts]);
      const changed = key !== t.last;
      t.state.unchangedPolls = changed ? 0 : t.state.unchangedPolls + 1;
      t.last = key;
      if (!shouldPoll(batch.processing_status)) this.tracked.delete(batchId);
      try {
        await this.deps.onBatch(batch, changed);
      } catch (err) {
        this.deps.onError?.(batchId, err);
      }
      if (this.tracked.get(batchId) !== t || this.disposed) return;
    }
    this.schedule(batchId, t);
  }
}
