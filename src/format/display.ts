// Display wording shared by the answer panel (webview), the output channel and batch results:
// stop reasons in words, token counts, USD. Pure and browser-safe (no vscode, no SDK, no Node).

/** Stop reasons in words (a sentence start; the footer and the output channel both use it). */
export const STOP_REASON_TEXT: Readonly<Record<string, string>> = {
  end_turn: 'Finished',
  max_tokens: 'Stopped: max tokens reached',
  stop_sequence: 'Stopped at a stop sequence',
  tool_use: 'Waiting for tool results',
  pause_turn: 'Paused (long-running turn; continue to resume)',
  refusal: 'Declined to answer (refusal)',
  model_context_window_exceeded: 'Stopped: the conversation is too long for the model’s context window',
  max_turns: 'Stopped after claudeEvents.tools.maxTurns tool turns',
};

/** A stop reason in words; unknown (newer) reasons are shown as they came. */
export function stopReasonText(reason: string | null | undefined): string {
  if (!reason) return 'Finished';
  return STOP_REASON_TEXT[reason] ?? `Stopped: ${reason}`;
}

/** Refusal `stop_details` in words: "Declined to answer (refusal): cyber — explanation". */
export function refusalText(category?: string, explanation?: string): string {
  const parts = [category ? `category ${category.replace(/_/g, ' ')}` : '', explanation ?? ''].filter(Boolean);
  return parts.length ? `${STOP_REASON_TEXT.refusal}: ${parts.join(' — ')}` : STOP_REASON_TEXT.refusal;
}

/**
 * 12,345 (en-US grouping, so tests and screenshots read the same on every machine). Grouped by
 * hand: the panel's first `toLocaleString` loads ICU's number data, which cost ~30 ms of the first
 * frame of every new panel (CPU profile of the webview), right when the answer starts.
 */
export function formatInt(n: number | undefined): string {
  const v = Math.round(n ?? 0);
  if (!Number.isFinite(v)) return String(v);
  const digits = String(Math.abs(v));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return v < 0 ? `-${out}` : out;
}

/** 1.2k, 34k, 1.5M: for gauges where the exact number is noise. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

/** USD with enough digits to tell small requests apart. */
export function formatUsd(usd: number): string {
  if (usd < 0.0001) return '<$0.0001';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export interface TokenCounts {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** "1,234 in · 56 out · 1,000 cache read · 200 cache write tokens" (cache parts only when non-zero). */
export function tokensText(t: TokenCounts): string {
  const parts = [`${formatInt(t.inputTokens)} in`, `${formatInt(t.outputTokens)} out`];
  if (t.cacheReadTokens) parts.push(`${formatInt(t.cacheReadTokens)} cache read`);
  if (t.cacheWriteTokens) parts.push(`${formatInt(t.cacheWriteTokens)} cache write`);
  return `${parts.join(' · ')} tokens`;
}

/** Share of the context window at which the gauge warns before a follow-up is sent. */
export const CONTEXT_WARN_RATIO = 0.8;

/** "12k of 200k tokens (6%)" for the context gauge. */
export function contextText(used: number, limit: number): string {
  const pct = limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  return `${formatCompact(used)} of ${formatCompact(limit)} tokens (${pct}%)`;
}
