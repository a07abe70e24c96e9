// The content-block half of the transcript reducer (transcript.ts): `content_block_start`,
// `_delta` and `_stop` events into blocks and their patches, with what only blocks need (the API
// index map, held-back whitespace, the continuation join, citation numbers). The message-level
// state (usage, stop reason, status, notes) stays in the reducer. Pure.

import type { BlockSnapshot, BlockStart, CitationRef, ResponsePatch } from '../protocol';
import { joinDecidable, joinedText, type PendingJoin, startJoin } from './continuationJoin';
import {
  arrayOrEmpty, type BlockState, citationLocation, newBlock, parseToolInput, startOf, trailingWhitespaceStart,
} from './transcriptBlocks';

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Where block events report types they do not know: the reducer notes each type once. */
export interface UnknownTypeReporter {
  /** A note patch the first time a type is seen, nothing after. */
  unknown(kind: 'event' | 'delta', type: string, index?: number): ResponsePatch[];
  /** An unknown block type, recorded without a note: the block itself shows its type. */
  unknownBlock(type: string): void;
}

/** Reduces the content-block events of one response's messages into `blocks`; never throws. */
export class BlockEventReducer {
  readonly blocks: BlockState[] = [];
  /** API block index → our block index, for the current message. */
  private indexMap = new Map<number, number>();
  private pendingJoin: PendingJoin | undefined;
  private citationKeys = new Map<string, CitationRef>();

  constructor(private readonly report: UnknownTypeReporter) {}

  /** True while a continuation waits to join the answer it continues. */
  get joining(): boolean {
    return this.pendingJoin !== undefined;
  }

  /** A new message starts: its block indexes start again at 0. */
  newMessage(): void {
    this.indexMap = new Map();
  }

  /** The message ended: whatever the join still holds back is shown. */
  endMessage(): ResponsePatch[] {
    const out = this.pendingJoin ? this.flushJoin() : [];
    this.pendingJoin = undefined;
    return out;
  }

  /**
   * Call before a continuation: the next message's first text block is appended to the last text
   * block shown (see continuationJoin.ts).
   */
  beginContinuation(removeOverlap: boolean): void {
    // Events of the interrupted message must not land in the continuation's blocks.
    this.indexMap = new Map();
    const lastText = [...this.blocks].reverse().find((b) => b.start.kind === 'text');
    if (lastText) this.pendingJoin = startJoin(lastText, removeOverlap);
  }

  /** The next message is a new answer, not a continuation. */
  dropJoin(): void {
    this.pendingJoin = undefined;
  }

  /** A block the host adds whole (a user turn, a client tool result), finished as it is added. */
  addFinished(part: number, start: BlockStart, content = ''): BlockState {
    const state = newBlock(this.blocks.length, part, start);
    state.content.append(content);
    state.done = true;
    this.blocks.push(state);
    return state;
  }

  /** Blocks of a saved response, finished as shown; their citations keep their numbers. */
  restore(saved: readonly BlockSnapshot[]): void {
    for (const b of saved) {
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
  }

  /** `content_block_start` of the current message's block `rawIndex`, in message `part`. */
  start(rawIndex: number, block: Loose, part: number): ResponsePatch[] {
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
    const state = newBlock(index, part, startOf(block));
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
        this.report.unknownBlock(type);
        break;
      case 'toolUse':
        break;
    }
    return out;
  }

  /** `content_block_delta`. */
  delta(rawIndex: unknown, delta: Loose): ResponsePatch[] {
    const block = this.blockAt(rawIndex);
    const type = str(delta.type);
    if (!block) return this.report.unknown('event', `content_block_delta for unknown block ${String(rawIndex)}`);
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
        return this.report.unknown('delta', type || '(no type)', block.index);
      }
    }
  }

  /** `content_block_stop`. */
  stop(rawIndex: unknown): ResponsePatch[] {
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

  /** Open blocks stop as interrupted (an error, a cancel, a continuation or a follow-up): the text received stays. */
  interruptOpen(): ResponsePatch[] {
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
    if (block.start.kind !== 'text') return this.report.unknown('delta', `text_delta on ${block.start.kind}`, block.index);
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
    return this.emitText(this.blocks[join.target], joinedText(join));
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
}
