// The transcript reducer: raw stream events in, response state plus protocol patches out.
// Pure (no vscode, no SDK runtime): the host feeds it events from the SDK's stream and posts the
// patches; tests feed it recorded transcripts.

import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type {
  CitationRef,
  FooterInfo,
  ResponsePatch,
  ResponseStatus,
  SnapshotMessage,
  ToolResultSummary,
} from '../protocol';
import { joinDecidable, joinedText, type PendingJoin, startJoin } from './continuationJoin';
import {
  arrayOrEmpty, blockSnapshot, type BlockState, citationLocation, newBlock, parseToolInput, startOf,
  trailingWhitespaceStart,
} from './transcriptBlocks';
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

/** Characters of a client tool result shown in the panel. */
const CLIENT_RESULT_CHARS = 4000;

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
  readonly blocks: BlockState[] = [];
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
  /** API block index → our block index, for the current message. */
  private indexMap = new Map<number, number>();
  private pendingJoin: PendingJoin | undefined;
  private citationKeys = new Map<string, CitationRef>();
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
      case 'content_block_delta': return this.onBlockDelta(e.index, rec(e.delta));
      case 'content_block_stop': return this.onBlockStop(e.index);
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
    const out = this.interruptOpenBlocks();
    this.error ??= { type: 'connection_error', message };
    return [...out, ...this.setStatus({ state: 'error', message, retryable }), this.footerPatch()];
  }

  /** The user cancelled: every received character stays, open blocks are marked interrupted. */
  cancel(): ResponsePatch[] {
    return [...this.interruptOpenBlocks(), ...this.setStatus({ state: 'cancelled' }), this.footerPatch()];
  }

  /**
   * The result of a tool the extension ran (workspace tools): shown as a finished result block
   * after the call. Long results are cut for display only; the API gets the whole text.
   */
  clientToolResult(toolUseId: string, name: string, outcome: { content: string; isError: boolean }): ResponsePatch[] {
    const shown = outcome.content.length > CLIENT_RESULT_CHARS
      ? `${outcome.content.slice(0, CLIENT_RESULT_CHARS)}\n[… ${outcome.content.length - CLIENT_RESULT_CHARS} more characters sent to Claude]`
      : outcome.content;
    const summary: ToolResultSummary = { resultType: 'tool_result', toolUseId, links: [], note: `${name} result` };
    if (outcome.isError) summary.error = shown;
    else summary.output = { stdout: shown, stderr: '' };
    const index = this.blocks.length;
    const state = newBlock(index, this.part, { kind: 'toolResult', summary });
    state.done = true;
    this.blocks.push(state);
    return [{ type: 'blockStart', index, block: state.start }, { type: 'blockStop', index }];
  }

  /**
   * A follow-up question: shown as a user turn below the answers so far; the next message is a
   * new answer (not a continuation of the previous one).
   */
  beginUserTurn(question: string): ResponsePatch[] {
    const out = this.interruptOpenBlocks();
    this.pendingJoin = undefined;
    this.error = undefined;
    const index = this.blocks.length;
    const state = newBlock(index, this.part, { kind: 'userTurn' });
    state.content.append(question);
    state.done = true;
    this.blocks.push(state);
    return [...out, { type: 'blockStart', index, block: state.start }, { type: 'textAppend', index, text: question }, { type: 'blockStop', index }, ...this.setStatus({ state: 'streaming' })];
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
    for (const b of saved.blocks) {
      const state = newBlock(this.blocks.length, 0, b.block);
      state.content.append(b.content);
      state.done = true;
      state.interrupted = b.interrupted === true || !b.done;
      state.citations = [...b.citations];
      if (b.prettyJson !== undefined) state.prettyJson = b.prettyJson;
      if (b.invalidJson) state.invalidJson = true;
      for (const c of b.citations) this.citationKeys.set(JSON.stringify([c.url ?? c.title, c.citedText]), c);
      this.blocks.push(state);
    }
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
    const out = this.interruptOpenBlocks();
    // Events of the interrupted message must not land in the continuation's blocks.
    this.indexMap = new Map();
    const lastText = [...this.blocks].reverse().find((b) => b.start.kind === 'text');
    if (lastText) this.pendingJoin = startJoin(lastText, options.removeOverlap ?? true);
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
    if (!this.pendingJoin) this.answerPart = this.part;
    this.indexMap = new Map();
    this.usage = zeroUsage();
    overwriteUsage(this.usage, rec(message.usage));
    this.messageId = str(message.id) || this.messageId;
    this.model = str(message.model) || this.model;
    this.stopReason = null;
    this.stopSequence = null;
    this.stopDetails = undefined;
    const status: ResponseStatus = this.pendingJoin ? { state: 'continuing' } : { state: 'streaming' };
    return [...this.setStatus(status), this.footerPatch()];
  }

  private onBlockStart(rawIndex: unknown, block: Loose): ResponsePatch[] {
    if (typeof rawIndex !== 'number') return this.unknown('event', 'content_block_start without index');
    this.firstTokenAt ??= this.now();
    const type = str(block.type);
    const join = this.pendingJoin;
    if (type === 'text' && join && !join.mapped) {
      join.mapped = true;
      this.indexMap.set(rawIndex, join.target);
      const target = this.blocks[join.target];
      target.done = false;
      target.interrupted = false;
      return this.appendText(target, str(block.text));
    }
    const index = this.blocks.length;
    this.indexMap.set(rawIndex, index);
    const state = newBlock(index, this.part, startOf(block));
    this.blocks.push(state);
    const out: ResponsePatch[] = [{ type: 'blockStart', index, block: state.start }];
    switch (state.start.kind) {
      case 'text':
        for (const c of arrayOrEmpty(block.citations)) state.pendingCitations.push(this.citation(rec(c)));
        out.push(...this.appendText(state, str(block.text)));
        break;
      case 'thinking':
        state.signature = str(block.signature);
        out.push(...this.appendThinking(state, str(block.thinking)));
        break;
      case 'redactedThinking':
        state.content.append(str(block.data));
        break;
      case 'toolResult':
        state.raw = block;
        break;
      case 'unknown':
        state.raw = block;
        this.unknownTypes.add(`block:${type}`);
        break;
      case 'toolUse':
        break;
    }
    return out;
  }

  private onBlockDelta(rawIndex: unknown, delta: Loose): ResponsePatch[] {
    const block = this.blockAt(rawIndex);
    const type = str(delta.type);
    if (!block) return this.unknown('event', `content_block_delta for unknown block ${String(rawIndex)}`);
    switch (type) {
      case 'text_delta': return this.appendText(block, str(delta.text));
      case 'thinking_delta': return this.appendThinking(block, str(delta.thinking));
      case 'signature_delta':
        block.signature += str(delta.signature);
        return [];
      case 'input_json_delta': {
        const json = str(delta.partial_json);
        if (!json) return [];
        block.content.append(json);
        return [{ type: 'toolInputAppend', index: block.index, json }];
      }
      case 'citations_delta':
        block.pendingCitations.push(this.citation(rec(delta.citation)));
        return [];
      default: {
        if (block.start.kind === 'unknown') return [];
        return this.unknown('delta', type || '(no type)', block.index);
      }
    }
  }

  private onBlockStop(rawIndex: unknown): ResponsePatch[] {
    const block = this.blockAt(rawIndex);
    if (!block || block.done) return [];
    const out: ResponsePatch[] = [];
    if (this.pendingJoin?.target === block.index) out.push(...this.flushJoin());
    out.push(...this.sendCitations(block));
    if (block.heldWhitespace) {
      const ws = block.heldWhitespace;
      block.heldWhitespace = '';
      block.content.append(ws);
      out.push({ type: 'textAppend', index: block.index, text: ws });
    }
    block.done = true;
    const stop: ResponsePatch & { type: 'blockStop' } = { type: 'blockStop', index: block.index };
    if (block.start.kind === 'toolUse') {
      parseToolInput(block);
      if (block.prettyJson !== undefined) stop.prettyJson = block.prettyJson;
      if (block.invalidJson) stop.invalidJson = true;
    }
    out.push(stop);
    return out;
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
    const out = this.pendingJoin ? this.flushJoin() : [];
    this.pendingJoin = undefined;
    return [...out, ...this.setStatus({ state: 'complete' }), this.footerPatch()];
  }

  private onError(type: string, message: string): ResponsePatch[] {
    this.error = { type, message };
    const out = this.interruptOpenBlocks();
    const status: ResponseStatus = { state: 'error', message: `${message} (${type})`, retryable: RETRYABLE_ERRORS.has(type) };
    return [...out, ...this.setStatus(status), this.footerPatch()];
  }

  // --- helpers ------------------------------------------------------------------------------

  private blockAt(rawIndex: unknown): BlockState | undefined {
    if (typeof rawIndex !== 'number') return undefined;
    const index = this.indexMap.get(rawIndex);
    return index === undefined ? undefined : this.blocks[index];
  }

  /**
   * Appends text, holding back trailing whitespace until more text or the block's end: an
   * interrupted answer then shows exactly the text a prefill continuation resumes from (the API
   * rejects prefill ending in whitespace), so the joined answer is exact.
   */
  private appendText(block: BlockState, text: string): ResponsePatch[] {
    if (!text) return [];
    if (block.start.kind !== 'text') return this.unknown('delta', `text_delta on ${block.start.kind}`, block.index);
    const join = this.pendingJoin;
    if (join && join.target === block.index && join.mapped && join.removeOverlap) {
      join.buffer += text;
      if (!joinDecidable(join)) return [];
      return this.flushJoin();
    }
    return this.emitText(block, text);
  }

  private emitText(block: BlockState, text: string): ResponsePatch[] {
    const combined = block.heldWhitespace + text;
    const cut = trailingWhitespaceStart(combined);
    block.heldWhitespace = combined.slice(cut);
    const shown = combined.slice(0, cut);
    if (!shown) return [];
    block.content.append(shown);
    return [{ type: 'textAppend', index: block.index, text: shown }];
  }

  /** Decides the overlap with what is buffered so far and sends the rest. */
  private flushJoin(): ResponsePatch[] {
    const join = this.pendingJoin;
    if (!join || !join.mapped) return [];
    this.pendingJoin = undefined;
    const block = this.blocks[join.target];
    return this.emitText(block, joinedText(join));
  }

  private appendThinking(block: BlockState, text: string): ResponsePatch[] {
    if (!text) return [];
    block.content.append(text);
    return [{ type: 'thinkingAppend', index: block.index, text }];
  }

  private sendCitations(block: BlockState): ResponsePatch[] {
    if (block.pendingCitations.length === 0) return [];
    const citations = block.pendingCitations;
    block.pendingCitations = [];
    block.citations.push(...citations);
    return [{ type: 'citations', index: block.index, citations }];
  }

  /** Numbers a citation; the same source and passage keeps its number. */
  private citation(c: Loose): CitationRef {
    const url = str(c.url) || undefined;
    const citedText = str(c.cited_text);
    const title = str(c.title) || str(c.document_title) || str(c.source) || url || `Document ${Number(c.document_index ?? c.search_result_index ?? 0) + 1}`;
    const key = JSON.stringify([url ?? title, citedText]);
    const existing = this.citationKeys.get(key);
    if (existing) return existing;
    const ref: CitationRef = { n: this.citationKeys.size + 1, citedText, title };
    if (url) ref.url = url;
    const location = citationLocation(c);
    if (location) ref.location = location;
    this.citationKeys.set(key, ref);
    return ref;
  }

  private interruptOpenBlocks(): ResponsePatch[] {
    const out: ResponsePatch[] = [];
    if (this.pendingJoin?.mapped) out.push(...this.flushJoin());
    for (const block of this.blocks) {
      if (block.done) continue;
      out.push(...this.sendCitations(block));
      block.done = true;
      block.interrupted = true;
      out.push({ type: 'blockStop', index: block.index, interrupted: true });
    }
    return out;
  }

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
