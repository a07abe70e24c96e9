import { hashString } from './rng';
import { demoAnswer } from './demoAnswers';
import { isRecord } from './http';

/** The subset of a Messages request the answer generator reads. */
export interface AnswerRequest {
  messages?: unknown;
  system?: unknown;
}

interface WireMessage {
  role: string;
  content: unknown;
}

function headingFrom(prompt: string): string {
  const clean = stripDirectives(prompt).replace(/\s+/g, ' ').trim();
  const words = clean.split(' ').slice(0, 6).join(' ');
  return words.length > 0 ? words : 'your question';
}

export function stripDirectives(text: string): string {
  return text.replace(/\[\[[^\]]*\]\]/g, '');
}

/**
 * The deterministic markdown answer for a prompt: same prompt, same text. What it says depends on
 * the request (see demoAnswers.ts): a summary of a quoted file, code in the language asked for, or
 * an answer built from the question's words.
 */
export function answerForPrompt(prompt: string): string {
  return demoAnswer(stripDirectives(prompt).trim());
}

export function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b): b is { type: 'text'; text: string } => isRecord(b) && b['type'] === 'text' && typeof b['text'] === 'string')
    .map((b) => b.text)
    .join('');
}

export function messagesOf(request: AnswerRequest): WireMessage[] {
  if (!Array.isArray(request.messages)) return [];
  return request.messages.filter(
    (m): m is WireMessage => isRecord(m) && typeof m['role'] === 'string' && 'content' in m,
  );
}

/** The conversation's prompt: the first user message's text. */
export function promptOf(request: AnswerRequest): string {
  const first = messagesOf(request).find((m) => m.role === 'user');
  return first ? textOfContent(first.content) : '';
}

export interface ToolResultBlock {
  toolUseId: string;
  content: string;
  isError: boolean;
}

export function toolResultsOf(content: unknown): ToolResultBlock[] {
  if (!Array.isArray(content)) return [];
  return content
    .filter((b): b is Record<string, unknown> => isRecord(b) && b['type'] === 'tool_result')
    .map((b) => ({
      toolUseId: String(b['tool_use_id'] ?? ''),
      content: textOfContent(b['content']),
      isError: b['is_error'] === true,
    }));
}

export function toolResultAnswer(results: readonly ToolResultBlock[]): string {
  const first = results[0];
  const quoted = first.content.slice(0, 200);
  return `The tool returned (${first.toolUseId}):\n\n> “${quoted}”\n\nThat is what the tool result says.`;
}

/** Messages that define what is being answered, once continuation turns are taken off. */
function baseMessages(request: AnswerRequest): WireMessage[] {
  const messages = messagesOf(request);
  const last = messages[messages.length - 1];
  if (!last) return messages;
  if (last.role === 'assistant') return messages.slice(0, -1);
  if (messages.length > 1 && quotedTailOf(last) !== undefined) {
    const rest = messages.slice(0, -1);
    return rest[rest.length - 1]?.role === 'assistant' ? rest.slice(0, -1) : rest;
  }
  return messages;
}

/**
 * What is being asked: the latest user turn that has text (a follow-up question), once
 * continuation turns are taken off; tool-result turns do not count. The first message otherwise.
 */
export function questionOf(request: AnswerRequest): string {
  const base = baseMessages(request);
  const asked = [...base].reverse().find((m) => m.role === 'user' && toolResultsOf(m.content).length === 0 && textOfContent(m.content));
  return asked ? textOfContent(asked.content) : promptOf({ messages: base });
}

/** The complete answer text for a conversation, ignoring any prefill or continuation turn. */
export function answerFor(request: AnswerRequest): string {
  const base = baseMessages(request);
  const lastUser = [...base].reverse().find((m) => m.role === 'user');
  const results = lastUser ? toolResultsOf(lastUser.content) : [];
  if (results.length > 0) return toolResultAnswer(results);
  return answerForPrompt(questionOf({ messages: base }));
}

export function thinkingFor(prompt: string): { thinking: string; signature: string } {
  const seed = hashString(prompt);
  const head = headingFrom(prompt);
  const thinking =
    `The user asks about “${head}”.\n\nStep 1: restate the question.\n` +
    `Step 2: outline an answer with a heading, a list and some code.\nStep 3: write it — ${seed % 1000} ✓`;
  const signature = Buffer.from(`sig:${seed}:${head}`).toString('base64');
  return { thinking, signature };
}

const CONTINUATION_HINT = /interrupt/i;
const TAIL_LIMIT = 200;

/**
 * The quoted tail of a "your previous response was interrupted" user turn, or undefined.
 * Accepted: the message mentions "interrupt", and quotes where the text ended either in the
 * LAST fenced code block (``` or ~~~, any length ≥ 3; the newline before the closing fence is
 * not part of the tail) or, without a fence, between the FIRST opening quote (" or “) and the
 * LAST closing quote (" or ”) of the message.
 */
export function quotedTailOf(message: WireMessage): string | undefined {
  if (message.role !== 'user') return undefined;
  const text = textOfContent(message.content);
  if (!CONTINUATION_HINT.test(text)) return undefined;
  return lastFencedBlock(text) ?? greedyQuoted(text);
}

function lastFencedBlock(text: string): string | undefined {
  const lines = text.split('\n');
  let open: { char: string; length: number; start: number } | undefined;
  let last: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (!fence) continue;
    const run = fence[1];
    if (!open) {
      open = { char: run[0], length: run.length, start: i + 1 };
    } else if (run[0] === open.char && run.length >= open.length && lines[i].trim() === run) {
      last = lines.slice(open.start, i).join('\n');
      open = undefined;
    }
  }
  return last;
}

function greedyQuoted(text: string): string | undefined {
  const start = text.search(/["“]/);
  const end = Math.max(text.lastIndexOf('"'), text.lastIndexOf('”'));
  if (start < 0 || end <= start) return undefined;
  return text.slice(start + 1, end);
}

export type Continuation =
  | { kind: 'none'; text: string }
  | { kind: 'prefill' | 'user-turn'; text: string; matched: boolean };

/**
 * What to send for a request: the full answer, or only the part after a prefill or after the
 * quoted tail of a continuation turn. Unmatched continuations get the whole answer.
 */
export function remainderFor(request: AnswerRequest, full: string): Continuation {
  const messages = messagesOf(request);
  const last = messages[messages.length - 1];
  if (!last) return { kind: 'none', text: full };
  if (last.role === 'assistant') {
    const prefill = textOfContent(last.content);
    const matched = full.startsWith(prefill);
    return { kind: 'prefill', text: matched ? full.slice(prefill.length) : full, matched };
  }
  const quoted = messages.length > 1 ? quotedTailOf(last) : undefined;
  if (quoted === undefined) return { kind: 'none', text: full };
  const offset = offsetAfterTail(full, quoted);
  return { kind: 'user-turn', text: offset === undefined ? full : full.slice(offset), matched: offset !== undefined };
}

/** End offset of the LAST occurrence of the quote's final 200 chars in the answer. */
export function offsetAfterTail(full: string, quoted: string): number | undefined {
  for (const candidate of [quoted, quoted.trimEnd(), quoted.trim()]) {
    const tail = Array.from(candidate).slice(-TAIL_LIMIT).join('');
    if (tail.length === 0) continue;
    const index = full.lastIndexOf(tail);
    if (index >= 0) return index + tail.length;
  }
  return undefined;
}
