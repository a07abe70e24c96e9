/**
 * Prices for cost estimates, self-contained so the batch core has no dependency on the
 * streaming side; to be reconciled with `src/api/cost.ts` later.
 */

/** USD per million tokens at the standard (non-batch) price. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface CostInput {
  /** Every input token of every request, including the cached and cache-written ones. */
  inputTokens: number;
  /** Output tokens we expect (a guess: the caller usually passes a fraction of max_tokens). */
  expectedOutputTokens: number;
  /** Of `inputTokens`, those expected to be read from the prompt cache. */
  cachedTokens: number;
  /** Of `inputTokens`, those expected to be written to the prompt cache. */
  cacheWriteTokens?: number;
}

export interface CostEstimate {
  /** What the batch is expected to cost (equal to `batchUsd`). */
  usd: number;
  batchUsd: number;
  /** The same work sent as ordinary requests, for comparison ("Run now"). */
  standardUsd: number;
}

export const BATCH_DISCOUNT = 0.5;
export const CACHE_READ_FACTOR = 0.1;
export const CACHE_WRITE_FACTOR = 1.25;

const SONNET: ModelPrice = { input: 3, output: 15 };
const OPUS_NEW: ModelPrice = { input: 5, output: 25 };
const OPUS_OLD: ModelPrice = { input: 15, output: 75 };
const HAIKU_NEW: ModelPrice = { input: 1, output: 5 };

/**
 * Standard price of a model id such as `claude-sonnet-4-5-20250929` or `claude-opus-5`.
 * Later versions of a line cost what its latest known version costs; unknown lines
 * (or versions we have no price for) return `undefined` so the UI can say "unknown".
 */
export function modelPrice(model: string): ModelPrice | undefined {
  const m = /^claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-\d{8})?$/.exec(model);
  if (!m) return undefined;
  const line = m[1];
  const version = Number(m[2]) + Number(m[3] ?? 0) / 10;
  switch (line) {
    case 'sonnet':
      return version >= 3.7 ? SONNET : undefined;
    case 'opus':
      return version >= 4.5 ? OPUS_NEW : version >= 4 ? OPUS_OLD : undefined;
    case 'haiku':
      return version >= 4.5 ? HAIKU_NEW : undefined;
    default:
      return undefined;
  }
}

/**
 * Estimated cost of a batch, and of the same requests at the standard price.
 * Cache reads cost 0.1x input and cache writes 1.25x input; batch pricing halves everything
 * (the discounts stack). `undefined` when the model has no known price.
 */
export function estimateBatchCost(tokens: CostInput, model: string): CostEstimate | undefined {
  const price = modelPrice(model);
  if (!price) return undefined;
  const cached = Math.max(0, tokens.cachedTokens);
  const written = Math.max(0, tokens.cacheWriteTokens ?? 0);
  const plain = Math.max(0, tokens.inputTokens - cached - written);
  const inputUsd =
    (plain + cached * CACHE_READ_FACTOR + written * CACHE_WRITE_FACTOR) * (price.input / 1e6);
  const outputUsd = Math.max(0, tokens.expectedOutputTokens) * (price.output / 1e6);
  const standardUsd = inputUsd + outputUsd;
  const batchUsd = standardUsd * BATCH_DISCOUNT;
  return { usd: batchUsd, batchUsd, standardUsd };
}
