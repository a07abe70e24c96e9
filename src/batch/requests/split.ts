import { english, type Localizer } from '../../l10n';
import type { BatchRequestParams } from './requestBuilder';

/** The API's limits for one `batches.create` call. */
export const MAX_BATCH_REQUESTS = 100_000;
export const MAX_BATCH_BYTES = 256 * 1024 * 1024;
/** Headroom for headers-in-body differences and our own estimation error. */
export const DEFAULT_SAFETY_MARGIN_BYTES = 1024 * 1024;

export interface SplitLimits {
  maxRequests?: number;
  maxBytes?: number;
  safetyMarginBytes?: number;
}

/** A contiguous run `[start, end)` of the requests, and its serialized body size. */
export interface SplitChunk {
  start: number;
  end: number;
  /** Bytes of `{"requests":[...]}` for this chunk. */
  bytes: number;
}

const ENVELOPE_BYTES = Buffer.byteLength('{"requests":[]}');

/**
 * Splits requests into consecutive chunks that each fit one batch: at most `maxRequests`
 * requests and a serialized body of at most `maxBytes - safetyMarginBytes`. Chunks are
 * contiguous so the caller slices the manifest the same way. Throws if a single request
 * cannot fit on its own (the builder's `maxFileBytes` should make that impossible).
 */
export function splitRequests(
  requests: readonly BatchRequestParams[],
  limits: SplitLimits = {},
  l10n: Localizer = english,
): SplitChunk[] {
  const maxRequests = limits.maxRequests ?? MAX_BATCH_REQUESTS;
  const budget = (limits.maxBytes ?? MAX_BATCH_BYTES) - (limits.safetyMarginBytes ?? DEFAULT_SAFETY_MARGIN_BYTES);
  const chunks: SplitChunk[] = [];
  let start = 0;
  let bytes = ENVELOPE_BYTES;
  for (let i = 0; i < requests.length; i++) {
    const size = Buffer.byteLength(JSON.stringify(requests[i]));
    if (ENVELOPE_BYTES + size > budget) {
      throw new RangeError(
        l10n.t('Request {0} is {1} bytes, more than one batch may carry ({2}).', requests[i]?.custom_id ?? '', size, budget),
      );
    }
    const count = i - start;
    const separator = count > 0 ? 1 : 0;
    if (count >= maxRequests || bytes + separator + size > budget) {
      chunks.push({ start, end: i, bytes });
      start = i;
      bytes = ENVELOPE_BYTES + size;
    } else {
      bytes += separator + size;
    }
  }
  if (requests.length > start) chunks.push({ start, end: requests.length, bytes });
  return chunks;
}
