import type Anthropic from '@anthropic-ai/sdk';
import { loadSdk } from './sdk';

export interface ClientOptions {
  apiKey: string;
  baseUrl: string | undefined;
  maxRetries: number;
  timeoutMs: number;
  /** Told about every 429 so the job queue can hold new work for `retry-after`. */
  onRateLimited?: (headers: Headers) => void;
}

/** Builds an SDK client; retries, SSE parsing and timeouts stay the SDK's. */
export function createClient(opts: ClientOptions): Anthropic {
  const onRateLimited = opts.onRateLimited;
  const Sdk = loadSdk();
  return new Sdk({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl ?? null,
    maxRetries: opts.maxRetries,
    timeout: opts.timeoutMs,
    // Observe responses without changing them: the SDK still does the retrying.
    fetch: onRateLimited
      ? async (input: string | URL | Request, init?: RequestInit) => {
          const res = await fetch(input, init);
          if (res.status === 429) onRateLimited(res.headers);
          return res;
        }
      : undefined,
  });
}
