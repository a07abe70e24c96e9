/**
 * The queue every request goes through: at most `concurrency` jobs run at once, each job can
 * be cancelled (its AbortSignal fires), and the whole queue stops starting jobs while the API
 * asks us to wait (429 `retry-after`). Pure: no `vscode`; timers are injectable for tests.
 */

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobInfo {
  id: number;
  label: string;
  state: JobState;
  enqueuedAt: number;
  startedAt?: number;
  endedAt?: number;
}

export interface JobContext {
  id: number;
  signal: AbortSignal;
}

export interface Job<T> {
  readonly id: number;
  readonly label: string;
  readonly state: JobState;
  /** Settles when the job ends; rejects with the job's error or a `JobCancelledError`. */
  readonly promise: Promise<T>;
  cancel(): void;
}

export class JobCancelledError extends Error {
  constructor(label: string) {
    super(`Cancelled: ${label}`);
    this.name = 'JobCancelledError';
  }
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Entry {
  info: JobInfo;
  run: (ctx: JobContext) => Promise<unknown>;
  controller: AbortController;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface QueueSnapshot {
  running: JobInfo[];
  queued: JobInfo[];
  /** Epoch ms until which no job starts (rate limited), if any. */
  pausedUntil?: number;
  finished: { succeeded: number; failed: number; cancelled: number };
}

export class JobQueue {
  private nextId = 1;
  private readonly queued: Entry[] = [];
  private readonly running = new Map<number, Entry>();
  private pausedUntil = 0;
  private resumeTimer: unknown;
  private readonly listeners = new Set<() => void>();
  private readonly finished = { succeeded: 0, failed: 0, cancelled: 0 };

  constructor(private concurrency: number, private readonly clock: Clock = realClock) {
    if (concurrency < 1) this.concurrency = 1;
  }

  enqueue<T>(label: string, run: (ctx: JobContext) => Promise<T>): Job<T> {
    const controller = new AbortController();
    const info: JobInfo = { id: this.nextId++, label, state: 'queued', enqueuedAt: this.clock.now() };
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res as (v: unknown) => void;
      reject = rej;
    });
    const entry: Entry = { info, run, controller, resolve, reject };
    this.queued.push(entry);
    this.changed();
    this.pump();
    return {
      id: info.id,
      label,
      get state() {
        return info.state;
      },
      promise,
      cancel: () => this.cancel(info.id),
    };
  }

  /** Cancels a queued or running job; a finished job is left alone. */
  cancel(id: number): boolean {
    const qi = this.queued.findIndex((e) => e.info.id === id);
    if (qi >= 0) {
      const [entry] = this.queued.splice(qi, 1);
      entry.controller.abort();
      this.settle(entry, 'cancelled', new JobCancelledError(entry.info.label));
      this.pump();
      return true;
    }
    const entry = this.running.get(id);
    if (!entry) return false;
    // The job sees the abort through its signal; it settles as cancelled whatever it returns.
    entry.controller.abort();
    this.running.delete(id);
    this.settle(entry, 'cancelled', new JobCancelledError(entry.info.label));
    this.pump();
    return true;
  }

  cancelAll(): void {
    for (const e of [...this.queued]) this.cancel(e.info.id);
    for (const id of [...this.running.keys()]) this.cancel(id);
  }

  setConcurrency(n: number): void {
    this.concurrency = Math.max(1, Math.floor(n));
    this.pump();
  }

  /** Starts no new job for `ms` (the API said 429 with `retry-after`); running jobs continue. */
  pauseFor(ms: number): void {
    const until = this.clock.now() + Math.max(0, ms);
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.resumeTimer !== undefined) this.clock.clearTimeout(this.resumeTimer);
    this.resumeTimer = this.clock.setTimeout(() => {
      this.resumeTimer = undefined;
      this.changed();
      this.pump();
    }, ms);
    this.changed();
  }

  snapshot(): QueueSnapshot {
    const paused = this.pausedUntil > this.clock.now() ? this.pausedUntil : undefined;
    return {
      running: [...this.running.values()].map((e) => ({ ...e.info })),
      queued: this.queued.map((e) => ({ ...e.info })),
      pausedUntil: paused,
      finished: { ...this.finished },
    };
  }

  get size(): number {
    return this.queued.length + this.running.size;
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.cancelAll();
    if (this.resumeTimer !== undefined) this.clock.clearTimeout(this.resumeTimer);
    this.listeners.clear();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queued.length && this.pausedUntil <= this.clock.now()) {
      const entry = this.queued.shift()!;
      this.start(entry);
    }
  }

  private start(entry: Entry): void {
    entry.info.state = 'running';
    entry.info.startedAt = this.clock.now();
    this.running.set(entry.info.id, entry);
    this.changed();
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(entry.run({ id: entry.info.id, signal: entry.controller.signal }));
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then(
      (v) => this.finish(entry, 'succeeded', v),
      (e) => this.finish(entry, entry.controller.signal.aborted ? 'cancelled' : 'failed', e),
    );
  }

  private finish(entry: Entry, state: 'succeeded' | 'failed' | 'cancelled', value: unknown): void {
    if (!this.running.has(entry.info.id)) return; // already settled by cancel()
    this.running.delete(entry.info.id);
    if (state === 'succeeded') this.settle(entry, state, undefined, value);
    else this.settle(entry, state, state === 'cancelled' ? new JobCancelledError(entry.info.label) : value);
    this.pump();
  }

  private settle(entry: Entry, state: JobState, error?: unknown, value?: unknown): void {
    entry.info.state = state;
    entry.info.endedAt = this.clock.now();
    this.finished[state as 'succeeded' | 'failed' | 'cancelled']++;
    if (state === 'succeeded') entry.resolve(value);
    else entry.reject(error);
    this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A faulty listener must not break the queue.
      }
    }
  }
}
