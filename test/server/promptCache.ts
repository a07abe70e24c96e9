import { createHash } from 'node:crypto';
import { estimateTokens } from './events';
import { isRecord } from './http';

/**
 * Prompt caching as the usage fields report it. The cached prefix is `tools`, then the `system`
 * blocks up to the last one carrying `cache_control` (breakpoints in messages are not modelled).
 * As in the API, a prefix under the minimum is not cached at all; the API's minimum depends on the
 * model (1024 tokens for Sonnet/Opus, more for Haiku) — one value here keeps tests simple.
 */
export const MIN_CACHEABLE_TOKENS = 1024;

const TTL_MS = { '5m': 5 * 60 * 1000, '1h': 60 * 60 * 1000 } as const;

type Ttl = keyof typeof TTL_MS;

export interface CachedPrefix {
  /** sha256 over model, tools and the system prefix: requests sharing it share a cache entry. */
  key: string;
  tokens: number;
  /** The TTL of the last breakpoint; the whole prefix is attributed to it. */
  ttl: Ttl;
}

export interface CacheUsage {
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export const NO_CACHE: CacheUsage = {
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
};

/** The cacheable prefix of a request, or undefined when it has no breakpoint or is too short. */
export function cachedPrefixOf(params: Record<string, unknown>): CachedPrefix | undefined {
  const system = params['system'];
  if (!Array.isArray(system)) return undefined;
  let last = -1;
  system.forEach((block, i) => {
    if (isRecord(block) && isRecord(block['cache_control'])) last = i;
  });
  if (last < 0) return undefined;
  const blocks = system.slice(0, last + 1);
  const tools = params['tools'];
  // Same character measure as countInputTokens, so cached tokens never exceed the total.
  const chars = (tools === undefined ? 0 : JSON.stringify(tools).length) + JSON.stringify(blocks).length;
  const tokens = estimateTokens(chars);
  if (tokens < MIN_CACHEABLE_TOKENS) return undefined;
  const control = (blocks[last] as Record<string, Record<string, unknown>>)['cache_control'];
  const ttl: Ttl = control['ttl'] === '1h' ? '1h' : '5m';
  const key = createHash('sha256').update(JSON.stringify([params['model'], tools ?? null, blocks])).digest('hex');
  return { key, tokens, ttl };
}

export function writeUsage(prefix: CachedPrefix): CacheUsage {
  return {
    cache_creation_input_tokens: prefix.tokens,
    cache_read_input_tokens: 0,
    cache_creation: {
      ephemeral_5m_input_tokens: prefix.ttl === '5m' ? prefix.tokens : 0,
      ephemeral_1h_input_tokens: prefix.ttl === '1h' ? prefix.tokens : 0,
    },
  };
}

export function readUsage(prefix: CachedPrefix): CacheUsage {
  return { ...NO_CACHE, cache_read_input_tokens: prefix.tokens };
}

/** Input tokens the API reports: the total minus what was written to or read from the cache. */
export function uncachedInputTokens(totalTokens: number, cache: CacheUsage): number {
  return Math.max(0, totalTokens - cache.cache_creation_input_tokens - cache.cache_read_input_tokens);
}

/**
 * The per-server cache behind POST /v1/messages: the first request with a prefix writes it, later
 * ones read it until its TTL lapses; a read refreshes the TTL, as in the API. Cleared by
 * `control.reset()` so tests do not depend on each other's order.
 */
export class PromptCache {
  private readonly expiresAt = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  use(params: Record<string, unknown>): CacheUsage {
    const prefix = cachedPrefixOf(params);
    if (!prefix) return NO_CACHE;
    const time = this.now();
    const hit = (this.expiresAt.get(prefix.key) ?? 0) > time;
    this.expiresAt.set(prefix.key, time + TTL_MS[prefix.ttl]);
    return hit ? readUsage(prefix) : writeUsage(prefix);
  }

  clear(): void {
    this.expiresAt.clear();
  }
}

interface BatchCachePlan {
  prefixes: (CachedPrefix | undefined)[];
  /** Per prefix key, the index of the request that writes it. */
  writers: Map<string, number>;
}

const batchPlans = new WeakMap<readonly unknown[], BatchCachePlan>();

/**
 * Cache usage of request `index` of an ended batch: the first SUCCEEDED request (in submission
 * order) with a prefix writes it and the others with the same prefix read it. Decided by index,
 * not by download order, so every download of the results reports the same numbers.
 */
export function batchCacheUsage(
  requests: readonly { params: object }[],
  succeeded: (index: number) => boolean,
  index: number,
): CacheUsage {
  let plan = batchPlans.get(requests);
  if (!plan) {
    const prefixes = requests.map((r) => cachedPrefixOf(r.params as Record<string, unknown>));
    const writers = new Map<string, number>();
    prefixes.forEach((p, i) => {
      if (p && !writers.has(p.key) && succeeded(i)) writers.set(p.key, i);
    });
    plan = { prefixes, writers };
    batchPlans.set(requests, plan);
  }
  const prefix = plan.prefixes[index];
  if (!prefix) return NO_CACHE;
  return plan.writers.get(prefix.key) === index ? writeUsage(prefix) : readUsage(prefix);
}
