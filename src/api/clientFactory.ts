import Anthropic from '@anthropic-ai/sdk';

export interface ClientOptions {
  apiKey: string;
  baseUrl: string | undefined;
  maxRetries: number;
  timeoutMs: number;
}

/** Builds an SDK client; retries, SSE parsing and timeouts stay the SDK's. */
export function createClient(opts: ClientOptions): Anthropic {
  return new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl ?? null,
    maxRetries: opts.maxRetries,
    timeout: opts.timeoutMs,
  });
}
