import { estimateBatchCost } from './batchCost';
import type { BuildResult, SkipReason, SkippedFile } from './requestBuilder';
import type { SplitChunk } from './split';

/** Expected output per request, as a share of max_tokens, for the cost estimate (a guess). */
export const EXPECTED_OUTPUT_SHARE = 0.25;

const REASON_WORDS: Record<SkipReason, string> = {
  binary: 'binary',
  empty: 'empty',
  'too-large': 'too large',
  unreadable: 'unreadable',
  changed: 'changed since selection',
  deleted: 'deleted since selection',
};

/** "2 skipped: 1 binary (assets/pixel.png), 1 empty (empty.txt)", naming at most `maxNames` per reason. */
export function describeSkipped(skipped: readonly SkippedFile[], maxNames = 3): string {
  if (skipped.length === 0) return 'Nothing skipped.';
  const byReason = new Map<SkipReason, SkippedFile[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const parts = [...byReason].map(([reason, files]) => {
    const names = files.slice(0, maxNames).map((f) => f.relPath);
    const more = files.length > maxNames ? `, +${files.length - maxNames} more` : '';
    return `${files.length} ${REASON_WORDS[reason]} (${names.join(', ')}${more})`;
  });
  return `${skipped.length} skipped: ${parts.join('; ')}.`;
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return '< $0.01';
  return `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export interface ConfirmationText {
  message: string;
  detail: string;
}

/** The one confirmation before submitting: count, skipped and why, model, tokens, cost, split. */
export function confirmationText(
  built: Pick<BuildResult, 'requests' | 'skipped' | 'tokens'>,
  model: string,
  maxTokens: number,
  chunks: readonly SplitChunk[],
): ConfirmationText {
  const n = built.requests.length;
  const cost = estimateBatchCost(
    {
      inputTokens: built.tokens.inputTokens,
      cachedTokens: built.tokens.cachedTokens,
      cacheWriteTokens: built.tokens.cacheWriteTokens,
      expectedOutputTokens: Math.round(n * maxTokens * EXPECTED_OUTPUT_SHARE),
    },
    model,
  );
  const costLine = cost
    ? `Estimated cost: ${formatUsd(cost.batchUsd)} as a batch (half price), ${formatUsd(cost.standardUsd)} run now ` +
      `(output guessed at ${Math.round(EXPECTED_OUTPUT_SHARE * 100)}% of max_tokens).`
    : `Estimated cost: unknown (no price known for ${model}).`;
  const lines = [
    `Model: ${model}`,
    `Estimated input tokens: ~${formatCount(built.tokens.inputTokens)}` +
      (built.tokens.cachedTokens ? ` (~${formatCount(built.tokens.cachedTokens)} from the prompt cache)` : ''),
    costLine,
    describeSkipped(built.skipped),
  ];
  if (chunks.length > 1) lines.push(`Split into ${chunks.length} batches (at most 100,000 requests / 256 MB each).`);
  lines.push('Submit batch: half price, results within 24 hours. Run now: streamed at full price.');
  return {
    message: `Send ${formatCount(n)} ${n === 1 ? 'file' : 'files'} to Claude?`,
    detail: lines.join('\n'),
  };
}

/**
 * One glob for `findFiles`' exclude argument from several patterns: `{a,b,c}`. VS Code globs do
 * not nest braces, so patterns that contain braces are expanded first.
 */
export function combineGlobs(patterns: readonly string[]): string | undefined {
  const flat = [...new Set(patterns.flatMap(expandBraces).map((p) => p.trim()).filter(Boolean))];
  if (flat.length === 0) return undefined;
  return flat.length === 1 ? flat[0] : `{${flat.join(',')}}`;
}

/** `a/{b,c}/*.{ts,js}` → the four plain patterns; text without braces is returned as is. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return splitTopLevel(pattern.slice(open + 1, i)).flatMap((alt) => expandBraces(head + alt + tail));
    }
  }
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** The enabled patterns of a `files.exclude`-shaped object (`{ "**\/.git": true }`). */
export function enabledPatterns(setting: Record<string, unknown> | undefined): string[] {
  return Object.entries(setting ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}

/** "Batch msgbatch_… ended: 3 succeeded, 1 errored". */
export function endedMessage(
  batchId: string,
  counts: { succeeded: number; errored: number; expired: number; canceled: number },
  whileClosed = false,
): string {
  const parts = (['succeeded', 'errored', 'expired', 'canceled'] as const)
    .filter((k) => counts[k] > 0 || k === 'succeeded')
    .map((k) => `${counts[k]} ${k}`);
  return `Batch ${batchId} ended${whileClosed ? ' while VS Code was closed' : ''}: ${parts.join(', ')}`;
}
