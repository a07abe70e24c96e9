import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages';
import { mapPool } from '../pool';
import type { BatchRequestParams, TokenEstimate } from './requestBuilder';
import { MIN_CACHEABLE_TOKENS } from './requestBuilder';

/** `client.messages.countTokens`, as a port (the SDK call in the host, anything in tests). */
export type CountTokens = (params: MessageCountTokensParams) => Promise<{ input_tokens: number }>;

export interface CountedTokens extends TokenEstimate {
  /** How the number was obtained, for the confirmation to say. */
  method: 'counted' | 'sampled' | 'estimated';
  /** Requests sent to count_tokens. */
  counted: number;
  /** Tokens of the shared (cached) system block, counted once; 0 when unknown. */
  systemTokens: number;
  /** Why counting fell back to the local estimate. */
  fallbackReason?: string;
}

export interface CountOptions {
  /** Count every request up to this many (default 200). */
  limit?: number;
  /** Past the limit, count this many spread evenly across the batch and scale (default 50). */
  sample?: number;
  concurrency?: number;
}

/**
 * Input tokens of a submission from the API's own counter (`messages.countTokens`): every
 * request up to `limit`, an even sample beyond it, scaled by each request's share of the
 * submission's characters. The shared system block is counted once (with and without it) so the
 * cache share is known. Falls back to `heuristic` with the reason when counting fails (a
 * model without count_tokens, no network): the confirmation must still show something.
 */
export async function countSubmissionTokens(
  requests: readonly BatchRequestParams[],
  count: CountTokens,
  heuristic: TokenEstimate,
  options: CountOptions = {},
): Promise<CountedTokens> {
  const limit = options.limit ?? 200;
  const sampleSize = Math.min(requests.length, options.sample ?? 50);
  const all = requests.length <= limit;
  const chosen = all ? requests.map((_, i) => i) : evenSample(requests.length, sampleSize);
  try {
    const tokens = await mapPool(chosen, options.concurrency ?? 8, (i) => count(countParams(requests[i]!)).then((r) => r.input_tokens));
    const countedSum = tokens.reduce((a, b) => a + b, 0);
    let inputTokens = countedSum;
    if (!all) {
      // Scale by characters, not by request count: files differ in size by orders of magnitude.
      const charsOf = (i: number) => JSON.stringify(requests[i]!.params.messages).length;
      const sampleChars = chosen.reduce((a, i) => a + charsOf(i), 0);
      const totalChars = requests.reduce((a, _r, i) => a + charsOf(i), 0);
      const perRequestFixed = await systemOnlyTokens(requests[0]!, count);
      const variable = countedSum - perRequestFixed * chosen.length;
      inputTokens = Math.round(perRequestFixed * requests.length + (sampleChars ? (variable * totalChars) / sampleChars : 0));
    }
    const systemTokens = requests.length ? await systemOnlyTokens(requests[0]!, count) : 0;
    const cacheable = systemTokens >= MIN_CACHEABLE_TOKENS && requests.length > 0;
    return {
      method: all ? 'counted' : 'sampled',
      counted: chosen.length,
      inputTokens,
      systemTokens,
      cacheWriteTokens: cacheable ? systemTokens : 0,
      cachedTokens: cacheable ? systemTokens * (requests.length - 1) : 0,
    };
  } catch (err) {
    return { ...heuristic, method: 'estimated', counted: 0, systemTokens: 0, fallbackReason: err instanceof Error ? err.message : String(err) };
  }
}

function countParams(req: BatchRequestParams): MessageCountTokensParams {
  const p = req.params;
  return {
    model: p.model,
    messages: p.messages,
    ...(p.system ? { system: p.system } : {}),
    ...(p.output_config ? { output_config: p.output_config } : {}),
    ...(p.thinking ? { thinking: p.thinking } : {}),
  } as MessageCountTokensParams;
}

const systemCache = new WeakMap<object, Promise<number>>();

/** Tokens the system block adds to a request: with it minus without it. */
function systemOnlyTokens(req: BatchRequestParams, count: CountTokens): Promise<number> {
  let cached = systemCache.get(req);
  if (!cached) {
    const probe = [{ role: 'user' as const, content: '.' }];
    const params = countParams(req);
    cached = Promise.all([
      count({ ...params, messages: probe }),
      count({ model: params.model, messages: probe }),
    ]).then(([withSystem, without]) => Math.max(0, withSystem.input_tokens - without.input_tokens));
    systemCache.set(req, cached);
  }
  return cached;
}

/** `k` indices spread evenly over `0..n-1`, first and last included. */
export function evenSample(n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  if (k <= 1) return [0];
  return [...new Set(Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1))))];
}
