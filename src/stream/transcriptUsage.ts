// Usage and footer arithmetic of the transcript reducer (transcript.ts): the API's cumulative
// usage fields, their sum over the messages of one response, and the footer's numbers. Pure, so
// the footer's sums, rates and cost are checked without streaming anything.

import type { FooterInfo } from '../protocol';
import { estimateCost } from '../api/cost';

/** Cumulative usage as the API reports it (message_delta repeats fields with new totals). */
export interface TranscriptUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export function zeroUsage(): TranscriptUsage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** Usage in events is cumulative: a field present replaces the old value; absent or null keeps it. */
export function overwriteUsage(target: TranscriptUsage, source: Record<string, unknown>): void {
  for (const key of Object.keys(target) as (keyof TranscriptUsage)[]) {
    const v = source[key];
    if (typeof v === 'number' && Number.isFinite(v)) target[key] = v;
  }
}

/** Usage of two messages together: each message of a response (tool turn, continuation) is billed. */
export function addUsage(a: TranscriptUsage, b: TranscriptUsage): TranscriptUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
  };
}

/** The reducer's state the footer is computed from, read at one instant (one clock reading). */
export interface FooterInputs {
  /** Usage of the whole response (all messages). */
  total: TranscriptUsage;
  /** Usage of the current message: its input is what the context holds now. */
  current: TranscriptUsage;
  elapsedMs: number;
  /** Time since the first token (0 before it): the rate leaves out the wait for the first one. */
  generatingMs: number;
  model: string;
  stopReason: string | null;
  stopDetails: { category?: string; explanation?: string } | undefined;
  apiRequestId: string | undefined;
  contextLimit: number | undefined;
  /** Batch pricing for the cost estimate. */
  batch: boolean;
}

/** The footer's numbers; what is not known yet (no context, no first token, no price) is left out. */
export function footerInfo(i: FooterInputs): FooterInfo {
  const usage = i.total;
  const footer: FooterInfo = {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens,
    cacheWriteTokens: usage.cache_creation_input_tokens,
    elapsedMs: i.elapsedMs,
  };
  const context = i.current.input_tokens + i.current.cache_read_input_tokens + i.current.cache_creation_input_tokens;
  if (context > 0) footer.contextTokens = context;
  if (i.contextLimit !== undefined) footer.contextLimit = i.contextLimit;
  if (i.stopReason === 'refusal' && i.stopDetails) {
    if (i.stopDetails.category) footer.refusalCategory = i.stopDetails.category;
    if (i.stopDetails.explanation) footer.refusalExplanation = i.stopDetails.explanation;
  }
  if (i.model) footer.model = i.model;
  if (i.stopReason) footer.stopReason = i.stopReason;
  if (i.apiRequestId) footer.requestId = i.apiRequestId;
  if (i.generatingMs > 0 && usage.output_tokens > 0) footer.tokensPerSecond = (usage.output_tokens * 1000) / i.generatingMs;
  const cost = i.model ? estimateCost(usage, i.model, { batch: i.batch }) : undefined;
  if (cost !== undefined) footer.costUsd = cost;
  return footer;
}
