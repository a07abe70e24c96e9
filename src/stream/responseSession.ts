// One streamed answer: the conversation (requests, tools, continuation), the transcript reducer
// (what the panel shows) and the coalescer (how often it is told). Pure: no `vscode`; the host
// passes the client, the queue, the tools and, in output-channel mode, a text mirror.

import type Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { classifyError, type ClassifiedError, type ClassifyContext } from '../api/errors';
import type { PatchMessage, ResponsePatch, SnapshotMessage } from '../protocol';
import { Coalescer } from './coalescer';
import { buildContinuationRequest } from './continuation';
import type { JobQueue } from './jobQueue';
import type { StreamParams } from './promptBuilder';
import {
  StreamConversation,
  type ContinuationBuilder,
  type ContinuationMode,
  type RunOutcome,
  type StreamSink,
  type ToolExecutor,
} from './streamRunner';
import { TranscriptReducer } from './transcript';
import type { TranscriptUsage } from './transcriptUsage';
import { SESSION_RECORD_VERSION, wasRunning, type SessionRecord } from './sessionRecord';
import type { ToolOutcome } from './workspaceTools';

export type SessionState = 'queued' | 'streaming' | 'complete' | 'error' | 'cancelled';

/** A second consumer of the transcript's patches (the output-channel rendering). */
export interface SessionMirror {
  begin(title: string, model: string): void;
  patches(patches: readonly ResponsePatch[]): void;
  nextTurn(turn: number): void;
  finish(state: 'complete' | 'cancelled' | 'error', note?: string): void;
}

export interface ResponseSessionOptions {
  /** Our id of this answer (the protocol's `requestId`). */
  id: string;
  title: string;
  params: StreamParams;
  queue: JobQueue;
  /** The SDK client; may throw `MissingApiKeyError`. */
  getClient: () => Promise<Anthropic>;
  tools?: ToolExecutor;
  maxTurns: number;
  /** Automatic continuations of a broken stream (0 = wait for Retry). */
  autoContinue: number;
  errorContext?: () => ClassifyContext;
  mirror?: SessionMirror;
  /** Longest silence between two stream events before the stream counts as stalled. */
  idleTimeoutMs?: number;
  /** Notes shown above the answer (e.g. why workspace tools are off). */
  notes?: readonly string[];
  /** Flush interval for patches (one animation frame is ~16 ms). */
  flushMs?: number;
  /** A saved answer to take over (after a reload): shown as saved, and Retry continues it. */
  restored?: SessionRecord;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const TERMINAL: ReadonlySet<SessionState> = new Set(['complete', 'error', 'cancelled']);

/** The continuation form is decided by the model (prefill up to 4.5, a user turn after). */
export const continuationBuilder: ContinuationBuilder = {
  build: (params, partialText) => buildContinuationRequest(params, partialText, params.model),
};

/**
 * Owns one answer. `start()` queues it; `cancel()` aborts the HTTP request at once and keeps the
 * partial text; `retry()` continues where it broke (or asks again when nothing arrived).
 * Consumers subscribe to patches (ordered, coalesced, numbered) and state changes; a consumer that
 * (re)connects takes a `snapshot()` first.
 */
export class ResponseSession {
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  readonly params: StreamParams;
  private readonly reducer: TranscriptReducer;
  private readonly coalescer: Coalescer;
  private conversation: StreamConversation;
  private readonly patchListeners = new Set<(m: PatchMessage) => void>();
  private readonly stateListeners = new Set<(s: ResponseSession) => void>();
  private timer: unknown;
  private job: { cancel(): void } | undefined;
  private done: Promise<SessionState> = Promise.resolve('queued');
  private resolveDone: (s: SessionState) => void = () => undefined;
  private _state: SessionState = 'queued';
  private _error: ClassifiedError | undefined;
  private runs = 0;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly clock: () => number;
  private lastFlushAt: number;

  constructor(private readonly options: ResponseSessionOptions) {
    this.id = options.id;
    this.title = options.title;
    this.params = options.params;
    const now = options.now ?? Date.now;
    this.clock = now;
    const saved = options.restored;
    this.createdAt = saved?.createdAt ?? now();
    this.lastFlushAt = this.createdAt;
    this.reducer = new TranscriptReducer({ requestId: options.id, title: options.title, model: options.params.model, now });
    this.coalescer = new Coalescer({ requestId: options.id });
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    if (saved) {
      // A run cut off by a reload is an interruption like a dropped connection: Retry continues it.
      const interrupted = wasRunning(saved);
      this.conversation = new StreamConversation(options.params, { ...saved.conversation, interrupted: saved.conversation.interrupted || interrupted });
      this.reducer.restore(saved.transcript, saved.usage, saved.elapsedMs);
      this._state = interrupted ? 'error' : saved.state;
      if (interrupted) {
        this.reducer.fail('Interrupted by a window reload. Retry continues the answer.', true);
        this._error = { kind: 'streamInterrupted', message: 'Interrupted by a window reload.', actions: ['retry'], retryable: true };
      } else if (saved.state === 'error') {
        this._error = { kind: 'streamInterrupted', message: saved.error ?? 'The answer failed.', actions: ['retry'], retryable: true };
      }
      return;
    }
    this.conversation = new StreamConversation(options.params);
    for (const note of options.notes ?? []) this.push(this.reducer.addNote(note));
  }

  get state(): SessionState {
    return this._state;
  }

  get isRunning(): boolean {
    return !TERMINAL.has(this._state);
  }

  /** The classified error of the last run, if it failed. */
  get error(): ClassifiedError | undefined {
    return this._error;
  }

  /** The `request-id` header of the latest HTTP response. */
  get requestId(): string | undefined {
    return this.reducer.apiRequestId;
  }

  get stopReason(): string | null {
    return this.reducer.stopReason;
  }

  get model(): string {
    return this.reducer.model;
  }

  /** Usage of the whole answer, over every turn and continuation. */
  get usage(): TranscriptUsage {
    return this.reducer.totalUsage();
  }

  /** All answer text shown so far (every text block, in order). */
  get text(): string {
    return this.reducer.blocks
      .filter((b) => b.start.kind === 'text')
      .map((b) => b.content.toString())
      .join('');
  }

  /** What a (re)connecting consumer needs; pending patches are folded into it, not sent again. */
  snapshot(): SnapshotMessage {
    this.coalescer.flush();
    return this.reducer.snapshot(this.coalescer.lastSeq);
  }

  /** Everything a reload needs to show this answer again and to retry, continue or follow up on it. */
  toRecord(): SessionRecord {
    const snapshot = this.snapshot();
    const record: SessionRecord = {
      version: SESSION_RECORD_VERSION,
      id: this.id,
      title: this.title,
      model: this.model,
      createdAt: this.createdAt,
      updatedAt: Date.now(),
      state: this._state,
      conversation: this.conversation.state(),
      transcript: snapshot,
      usage: this.reducer.totalUsage(),
      elapsedMs: snapshot.footer.elapsedMs ?? 0,
    };
    if (this._error) record.error = this._error.message;
    return record;
  }

  /** The conversation as the API will receive it next (tests and export read it). */
  get conversationParams(): StreamParams {
    return this.conversation.originalParams;
  }

  /**
   * A follow-up question once the answer ended (complete, cancelled or failed): the whole
   * conversation goes back with it, and the new answer streams below the earlier ones.
   */
  followUp(question: string): Promise<SessionState> | undefined {
    if (this.isRunning || !question.trim()) return undefined;
    this.conversation.followUp(question);
    this.push(this.reducer.beginUserTurn(question));
    return this.start();
  }

  /** The model's `max_input_tokens`, for the context gauge. */
  setContextLimit(limit: number): void {
    this.push(this.reducer.setContextLimit(limit));
  }

  /** Input tokens of the latest request (what the context holds), 0 before any. */
  get contextTokens(): number {
    return this.reducer.footer().contextTokens ?? 0;
  }

  /** Settles when the current run ends, with the state it ended in. */
  whenDone(): Promise<SessionState> {
    return this.done;
  }

  onPatch(listener: (m: PatchMessage) => void): () => void {
    this.patchListeners.add(listener);
    return () => this.patchListeners.delete(listener);
  }

  onDidChangeState(listener: (s: ResponseSession) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Queues the request. Calling it again on a running session does nothing. */
  start(): Promise<SessionState> {
    if (this.runs > 0 && this.isRunning) return this.done;
    this.runs++;
    this._error = undefined;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (this.runs === 1) this.options.mirror?.begin(this.title, this.params.model);
    this.setState('queued');
    const job = this.options.queue.enqueue(this.title, ({ signal }) => this.runOnce(signal));
    this.job = job;
    // Cancelled while still queued: the job never ran, so nothing else settles the session.
    job.promise.catch(() => {
      if (this._state === 'queued') this.settle({ state: 'cancelled' });
    });
    return this.done;
  }

  /** Stops the stream now (or takes the answer out of the queue); received text stays. */
  cancel(): boolean {
    if (!this.isRunning || !this.job) return false;
    this.job.cancel();
    return true;
  }

  /** After an error or a cancel: continues the partial answer, or asks again if nothing arrived. */
  retry(): Promise<SessionState> | undefined {
    if (this._state !== 'error' && this._state !== 'cancelled') return undefined;
    return this.start();
  }

  dispose(): void {
    this.cancel();
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.patchListeners.clear();
    this.stateListeners.clear();
  }

  // --- the runner's sink (see sinkView) ---------------------------------------------------

  private event(ev: RawMessageStreamEvent): void {
    this.push(this.reducer.apply(ev));
  }

  private requestIdSink(id: string): void {
    this.push(this.reducer.setApiRequestId(id));
  }

  private toolResult(toolUseId: string, name: string, outcome: ToolOutcome): void {
    this.push(this.reducer.clientToolResult(toolUseId, name, outcome));
  }

  private nextTurn(turn: number): void {
    this.options.mirror?.nextTurn(turn);
    this.push(this.reducer.setStatus({ state: 'streaming' }));
  }

  private continuation(mode: ContinuationMode): void {
    if (mode === 'restart') this.push(this.reducer.setStatus({ state: 'streaming' }));
    else this.push(this.reducer.beginContinuation({ removeOverlap: mode === 'userTurn' }));
  }

  private interrupted(error: ClassifiedError, _willContinue: boolean): void {
    this.push(this.reducer.fail(error.message, error.retryable));
    this.flush();
  }

  // --- running ----------------------------------------------------------------------------

  private async runOnce(signal: AbortSignal): Promise<SessionState> {
    this.setState('streaming');
    this.push(this.reducer.setStatus({ state: 'streaming' }));
    let outcome: RunOutcome;
    try {
      const client = await this.options.getClient();
      outcome = await this.conversation.run({
        client,
        sink: this.sinkView,
        signal,
        tools: this.options.tools,
        maxTurns: this.options.maxTurns,
        autoContinue: this.options.autoContinue,
        continuation: continuationBuilder,
        errorContext: this.options.errorContext?.(),
        idleTimeoutMs: this.options.idleTimeoutMs,
      });
    } catch (e) {
      outcome = signal.aborted ? { state: 'cancelled' } : { state: 'error', error: classifyError(e, this.options.errorContext?.()) };
    }
    this.settle(outcome);
    return this._state;
  }

  /** What the runner talks to (`requestId` is a getter on the session, hence the adapter). */
  private readonly sinkView: StreamSink = {
    event: (ev) => this.event(ev),
    requestId: (id) => this.requestIdSink(id),
    toolResult: (id, name, outcome) => this.toolResult(id, name, outcome),
    nextTurn: (turn) => this.nextTurn(turn),
    continuation: (mode) => this.continuation(mode),
    interrupted: (error, willContinue) => this.interrupted(error, willContinue),
  };

  private settle(outcome: RunOutcome): void {
    if (TERMINAL.has(this._state)) return;
    switch (outcome.state) {
      case 'complete':
        this.push(this.reducer.setStatus({ state: 'complete' }));
        this.options.mirror?.finish('complete', outcome.stopReason === 'max_turns' ? 'stopped after tools.maxTurns' : undefined);
        break;
      case 'cancelled':
        this.push(this.reducer.cancel());
        this.options.mirror?.finish('cancelled');
        break;
      case 'error':
        this._error = outcome.error;
        if (this.reducer.status.state !== 'error') this.push(this.reducer.fail(outcome.error.message, outcome.error.retryable));
        this.options.mirror?.finish('error', outcome.error.message);
        break;
    }
    this.flush();
    this.job = undefined;
    this.setState(outcome.state);
    this.resolveDone(outcome.state);
  }

  private setState(state: SessionState): void {
    if (this._state === state) return;
    this._state = state;
    for (const l of [...this.stateListeners]) l(this);
  }

  private push(patches: readonly ResponsePatch[]): void {
    if (patches.length === 0) return;
    // The output channel reads the same patches the webview gets: one parser of the stream.
    this.options.mirror?.patches(patches);
    this.coalescer.push(patches);
    const flushMs = this.options.flushMs ?? 16;
    // The clock is checked here too, not only by the timer: a fast stream is parsed in long runs
    // of microtasks during which no timer fires, and the webview would get a few huge messages late.
    if (this.coalescer.shouldFlushNow || this.clock() - this.lastFlushAt >= flushMs) this.flush();
    else if (this.timer === undefined) this.timer = this.setTimer(() => this.flush(), flushMs);
  }

  /** Sends what is pending as one numbered message. */
  flush(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.lastFlushAt = this.clock();
    const message = this.coalescer.flush();
    if (!message) return;
    for (const l of [...this.patchListeners]) l(message);
  }
}
