/** Batch cost estimates (before submitting), on top of the shared price table. */
import { priceFor } from '../../api/cost';

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
  /** What prompt caching of the shared instruction saves on the batch. */
  cacheSavingsUsd: number;
}

export const BATCH_DISCOUNT = 0.5;
export const CACHE_READ_FACTOR = 0.1;
/** Batches write the shared instruction with the 1-hour TTL, whose writes cost 2x input (5 min: 1.25x). */
export const CACHE_WRITE_FACTOR = 2;

/** Standard price of a model, from the one price table in `src/api/cost.ts`. */
export function modelPrice(model: string): ModelPrice | undefined {
  return priceFor(model);
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
  // The same batch with nothing cached: what the shared, cached instruction saves.
  const uncachedUsd = (Math.max(0, tokens.inputTokens) * (price.input / 1e6) + outputUsd) * BATCH_DISCOUNT;
  return { usd: batchUsd, batchUsd, standardUsd, cacheSavingsUsd: Math.max(0, uncachedUsd - batchUsd) };
}
