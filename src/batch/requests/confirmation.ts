import { english, type Localizer } from '../../l10n';
import { estimateBatchCost } from './batchCost';
import { MIN_CACHEABLE_TOKENS, type BuildResult, type SkipReason, type SkippedFile } from './requestBuilder';
import type { CountedTokens } from './tokenCount';
import type { SplitChunk } from './split';

/** Expected output per request, as a share of max_tokens, for the cost estimate (a guess). */
export const EXPECTED_OUTPUT_SHARE = 0.25;

/**
 * "4 binary (a.png, b.png)": how many files were skipped for `reason`, and which. One literal
 * `l10n.t` call per reason, not a table of strings: `npm run l10n` finds only literal calls.
 */
function skippedPart(reason: SkipReason, count: number, names: string, l10n: Localizer): string {
  switch (reason) {
    case 'binary':
      return l10n.t('{0} binary ({1})', count, names);
    case 'empty':
      return l10n.t('{0} empty ({1})', count, names);
    case 'too-large':
      return l10n.t('{0} too large ({1})', count, names);
    case 'unreadable':
      return l10n.t('{0} unreadable ({1})', count, names);
    case 'changed':
      return l10n.t('{0} changed since selection ({1})', count, names);
    case 'deleted':
      return l10n.t('{0} deleted since selection ({1})', count, names);
  }
}

/** "2 skipped: 1 binary (assets/pixel.png), 1 empty (empty.txt)", naming at most `maxNames` per reason. */
export function describeSkipped(skipped: readonly SkippedFile[], l10n: Localizer = english, maxNames = 3): string {
  if (skipped.length === 0) return l10n.t('Nothing skipped.');
  const byReason = new Map<SkipReason, SkippedFile[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const parts = [...byReason].map(([reason, files]) => {
    const names = files.slice(0, maxNames).map((f) => f.relPath).join(', ');
    const listed = files.length > maxNames ? l10n.t('{0}, +{1} more', names, files.length - maxNames) : names;
    return skippedPart(reason, files.length, listed, l10n);
  });
  return l10n.t('{0} skipped: {1}.', skipped.length, parts.join('; '));
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
  l10n: Localizer = english,
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
    ? l10n.t(
      'Estimated cost: {0} as a batch (half price), {1} run now (output guessed at {2}% of max_tokens).',
      formatUsd(cost.batchUsd),
      formatUsd(cost.standardUsd),
      Math.round(EXPECTED_OUTPUT_SHARE * 100),
    )
    : l10n.t('Estimated cost: unknown (no price known for {0}).', model);
  const how = countedHow(counted, n, l10n);
  const lines = [
    l10n.t('Model: {0}', model),
    tokens.cachedTokens
      ? l10n.t('Estimated input tokens: ~{0} (~{1} from the prompt cache) — {2}', formatCount(tokens.inputTokens), formatCount(tokens.cachedTokens), how)
      : l10n.t('Estimated input tokens: ~{0} — {1}', formatCount(tokens.inputTokens), how),
    costLine,
    describeSkipped(built.skipped, l10n),
  ];
  if (cost && tokens.cachedTokens > 0) {
    lines.push(l10n.t('Prompt caching of the shared instruction (1-hour cache) saves ~{0}.', formatUsd(cost.cacheSavingsUsd)));
  } else if (counted && counted.systemTokens > 0) {
    lines.push(l10n.t(
      'The shared instruction (~{0} tokens) is below the {1}-token minimum, so it is not cached.',
      formatCount(counted.systemTokens),
      formatCount(MIN_CACHEABLE_TOKENS),
    ));
  }
  if (chunks.length > 1) lines.push(l10n.t('Split into {0} batches (at most 100,000 requests / 256 MB each).', chunks.length));
  lines.push(l10n.t('Submit batch: half price, results within 24 hours. Run now: streamed at full price.'));
  return {
    message: n === 1 ? l10n.t('Send {0} file to Claude?', formatCount(n)) : l10n.t('Send {0} files to Claude?', formatCount(n)),
    detail: lines.join('\n'),
  };
}

/** Says how the token number was obtained: counted by the API, sampled, or estimated locally. */
function countedHow(counted: CountedTokens | undefined, n: number, l10n: Localizer): string {
  if (!counted) return l10n.t('estimated from file sizes');
  if (counted.method === 'counted') return l10n.t('counted by the API for all {0} files', formatCount(n));
  if (counted.method === 'sampled') return l10n.t('counted by the API for a sample of {0} of {1} files, scaled by size', formatCount(counted.counted), formatCount(n));
  return l10n.t('estimated from file sizes (token counting failed: {0})', counted.fallbackReason ?? l10n.t('unknown'));
}
