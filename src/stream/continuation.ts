// Continuing an interrupted answer (API docs, "recovering from interrupted streams"):
// models up to Claude 4.5 accept the partial answer as an assistant prefill; Claude 4.6 and later
// get the partial answer back as an assistant turn plus a user turn asking to continue.

import type { MessageCreateParamsBase, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { parseModelId } from '../api/cost';
import { fenceFor } from '../markdownFence';

/** Shortest repeated tail we treat as an accidental overlap (shorter matches are likely coincidence). */
export const MIN_OVERLAP = 20;
/** Longest overlap looked for: the quoted tail is ~300 characters. */
export const MAX_OVERLAP = 1000;
/** How much of the partial answer the user-turn form quotes. */
export const QUOTED_TAIL_CHARS = 300;

export type ContinuationMode = 'prefill' | 'userTurn' | 'restart';

export interface ContinuationRequest<P> {
  params: P;
  mode: ContinuationMode;
}

/**
 * True for models that accept an assistant prefill: every Claude up to 4.5 (3.x, 4.0, 4.1, 4.5).
 * 4.6 and later, and ids we cannot parse (future models), use the user-turn form.
 */
export function supportsPrefill(model: string): boolean {
  const parsed = parseModelId(model);
  return parsed !== undefined && parsed.version <= 405;
}

/**
 * Builds the request that continues an interrupted answer. `partialText` is the text shown so far
 * (after the last complete text; partial tool-use and thinking blocks are not resumed).
 * - prefill: original messages + `assistant: partial` (trailing whitespace trimmed: the API rejects
 *   prefill ending in whitespace; the reducer never showed that whitespace, so the join is exact).
 *   `thinking` is dropped because extended thinking cannot be combined with a prefill.
 * - userTurn: original messages + `assistant: partial` + a user turn quoting the tail (roles alternate).
 * - restart: nothing was shown yet, so the original request is simply sent again.
 */
export function buildContinuationRequest<P extends Pick<MessageCreateParamsBase, 'messages'>>(
  originalParams: P,
  partialText: string,
  model: string,
): ContinuationRequest<P> {
  const partial = partialText.trimEnd();
  if (!partial.trim()) return { params: { ...originalParams }, mode: 'restart' };
  if (supportsPrefill(model)) {
    const params: P & { thinking?: unknown } = { ...originalParams, messages: withAssistant(originalParams.messages, partial) };
    delete params.thinking;
    return { params, mode: 'prefill' };
  }
  const messages: MessageParam[] = [
    ...withAssistant(originalParams.messages, partial),
    { role: 'user', content: continueInstruction(partial) },
  ];
  return { params: { ...originalParams, messages }, mode: 'userTurn' };
}

/** The user turn for 4.6+: says the answer was cut off and quotes where it ended. */
export function continueInstruction(partial: string): string {
  const tail = tailOf(partial, QUOTED_TAIL_CHARS);
  // A fence longer than any backtick run in the tail, so a quoted code fence cannot close it.
  const fence = fenceFor(tail);
  return `Your previous response was interrupted. It ended with:\n\n${fence}\n${tail}\n${fence}\n\nContinue exactly from where it ended, without repeating anything.`;
}

/**
 * The part of `continuation` to append after `partial`: the continuation minus an accidental
 * repeat of the partial's end (≥ MIN_OVERLAP characters, possibly after leading whitespace).
 */
export function continuationSuffix(partial: string, continuation: string): string {
  const candidates = [continuation];
  const trimmed = continuation.trimStart();
  if (trimmed !== continuation) candidates.push(trimmed);
  for (const candidate of candidates) {
    const k = longestOverlap(partial, candidate);
    if (k > 0) return candidate.slice(k);
  }
  return continuation;
}

/** `partial` followed by the continuation, with an accidental overlap removed. */
export function joinContinuation(partial: string, continuationText: string): string {
  return partial + continuationSuffix(partial, continuationText);
}

/** Longest k ≥ MIN_OVERLAP with `partial.endsWith(candidate.slice(0, k))`, else 0. */
function longestOverlap(partial: string, candidate: string): number {
  const max = Math.min(partial.length, candidate.length, MAX_OVERLAP);
  for (let k = max; k >= MIN_OVERLAP; k--) {
    if (partial.endsWith(candidate.slice(0, k))) return k;
  }
  return 0;
}

/** Appends the partial answer as an assistant turn, merging with an original string prefill. */
function withAssistant(messages: readonly MessageParam[], partial: string): MessageParam[] {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant' && typeof last.content === 'string') {
    return [...messages.slice(0, -1), { role: 'assistant', content: (last.content + partial).trimEnd() }];
  }
  return [...messages, { role: 'assistant', content: partial }];
}

/** The last `n` characters, not starting in the middle of a surrogate pair. */
function tailOf(s: string, n: number): string {
  if (s.length <= n) return s;
  let start = s.length - n;
  const c = s.charCodeAt(start);
  if (c >= 0xdc00 && c <= 0xdfff) start++;
  return s.slice(start);
}
