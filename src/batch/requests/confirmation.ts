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
