import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { BatchPoller } from './batchPoller';
import type { PollerClock } from './batchPoller';
import type { ResultState } from './results/mapResult';
import type { ResultStateStore } from './store/resultStates';
import { RETRYABLE_STATES, selectRetryIdsFromStates } from './requests/retry';
import { splitRequests } from './requests/split';
import type { SplitLimits } from './requests/split';
import type { BatchStore, SubmissionInput } from './store/batchStore';
import type { BatchRecord } from './store/records';

/** One child row of a batch in the tree. */
export interface RequestRow {
  customId: string;
  relPath?: string;
  state?: ResultState;
}

export interface RequestPage {
  total: number;
  rows: RequestRow[];
}

/** What one submission carries; it may be split into several batches (and store records). */
export type SubmitInput = Omit<SubmissionInput, 'keepRequests'>;

export interface SubmitOutcome {
  created: BatchRecord[];
  /** Set when a create failed; earlier chunks (if any) are in `created`. */
  failure?: unknown;
}

export interface BatchesModelDeps {
  store: BatchStore;
  states: ResultStateStore;
  getClient(): Promise<Anthropic>;
  pollSeconds(): number;
  log?: { info(m: string): void; warn(m: string): void };
  clock?: PollerClock;
  splitLimits?: SplitLimits;
}

type Listener = () => void;

export interface EndedInfo {
  /**
   * True when this session never saw the batch still working: it was last known in progress
   * from an earlier session (VS Code was closed, or the window reloaded, while it ended).
   */
  whileClosed: boolean;
}

type EndedListener = (record: BatchRecord, info: EndedInfo) => void;

/** Children of a batch loaded per "Load more…". */
export const PAGE_SIZE = 200;

/**
 * The Batches tree's model and the batch operations behind it: the store (write-ahead records),
 * the API calls, polling and remembered result states. No `vscode`: the tree provider and the
 * commands are thin layers over it.
 */
export class BatchesModel {
  private readonly listeners = new Set<Listener>();
  private readonly endedListeners = new Set<EndedListener>();
  private readonly poller: BatchPoller;
  private records: BatchRecord[] = [];
  private loaded: Promise<void> | undefined;
  private reloading: Promise<void> = Promise.resolve();
  /** Batches this session has seen working in an API response (not just in the store). */
  private readonly seenWorking = new Set<string>();
  /** Batches whose end was announced: at most once each, whichever path noticed it. */
  private readonly announced = new Set<string>();

  constructor(private readonly deps: BatchesModelDeps) {
    this.poller = new BatchPoller({
      retrieve: async (id) => (await deps.getClient()).messages.batches.retrieve(id),
      onBatch: (batch, changed) => (changed ? this.applyBatch(batch) : undefined),
      onError: (id, err) => deps.log?.warn(`Polling ${id} failed: ${err instanceof Error ? err.message : String(err)}`),
      baseSeconds: deps.pollSeconds,
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
  }

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Fires once per batch when it is seen to end: by polling, or by reconciling a record last
   * known in progress (then `whileClosed` tells a batch that ended before this session saw it).
   */
  onDidEnd(listener: EndedListener): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Every record, newest first (read from the store on first use). */
  async list(): Promise<BatchRecord[]> {
    this.loaded ??= this.reload();
    await this.loaded;
    return this.records;
  }

  async get(batchId: string): Promise<BatchRecord | undefined> {
    return (await this.list()).find((r) => r.batchId === batchId);
  }

  /** Records whose `parentBatchId` is `batchId`. */
  async retriesOf(batchId: string): Promise<BatchRecord[]> {
    return (await this.list()).filter((r) => r.parentBatchId === batchId);
  }

  isPolling(batchId: string): boolean {
    return this.poller.isPolling(batchId);
  }

  /**
   * Settles write-ahead records and picks up batches made elsewhere (`batches.list()`), then
   * polls the ones still working. Called on activation and by Refresh.
   */
  async reconcile(): Promise<void> {
    const client = await this.deps.getClient();
    const previous = await this.deps.store.list();
    const before = new Map(previous.map((r) => [r.localId, r.lastKnown?.processing_status]));
    const working = new Map<string, BatchRecord>();
    for (const r of previous) {
      if (r.batchId && isWorking(r.lastKnown?.processing_status)) working.set(r.batchId, r);
    }
    const report = await this.deps.store.reconcile(this.noteWorking(() => client.messages.batches.list({ limit: 100 })));
    for (const r of report.adopted) this.deps.log?.info(`Recovered batch ${r.batchId} from a submission that was not confirmed`);
    for (const r of report.dropped) this.deps.log?.info(`Dropped submission ${r.localId}: the API never created it`);
    await this.reload();
    // A batch that ended while no window was polling (closed, reloading) is announced now.
    for (const r of [...report.adopted, ...report.updated]) {
      if (r.lastKnown?.processing_status === 'ended' && before.get(r.localId) !== 'ended') this.announceEnd(r);
    }
    for (const r of this.records) {
      if (!r.batchId) continue;
      if (working.has(r.batchId) && r.lastKnown?.processing_status === 'ended') this.announceEnd(r);
      this.poller.track(r.batchId, r.lastKnown?.processing_status, true);
    }
  }

  /** Re-reads the records from the store and tells the tree. */
  async reload(): Promise<void> {
    // One at a time: two overlapping reads (two polls ending together) could otherwise finish
    // out of order and leave the older list in place.
    const next = this.reloading.then(async () => {
      this.records = await this.deps.store.list();
      this.loaded = Promise.resolve();
      this.changed();
    });
    this.reloading = next.catch(() => undefined);
    return next;
  }

  /**
   * Submits `input` as one or more batches (split at 100,000 requests / 256 MB). Each chunk is
   * recorded before `batches.create` and confirmed right after; a failed create removes its
   * record. Stops at the first failure.
   */
  async submit(input: SubmitInput, signal?: AbortSignal): Promise<SubmitOutcome> {
    const chunks = splitRequests(input.requests, this.deps.splitLimits);
    const created: BatchRecord[] = [];
    const client = await this.deps.getClient();
    for (const chunk of chunks) {
      if (signal?.aborted) break;
      const requests = input.requests.slice(chunk.start, chunk.end);
      const record = await this.deps.store.beginSubmission({
        model: input.model,
        instruction: input.instruction,
        requests,
        manifest: input.manifest.slice(chunk.start, chunk.end),
        ...(input.parentBatchId ? { parentBatchId: input.parentBatchId } : {}),
        ...(input.kind && input.kind !== 'answer' ? { kind: input.kind } : {}),
      });
      let batch: MessageBatch;
      try {
        batch = await client.messages.batches.create({ requests: [...requests] }, signal ? { signal } : undefined);
      } catch (failure) {
        await this.deps.store.markCreateFailed(record.localId, failure instanceof Error ? failure.message : String(failure));
        await this.reload();
        return { created, failure };
      }
      const confirmed = await this.deps.store.markCreated(record.localId, batch);
      created.push(confirmed);
      this.deps.log?.info(`Created batch ${batch.id} with ${requests.length} requests${input.parentBatchId ? ` (retry of ${input.parentBatchId})` : ''}`);
      if (isWorking(batch.processing_status)) this.seenWorking.add(batch.id);
      this.poller.track(batch.id, batch.processing_status);
    }
    await this.reload();
    return { created };
  }

  async cancel(batchId: string): Promise<void> {
    const client = await this.deps.getClient();
    const batch = await client.messages.batches.cancel(batchId);
    await this.applyBatch(batch);
    this.poller.track(batchId, batch.processing_status);
    this.poller.pollNow(batchId);
  }

  /** Deletes the batch from the API (ended only) and forgets it here. */
  async delete(batchId: string): Promise<void> {
    const client = await this.deps.getClient();
    await client.messages.batches.delete(batchId);
    await this.forget(batchId);
  }

  /** Forgets a batch locally (also for one the API no longer has). */
  async forget(batchId: string): Promise<void> {
    this.poller.untrack(batchId);
    await this.deps.store.remove(batchId);
    await this.deps.states.remove(batchId);
    await this.reload();
  }

  /** Retrieves one batch now and stores what changed. */
  async refreshOne(batchId: string): Promise<MessageBatch> {
    const batch = await (await this.deps.getClient()).messages.batches.retrieve(batchId);
    await this.applyBatch(batch);
    return batch;
  }

  /** The results JSONL as an async iterable (streamed; the SDK decodes the lines). */
  async results(batchId: string, signal?: AbortSignal): Promise<AsyncIterable<MessageBatchIndividualResponse>> {
    const client = await this.deps.getClient();
    return client.messages.batches.results(batchId, undefined, signal ? { signal } : undefined);
  }

  /** Wraps `results` so each line's state is remembered as it passes (for the tree). */
  async resultsRecordingStates(batchId: string, signal?: AbortSignal): Promise<AsyncIterable<MessageBatchIndividualResponse>> {
    const source = await this.results(batchId, signal);
    return this.recordStates(batchId, source);
  }

  async *recordStates(batchId: string, source: AsyncIterable<MessageBatchIndividualResponse>): AsyncGenerator<MessageBatchIndividualResponse> {
    const seen: [string, ResultState][] = [];
    try {
      for await (const line of source) {
        seen.push([line.custom_id, line.result.type]);
        if (seen.length >= 5000) await this.flushStates(batchId, seen.splice(0));
        yield line;
      }
    } finally {
      await this.flushStates(batchId, seen);
    }
  }

  /** Result states of an ended batch, fetched once (only ids and types are kept). */
  async ensureStates(record: BatchRecord): Promise<ReadonlyMap<string, ResultState>> {
    const id = record.batchId;
    if (!id) return new Map();
    const known = await this.deps.states.get(id);
    if (known.size > 0 || record.lastKnown?.processing_status !== 'ended') return known;
    for await (const _ of await this.resultsRecordingStates(id)) {
      // Only the states are wanted; recordStates stores them.
    }
    return this.deps.states.get(id);
  }

  async knownStates(batchId: string): Promise<ReadonlyMap<string, ResultState>> {
    return this.deps.states.get(batchId);
  }

  /** A page of a batch's requests with their result states (when known). */
  async requestPage(record: BatchRecord, offset: number, limit = PAGE_SIZE): Promise<RequestPage> {
    const states = record.batchId ? await this.deps.states.get(record.batchId) : new Map<string, ResultState>();
    if (record.manifestFile) {
      const page = await this.deps.store.manifestPage(record, offset, limit);
      return {
        total: page.total,
        rows: page.entries.map((e) => ({ customId: e.customId, relPath: e.relPath, ...(states.get(e.customId) ? { state: states.get(e.customId) } : {}) })),
      };
    }
    // External batches have no manifest: their requests are known only once results were read.
    const ids = [...states.keys()].sort();
    return { total: ids.length, rows: ids.slice(offset, offset + limit).map((customId) => ({ customId, state: states.get(customId) })) };
  }

  /** The ids to retry: errored, expired and canceled (from remembered states, fetching them if needed). */
  async retryIds(record: BatchRecord): Promise<string[]> {
    const states = await this.ensureStates(record);
    return selectRetryIdsFromStates(states);
  }

  /** True when the record's counts show work worth retrying. */
  static hasRetryable(record: BatchRecord): boolean {
    const c = record.lastKnown?.request_counts;
    return !!c && record.lastKnown?.processing_status === 'ended' && c.errored + c.expired + c.canceled > 0;
  }

  static isRetryable(state: ResultState | undefined): boolean {
    return !!state && RETRYABLE_STATES.has(state);
  }

  dispose(): void {
    this.poller.dispose();
    this.listeners.clear();
    this.endedListeners.clear();
  }

  private async flushStates(batchId: string, entries: [string, ResultState][]): Promise<void> {
    if (entries.length === 0) return;
    await this.deps.states.merge(batchId, entries);
  }

  private async applyBatch(batch: MessageBatch): Promise<void> {
    if (isWorking(batch.processing_status)) this.seenWorking.add(batch.id);
    const before = this.records.find((r) => r.batchId === batch.id);
    const updated = await this.deps.store.update(batch.id, batch);
    await this.reload();
    if (updated && before?.lastKnown?.processing_status !== 'ended' && batch.processing_status === 'ended') {
      this.announceEnd(updated);
    }
  }

  /** Once per batch and model, whichever of polling and reconciling sees the end first. */
  private announceEnd(record: BatchRecord): void {
    const id = record.batchId!;
    if (this.announced.has(id)) return;
    this.announced.add(id);
    const info: EndedInfo = { whileClosed: !this.seenWorking.has(id) };
    for (const l of this.endedListeners) {
      try {
        l(record, info);
      } catch {
        // A faulty listener must not break polling.
      }
    }
  }

  /**
   * Passes the listed batches through, remembering which ones the API reports as still working.
   * The request starts only when the store starts reading, so a failure (a rejected key) always
   * has a handler instead of rejecting unobserved while the store reads its records.
   */
  private async *noteWorking(list: () => AsyncIterable<MessageBatch>): AsyncGenerator<MessageBatch> {
    for await (const batch of list()) {
      if (isWorking(batch.processing_status)) this.seenWorking.add(batch.id);
      yield batch;
    }
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A faulty listener must not break the model.
      }
    }
  }
}

function isWorking(status: MessageBatch['processing_status'] | undefined): boolean {
  return status === 'in_progress' || status === 'canceling';
}
