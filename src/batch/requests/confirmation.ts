import { estimateBatchCost } from './batchCost';
import { MIN_CACHEABLE_TOKENS, type BuildResult, type SkipReason, type SkippedFile } from './requestBuilder';
import type { CountedTokens } from './tokenCount';
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
  counted?: CountedTokens,
): ConfirmationText {
  const n = built.requests.length;
  const tokens = counted ?? built.tokens;
  const cost = estimateBatchCost(
    {
      inputTokens: tokens.inputTokens,
      cachedTokens: tokens.cachedTokens,
      cacheWriteTokens: tokens.cacheWriteTokens,
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
    `Estimated input tokens: ~${formatCount(tokens.inputTokens)}` +
      (tokens.cachedTokens ? ` (~${formatCount(tokens.cachedTokens)} from the prompt cache)` : '') +
      ` — ${countedHow(counted, n)}`,
    costLine,
    describeSkipped(built.skipped),
  ];
  if (cost && tokens.cachedTokens > 0) {
    lines.push(`Prompt caching of the shared instruction (1-hour cache) saves ~${formatUsd(cost.cacheSavingsUsd)}.`);
  } else if (counted && counted.systemTokens > 0) {
    lines.push(`The shared instruction (~${formatCount(counted.systemTokens)} tokens) is below the ${formatCount(MIN_CACHEABLE_TOKENS)}-token minimum, so it is not cached.`);
  }
  if (chunks.length > 1) lines.push(`Split into ${chunks.length} batches (at most 100,000 requests / 256 MB each).`);
  lines.push('Submit batch: half price, results within 24 hours. Run now: streamed at full price.');
  return {
    message: `Send ${formatCount(n)} ${n === 1 ? 'file' : 'files'} to Claude?`,
    detail: lines.join('\n'),
  };
}

/** Says how the token number was obtained: counted by the API, sampled, or estimated locally. */
function countedHow(counted: CountedTokens | undefined, n: number): string {
  if (!counted) return 'estimated from file sizes';
  if (counted.method === 'counted') return `counted by the API for all ${formatCount(n)} files`;
  if (counted.method === 'sampled') return `counted by the API for a sample of ${formatCount(counted.counted)} of ${formatCount(n)} files, scaled by size`;
  return `estimated from file sizes (token counting failed: ${counted.fallbackReason ?? 'unknown'})`;
}
