import type { BatchCreateParams, MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchStore } from './batches';
import { ConversationCache } from './conversationCache';
import { PromptCache } from './promptCache';
import type {
  ClosedEarlyEvent,
  CreateFailure,
  EndBatchOptions,
  RecordedRequest,
  Script,
  StreamTiming,
  SyntheticBatchOptions,
  ToolResultRecord,
} from './types';

interface Waiter {
  check: () => boolean;
}

/**
 * The in-process control surface: scripts for upcoming requests, what the server received,
 * and batch manipulation. The HTTP /_control routes call the same methods.
 */
export class ServerControl {
  private scripts: Script[] = [];
  private recorded: RecordedRequest[] = [];
  private closed: ClosedEarlyEvent[] = [];
  private streams: StreamTiming[] = [];
  private tools: ToolResultRecord[] = [];
  private waiters = new Set<Waiter>();
  /** Prompt-cache entries written by POST /v1/messages (batches use their own, by request index). */
  readonly promptCache = new PromptCache();
  readonly conversationCache = new ConversationCache();

  constructor(private readonly batches: BatchStore) {}

  /** Queues a script (FIFO); it answers the next `times` requests whose raw body contains `match`. */
  script(script: Script): void {
    this.scripts.push({ ...script, times: script.times ?? 1 });
  }

  reset(): void {
    this.scripts = [];
    this.recorded = [];
    this.closed = [];
    this.streams = [];
    this.tools = [];
    this.promptCache.clear();
    this.conversationCache.reset();
    this.batches.reset();
  }

  requests(): RecordedRequest[] {
    return [...this.recorded];
  }

  /** Resolves with the first recorded request (past or future) that satisfies `pred`. */
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.waitFor(() => this.recorded.find(pred), timeoutMs, 'request');
  }

  /** How many streaming responses the client closed before the server finished them. */
  get closedEarly(): number {
    return this.closed.length;
  }

  closedEarlyEvents(): ClosedEarlyEvent[] {
    return [...this.closed];
  }

  /** Send times of the streams that completed. */
  streamTimings(): StreamTiming[] {
    return [...this.streams];
  }

  recordStream(timing: StreamTiming): void {
    this.streams.push(timing);
  }

  waitForClosedEarly(count = 1, timeoutMs = 5000): Promise<ClosedEarlyEvent[]> {
    return this.waitFor(() => (this.closed.length >= count ? [...this.closed] : undefined), timeoutMs, 'closed-early');
  }

  toolResults(): ToolResultRecord[] {
    return [...this.tools];
  }

  endBatch(id: string, options?: EndBatchOptions): MessageBatch {
    return this.batches.endBatch(id, options);
  }

  expireBatch(id: string): MessageBatch {
    return this.batches.expireBatch(id);
  }

  batchRequests(id: string): BatchCreateParams.Request[] {
    return this.batches.batchRequests(id);
  }

  failRetrieve(id: string, times: number): void {
    this.batches.failRetrieve(id, times);
  }

  dropResultsAfter(id: string, lines: number): void {
    this.batches.dropResultsAfter(id, lines);
  }

  createSyntheticBatch(options: SyntheticBatchOptions): MessageBatch {
    return this.batches.createSyntheticBatch(options);
  }

  failNextCreate(failure: CreateFailure): void {
    this.batches.failNextCreate(failure);
  }

  // ----- used by the request handlers -----

  /** Takes the first queued script that matches the raw body, consuming one of its uses. */
  takeScript(rawBody: string): Script | undefined {
    const index = this.scripts.findIndex((s) => s.match === undefined || rawBody.includes(s.match));
    if (index < 0) return undefined;
    const script = this.scripts[index];
    script.times = (script.times ?? 1) - 1;
    if (script.times <= 0) this.scripts.splice(index, 1);
    return script;
  }

  /**
   * For a batch request (its params as JSON) when its batch ends: the text of the first queued
   * script with both a `match` found in it and a `text`, consuming one use. Scripts without a
   * `match` are left to `POST /v1/messages`.
   */
  takeBatchText(rawParams: string): string | undefined {
    const index = this.scripts.findIndex((s) => s.match !== undefined && s.text !== undefined && rawParams.includes(s.match));
    if (index < 0) return undefined;
    const script = this.scripts[index];
    script.times = (script.times ?? 1) - 1;
    if (script.times <= 0) this.scripts.splice(index, 1);
    return script.text;
  }

  record(request: RecordedRequest): void {
    this.recorded.push(request);
    this.notify();
  }

  recordClosedEarly(event: ClosedEarlyEvent): void {
    this.closed.push(event);
    this.notify();
  }

  recordToolResult(record: ToolResultRecord): void {
    this.tools.push(record);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = probe();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return false;
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
