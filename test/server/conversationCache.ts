// Prompt caching for /v1/messages conversations: breakpoints on any block or top-level
// cache_control (follow-ups read the earlier turns). System-prefix caching with TTLs, and batches,
// are in promptCache.ts; messages.ts uses this one when that one finds no system breakpoint.
import { createHash } from 'node:crypto';
import { estimateTokens } from './events';
import { isRecord } from './http';

/** Cache tokens of one request, as the API reports them in `usage`. */
export interface ConversationCacheUsage {
  /** Input tokens after the last cache breakpoint (or all of them, without one). */
  input: number;
  read: number;
  write: number;
}

type Body = Record<string, unknown>;

/** Shortest prefix the API caches (Sonnet and Opus); a shorter breakpoint writes nothing. */
const MIN_CACHEABLE_TOKENS = 1024;

/**
 * Prompt caching as the API does it, closely enough for tests: a `cache_control` breakpoint (on
 * a block, or top-level for the last cacheable block) writes the prefix up to and including its block (tools, then system, then messages); a later
 * request reads the longest earlier-written prefix it starts with. Tokens are ≈ chars / 4;
 * prefixes under MIN_CACHEABLE_TOKENS are not cached, as on the API. No TTL: tests are short.
 */
export class ConversationCache {
  private readonly written = new Map<string, number>();

  usage(body: Body, totalTokens: number): ConversationCacheUsage {
    const items = prefixItems(body);
    // Top-level `cache_control` marks the last cacheable block (thinking blocks cannot carry one).
    if (isRecord(body['cache_control'])) {
      const last = items.map((i) => i.cacheable).lastIndexOf(true);
      if (last >= 0) items[last].breakpoint = true;
    }
    const hash = createHash('sha256');
    hash.update(String(body['model']));
    let chars = 0;
    let read = 0;
    let lastBreakpoint = -1;
    const keys: { key: string; tokens: number; breakpoint: boolean }[] = [];
    for (const item of items) {
      hash.update(item.json);
      chars += item.json.length;
      const key = hash.copy().digest('hex');
      const tokens = Math.min(totalTokens, estimateTokens(chars));
      keys.push({ key, tokens, breakpoint: item.breakpoint });
      if (item.breakpoint) lastBreakpoint = keys.length - 1;
    }
    for (let i = 0; i <= lastBreakpoint; i++) {
      const hit = this.written.get(keys[i].key);
      if (hit !== undefined) read = Math.max(read, hit);
    }
    let write = 0;
    for (const k of keys) {
      if (!k.breakpoint || this.written.has(k.key) || k.tokens < MIN_CACHEABLE_TOKENS) continue;
      this.written.set(k.key, k.tokens);
      write = Math.max(write, k.tokens - read);
    }
    return { input: Math.max(0, totalTokens - read - write), read, write };
  }

  reset(): void {
    this.written.clear();
  }
}

/** Tools, system and every message block in order, without their `cache_control` (it is not content). */
function prefixItems(body: Body): { json: string; breakpoint: boolean; cacheable: boolean }[] {
  const out: { json: string; breakpoint: boolean; cacheable: boolean }[] = [];
  const push = (role: string, block: unknown) => {
    const breakpoint = isRecord(block) && isRecord(block['cache_control']);
    const clean = isRecord(block) ? { ...block } : block;
    if (isRecord(clean)) delete clean['cache_control'];
    const type = isRecord(block) ? block['type'] : undefined;
    out.push({ json: JSON.stringify([role, clean]), breakpoint, cacheable: type !== 'thinking' && type !== 'redacted_thinking' });
  };
  for (const tool of Array.isArray(body['tools']) ? body['tools'] : []) push('tool', tool);
  const system = body['system'];
  if (typeof system === 'string') push('system', { type: 'text', text: system });
  else if (Array.isArray(system)) for (const b of system) push('system', b);
  for (const m of Array.isArray(body['messages']) ? body['messages'] : []) {
    if (!isRecord(m)) continue;
    const role = String(m['role']);
    const content = m['content'];
    if (typeof content === 'string') push(role, { type: 'text', text: content });
    else if (Array.isArray(content)) for (const b of content) push(role, b);
  }
  return out;
}
