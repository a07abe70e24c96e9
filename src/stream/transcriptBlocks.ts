// One block of a transcript (transcript.ts): its state, and building, parsing and snapshotting
// it. Pure. The state is defined here, next to what builds it, so this module needs nothing back
// from the reducer.

import type { BlockSnapshot, BlockStart, CitationRef, ToolResultSummary } from '../protocol';
import { summarizeToolResult, TOOL_RESULT_TYPES } from './resultSummary';
import { TextBuffer } from './textBuffer';

export interface BlockState {
  index: number;
  start: BlockStart;
  /** Text, thinking, redacted data or raw tool JSON, as received. */
  content: TextBuffer;
  /** Trailing whitespace of a text block not yet sent to the webview (see `appendText` in transcriptBlockEvents.ts). */
  heldWhitespace: string;
  done: boolean;
  interrupted: boolean;
  citations: CitationRef[];
  /** Citations not yet sent (they are sent when the block stops, next to the cited text). */
  pendingCitations: CitationRef[];
  signature: string;
  /** Parsed tool input (at block stop). */
  input?: unknown;
  prettyJson?: string;
  invalidJson?: boolean;
  /** The raw block for result and unknown blocks. */
  raw?: unknown;
  /** The message (part) this block belongs to; continuations and tool turns are new parts. */
  part: number;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function startOf(block: Loose): BlockStart {
  const type = str(block.type);
  switch (type) {
    case 'text': return { kind: 'text' };
    case 'thinking': return { kind: 'thinking' };
    case 'redacted_thinking': return { kind: 'redactedThinking' };
    case 'tool_use':
    case 'server_tool_use':
      return { kind: 'toolUse', server: type === 'server_tool_use', name: str(block.name), id: str(block.id) };
    default:
      if (TOOL_RESULT_TYPES.has(type)) return { kind: 'toolResult', summary: summarizeToolResult(block) };
      return { kind: 'unknown', blockType: type || '(no type)' };
  }
}

/** Characters of a client tool result shown in the panel. */
const CLIENT_RESULT_CHARS = 4000;

/**
 * The start of a result block for a tool the extension ran. Long results are cut for display
 * only; the API gets the whole text.
 */
export function clientToolResultStart(toolUseId: string, name: string, outcome: { content: string; isError: boolean }): BlockStart {
  const shown = outcome.content.length > CLIENT_RESULT_CHARS
    ? `${outcome.content.slice(0, CLIENT_RESULT_CHARS)}\n[… ${outcome.content.length - CLIENT_RESULT_CHARS} more characters sent to Claude]`
    : outcome.content;
  const summary: ToolResultSummary = { resultType: 'tool_result', toolUseId, links: [], note: `${name} result` };
  if (outcome.isError) summary.error = shown;
  else summary.output = { stdout: shown, stderr: '' };
  return { kind: 'toolResult', summary };
}

export function newBlock(index: number, part: number, start: BlockStart): BlockState {
  return {
    index, part, start, content: new TextBuffer(), heldWhitespace: '', done: false, interrupted: false,
    citations: [], pendingCitations: [], signature: '',
  };
}

/** Parses the concatenated `input_json_delta` fragments; invalid JSON keeps the raw string and is flagged. */
export function parseToolInput(block: BlockState): void {
  const raw = block.content.toString();
  if (raw.trim() === '') {
    block.input = {};
    block.prettyJson = '{}';
    return;
  }
  try {
    block.input = JSON.parse(raw);
    block.prettyJson = JSON.stringify(block.input, null, 2);
  } catch {
    block.invalidJson = true;
  }
}

export function blockSnapshot(b: BlockState): BlockSnapshot {
  const snap: BlockSnapshot = {
    index: b.index, block: b.start, content: b.content.toString(), done: b.done, citations: [...b.citations],
  };
  if (b.prettyJson !== undefined) snap.prettyJson = b.prettyJson;
  if (b.invalidJson) snap.invalidJson = true;
  if (b.interrupted) snap.interrupted = true;
  return snap;
}

export function citationLocation(c: Loose): string | undefined {
  switch (c.type) {
    case 'char_location': return `chars ${Number(c.start_char_index)}-${Number(c.end_char_index)}`;
    case 'page_location': return `pages ${Number(c.start_page_number)}-${Number(c.end_page_number)}`;
    case 'content_block_location':
    case 'search_result_location':
      return `blocks ${Number(c.start_block_index)}-${Number(c.end_block_index)}`;
    default: return undefined;
  }
}

export function arrayOrEmpty(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function trailingWhitespaceStart(s: string): number {
  let i = s.length;
  while (i > 0 && isWhitespace(s.charCodeAt(i - 1))) i--;
  return i;
}

export function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11;
}

