// The transcript reducer: raw stream events in, response state plus protocol patches out.
// Pure (no vscode, no SDK runtime): the host feeds it events from the SDK's stream and posts the
// patches; tests feed it recorded transcripts. Here: the message-level state (usage, stop reason,
// status, notes) and the host's controls. Content-block events: transcriptBlockEvents.ts; one
// block: transcriptBlocks.ts; the footer's numbers: transcriptUsage.ts.

import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { FooterInfo, ResponsePatch, ResponseStatus, SnapshotMessage } from '../protocol';
import { BlockEventReducer } from './transcriptBlockEvents';
import { blockSnapshot, type BlockState, clientToolResultStart } from './transcriptBlocks';
import { addUsage, footerInfo, overwriteUsage, type TranscriptUsage, zeroUsage } from './transcriptUsage';

/** Any stream event: the SDK's typed ones, or one from a newer API version we do not know yet. */
export type StreamEventLike = RawMessageStreamEvent | { readonly type: string };

export interface TranscriptError {
  type: string;
  message: string;
}

export interface TranscriptOptions {
  /** Our id of this response (the protocol's `requestId`). */
  requestId: string;
  title?: string;
  /** Model asked for; `message_start` overrides it with what the API reports. */
  model?: string;
  /** Batch pricing for the cost estimate. */
  batch?: boolean;
  /** Clock in ms (injected for tests). */
  now?: () => number;
}

/** Error types worth retrying (the API's own transient failures). */
const RETRYABLE_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Reduces raw stream events of one response (one or more messages: tool turns, continuations)
 * into state and protocol patches. `apply` never throws on unknown or malformed input.
 */
export class TranscriptReducer {
  readonly requestId: string;
  readonly title: string;
  messageId = '';
  model: string;
  stopReason: string | null = null;
  stopSequence: string | null = null;
  /** A refusal's `stop_details` (category and explanation), if the API sent them. */
  stopDetails: { category?: string; explanation?: string } | undefined;
  /** The model's `max_input_tokens` (the context gauge's limit), when known. */
  contextLimit: number | undefined;
  /** Usage of the current message: fields present in an event overwrite, never add. */
  usage: TranscriptUsage = zeroUsage();
  /** Sum of the finished earlier messages of this response (each message is billed). */
  private earlierUsage: TranscriptUsage = zeroUsage();
  error: TranscriptError | undefined;
  /** The `request-id` header of the latest HTTP response. */
  apiRequestId: string | undefined;
  /** `event:x`, `delta:x`, `block:x` for every unknown type seen (each logged once). */
  readonly unknownTypes = new Set<string>();
  private readonly blockEvents = new BlockEventReducer({
    unknown: (kind, type, index) => this.unknown(kind, type, index),
    unknownBlock: (type) => this.unknownTypes.add(`block:${type}`),
  });
  /** Every block shown, in order: the block reducer's own array, not a copy. */
  readonly blocks: BlockState[] = this.blockEvents.blocks;
  readonly notes: string[] = [];
  status: ResponseStatus = { state: 'streaming' };

  private readonly batch: boolean;
  private readonly now: () => number;
  private readonly startedAt: number;
  private firstTokenAt: number | undefined;
  private part = 0;
  /** First part of the answer being shown (continuations keep it; a fresh message moves it). */
  private answerPart = 0;
  private messageStarted = false;
  /** Elapsed time of a restored response before this window took it over. */
  private restoredElapsed = 0;

  constructor(options: TranscriptOptions) {
    this.requestId = options.requestId;
    this.title = options.title ?? '';
    this.model = options.model ?? '';
    this.batch = options.batch ?? false;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Applies one event and returns the patches that describe its effect (often none). */
  apply(event: StreamEventLike): ResponsePatch[] {
    const e = rec(event);
    switch (e.type) {
      case 'message_start': return this.onMessageStart(rec(e.message));
      case 'content_block_start': return this.onBlockStart(e.index, rec(e.content_block));
      case 'content_block_delta': return this.blockEvents.delta(e.index, rec(e.delta));
      case 'content_block_stop': return this.blockEvents.stop(e.index);
      case 'message_delta': return this.onMessageDelta(rec(e.delta), rec(e.usage));
      case 'message_stop': return this.onMessageStop();
      case 'ping': return [];
      case 'error': {
        const err = rec(e.error);
        return this.onError(str(err.type) || 'error', str(err.message) || 'Stream error');
      }
      default: return this.unknown('event', str(e.type) || '(no type)');
    }
  }

  /** Applies many events; patches in order. */
  applyAll(events: Iterable<StreamEventLike>): ResponsePatch[] {
    const out: ResponsePatch[] = [];
    for (const ev of events) out.push(...this.apply(ev));
    return out;
  }

  // --- host controls ------------------------------------------------------------------------

  /** Records the `request-id` response header (shown in the footer). */
  setApiRequestId(id: string): ResponsePatch[] {
    this.apiRequestId = id;
    return [this.footerPatch()];
  }

  /** A failure that did not come as an `error` event (dropped connection, SDK error). */
  fail(message: string, retryable: boolean): ResponsePatch[] {
    const out = this.blockEvents.interruptOpen();
    this.error ??= { type: 'connection_error', message };
    return [...out, ...this.setStatus({ state: 'error', message, retryable }), this.footerPatch()];
  }

  /** The user cancelled: every received character stays, open blocks are marked interrupted. */
  cancel(): ResponsePatch[] {
    return [...this.blockEvents.interruptOpen(), ...this.setStatus({ state: 'cancelled' }), this.footerPatch()];
  }

  /** The result of a tool the extension ran (workspace tools): a finished result block after the call. */
  clientToolResult(toolUseId: string, name: string, outcome: { content: string; isError: boolean }): ResponsePatch[] {
    const { index, start } = this.blockEvents.addFinished(this.part, clientToolResultStart(toolUseId, name, outcome));
    return [{ type: 'blockStart', index, block: start }, { type: 'blockStop', index }];
  }

  /**
   * A follow-up question: shown as a user turn below the answers so far; the next message is a
   * new answer (not a continuation of the previous one).
   */
  beginUserTurn(question: string): ResponsePatch[] {
    const out = this.blockEvents.interruptOpen();
    this.blockEvents.dropJoin();
    this.error = undefined;
    const { index, start } = this.blockEvents.addFinished(this.part, { kind: 'userTurn' }, question);
    return [...out, { type: 'blockStart', index, block: start }, { type: 'textAppend', index, text: question }, { type: 'blockStop', index }, ...this.setStatus({ state: 'streaming' })];
  }

  /** Sets the context gauge's limit (the model's `max_input_tokens`). */
  setContextLimit(limit: number): ResponsePatch[] {
    this.contextLimit = limit;
    return [this.footerPatch()];
  }

  /**
   * Rebuilds the state of a saved response (after a reload) from its snapshot and usage: the
   * blocks come back finished as shown, so a continuation joins the last text block exactly.
   */
  restore(saved: SnapshotMessage, usage: TranscriptUsage, elapsedMs: number): void {
    this.blockEvents.restore(saved.blocks);
    this.notes.push(...saved.notes);
    this.earlierUsage = { ...usage };
    this.messageStarted = true;
    this.status = saved.status;
    this.restoredElapsed = elapsedMs;
    if (saved.footer.model) this.model = saved.footer.model;
    if (saved.footer.stopReason) this.stopReason = saved.footer.stopReason;
    if (saved.footer.requestId) this.apiRequestId = saved.footer.requestId;
  }

  /** A note from the host (e.g. why tools are off), shown in the panel and kept in snapshots. */
  addNote(text: string): ResponsePatch[] {
    this.notes.push(text);
    return [{ type: 'note', text }];
  }

  /** Sets the status (e.g. `streaming` again between tool turns). Emits nothing if unchanged. */
  setStatus(status: ResponseStatus): ResponsePatch[] {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return [];
    this.status = status;
    return [{ type: 'status', status }];
  }

  /**
   * The text an interrupted answer resumes after: the text blocks of the interrupted message as
   * shown (tool-use and thinking blocks cannot be resumed partially and are left out).
   */
  partialText(): string {
    return this.blocks
      .filter((b) => b.part >= this.answerPart && b.start.kind === 'text')
      .map((b) => b.content.toString())
      .join('');
  }

  /**
   * Call before streaming a continuation request: the next message's first text block is
   * appended to the last text block shown (no new block), after dropping any start of it that
   * repeats the end of the partial answer (`removeOverlap`, for the user-turn form).
   */
  beginContinuation(options: { removeOverlap?: boolean } = {}): ResponsePatch[] {
    const out = this.blockEvents.interruptOpen();
    this.blockEvents.beginContinuation(options.removeOverlap ?? true);
    this.error = undefined;
    return [...out, ...this.setStatus({ state: 'continuing' }), { type: 'continuation' }];
  }

  /** Everything the webview needs to rebuild the response; `seq` is the last patch it includes. */
  snapshot(seq: number): SnapshotMessage {
    return {
      type: 'snapshot',
      requestId: this.requestId,
      seq,
      title: this.title,
      blocks: this.blocks.map(blockSnapshot),
      notes: [...this.notes],
      footer: this.footer(),
      status: this.status,
    };
  }

  /** Usage of the whole response (all messages). */
  totalUsage(): TranscriptUsage {
    return addUsage(this.earlierUsage, this.usage);
  }

  /** Current footer numbers. */
  footer(): FooterInfo {
    // One clock reading, so elapsed time and the token rate agree.
    const now = this.now();
    return footerInfo({
      total: this.totalUsage(),
      current: this.usage,
      elapsedMs: Math.max(0, now - this.startedAt) + this.restoredElapsed,
      generatingMs: this.firstTokenAt === undefined ? 0 : now - this.firstTokenAt,
      model: this.model,
      stopReason: this.stopReason,
      stopDetails: this.stopDetails,
      apiRequestId: this.apiRequestId,
      contextLimit: this.contextLimit,
      batch: this.batch,
    });
  }

  // --- events -------------------------------------------------------------------------------

  private onMessageStart(message: Loose): ResponsePatch[] {
    if (this.messageStarted) {
      this.earlierUsage = this.totalUsage();
      this.part++;
    }
    this.messageStarted = true;
    if (!this.blockEvents.joining) this.answerPart = this.part;
    this.blockEvents.newMessage();
    this.usage = zeroUsage();
    overwriteUsage(this.usage, rec(message.usage));
    this.messageId = str(message.id) || this.messageId;
    this.model = str(message.model) || this.model;
    this.stopReason = null;
    this.stopSequence = null;
    this.stopDetails = undefined;
    const status: ResponseStatus = this.blockEvents.joining ? { state: 'continuing' } : { state: 'streaming' };
    return [...this.setStatus(status), this.footerPatch()];
  }

  private onBlockStart(rawIndex: unknown, block: Loose): ResponsePatch[] {
    if (typeof rawIndex !== 'number') return this.unknown('event', 'content_block_start without index');
    this.firstTokenAt ??= this.now();
    return this.blockEvents.start(rawIndex, block, this.part);
  }

  private onMessageDelta(delta: Loose, usage: Loose): ResponsePatch[] {
    if (typeof delta.stop_reason === 'string') this.stopReason = delta.stop_reason;
    if (typeof delta.stop_sequence === 'string') this.stopSequence = delta.stop_sequence;
    const details = rec(delta.stop_details);
    if (typeof delta.stop_details === 'object' && delta.stop_details !== null) {
      this.stopDetails = { category: str(details.category) || undefined, explanation: str(details.explanation) || undefined };
    }
    overwriteUsage(this.usage, usage);
    return [this.footerPatch()];
  }

  private onMessageStop(): ResponsePatch[] {
    return [...this.blockEvents.endMessage(), ...this.setStatus({ state: 'complete' }), this.footerPatch()];
  }

  private onError(type: string, message: string): ResponsePatch[] {
    this.error = { type, message };
    const out = this.blockEvents.interruptOpen();
    const status: ResponseStatus = { state: 'error', message: `${message} (${type})`, retryable: RETRYABLE_ERRORS.has(type) };
    return [...out, ...this.setStatus(status), this.footerPatch()];
  }

  // --- helpers ------------------------------------------------------------------------------

  private unknown(kind: 'event' | 'delta' | 'block', type: string, index?: number): ResponsePatch[] {
    const key = `${kind}:${type}`;
    if (this.unknownTypes.has(key)) return [];
    this.unknownTypes.add(key);
    const text = `unknown ${kind}: ${type}`;
    this.notes.push(text);
    return [index === undefined ? { type: 'note', text } : { type: 'note', index, text }];
  }

  private footerPatch(): ResponsePatch {
    return { type: 'footer', footer: this.footer() };
  }
}
