// Saves answers as they stream, at a bounded rate: at most one write per answer per interval,
// whatever the delta rate, plus one when the answer ends. Pure; timers are injectable.

import type { SessionRecord } from '../stream/sessionRecord';

export interface Saveable {
  readonly id: string;
  readonly isRunning: boolean;
  toRecord(): SessionRecord;
}

export interface HistoryWriterOptions {
  save: (record: SessionRecord) => Promise<void>;
  /** Shortest time between two writes of one answer while it streams. */
  intervalMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const DEFAULT_SAVE_INTERVAL_MS = 1000;

export class HistoryWriter {
  private readonly timers = new Map<string, unknown>();
  private readonly tracked = new Map<string, Saveable>();
  /** Writes issued (the bench and tests read it to check the rate). */
  writes = 0;
  private closed = false;

  constructor(private readonly options: HistoryWriterOptions) {}

  /** Something changed in `s`: save now if it ended, else within the interval. */
  changed(s: Saveable): void {
    if (this.closed) return;
    this.tracked.set(s.id, s);
    if (!s.isRunning) {
      void this.saveNow(s.id);
      return;
    }
    if (this.timers.has(s.id)) return;
    const set = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timers.set(s.id, set(() => {
      this.timers.delete(s.id);
      void this.saveNow(s.id);
    }, this.options.intervalMs ?? DEFAULT_SAVE_INTERVAL_MS));
  }

  /** Saves one answer now (a pending timed save is folded in). */
  saveNow(id: string): Promise<void> {
    const s = this.tracked.get(id);
    this.cancelTimer(id);
    if (!s) return Promise.resolve();
    if (!s.isRunning) this.tracked.delete(id);
    this.writes++;
    return this.options.save(s.toRecord());
  }

  /** Saves everything pending now (the window is closing). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.tracked.keys()].map((id) => this.saveNow(id)));
  }

  /** Stops tracking `id` (deleted from history). */
  forget(id: string): void {
    this.cancelTimer(id);
    this.tracked.delete(id);
  }

  /** Stops every timer and forgets everything (after a final flush); later changes are not saved. */
  detachAll(): void {
    this.closed = true;
    for (const id of [...this.timers.keys()]) this.cancelTimer(id);
    this.tracked.clear();
  }

  private cancelTimer(id: string): void {
    const t = this.timers.get(id);
    if (t === undefined) return;
    (this.options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(t);
    this.timers.delete(id);
  }
}
