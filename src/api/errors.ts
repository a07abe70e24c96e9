import { loadSdk } from './sdk';
import { redactSecrets } from '../redact';

/** What the user can do about an error; each maps to a button in the notification. */
export type ErrorAction = 'setApiKey' | 'selectModel' | 'openSettings' | 'retry' | 'showLog';

export type ErrorKind =
  | 'noKey'
  | 'badKey'
  | 'permission'
  | 'modelNotFound'
  | 'notFound'
  | 'badRequest'
  | 'tooLarge'
  | 'rateLimited'
  | 'overloaded'
  | 'server'
  | 'unreachable'
  | 'timeout'
  | 'cancelled'
  | 'streamInterrupted'
  | 'unknown';

export interface ClassifiedError {
  kind: ErrorKind;
  /** One sentence for the user; never contains the key. */
  message: string;
  actions: ErrorAction[];
  status?: number;
  requestId?: string;
  /** A stream that failed part-way can be retried or continued. */
  retryable: boolean;
}

/** Thrown when no key is in SecretStorage or the environment. */
export class MissingApiKeyError extends Error {
  constructor() {
    super('No Anthropic API key is set.');
    this.name = 'MissingApiKeyError';
  }
}

export interface ClassifyContext {
  /** The base URL in use (for messages about unreachable hosts). */
  baseUrl?: string;
  model?: string;
  /** Secrets to scrub from any text that came from the server or the network stack. */
  secrets?: readonly (string | undefined)[];
}

/** The one place SDK errors become user-facing messages and actions. */
export function classifyError(err: unknown, ctx: ClassifyContext = {}): ClassifiedError {
  const scrub = (s: string) => redactSecrets(s, ctx.secrets);
  // By name, not instanceof: dist/batch.js carries its own copy of this module, and the error
  // comes from the activation bundle's ApiService.
  if (err instanceof Error && err.name === 'MissingApiKeyError') {
    return { kind: 'noKey', message: 'No Anthropic API key is set. Set one to use Claude Events.', actions: ['setApiKey'], retryable: false };
  }
  const Anthropic = loadSdk();
  if (err instanceof Anthropic.APIUserAbortError) {
    return { kind: 'cancelled', message: 'Cancelled.', actions: [], retryable: true };
  }
  if (err instanceof Anthropic.APIConnectionTimeoutError) {
    return { kind: 'timeout', message: `The request to ${hostOf(ctx.baseUrl)} timed out. Check your connection or raise claudeEvents.timeoutSeconds.`, actions: ['retry', 'openSettings'], retryable: true };
  }
  if (err instanceof Anthropic.APIConnectionError) {
    const cause = scrub(describeCause(err));
    return {
      kind: 'unreachable',
      message: `Could not reach ${hostOf(ctx.baseUrl)}${cause ? ` (${cause})` : ''}. Check claudeEvents.baseUrl (or ANTHROPIC_BASE_URL) and your connection.`,
      actions: ['retry', 'openSettings'],
      retryable: true,
    };
  }
  if (err instanceof Anthropic.APIError) {
    const status = typeof err.status === 'number' ? err.status : undefined;
    const requestId = err.requestID ?? undefined;
    const apiMessage = scrub(err.apiMessage ?? firstLine(err.message));
    const base = { status, requestId };
    if (status === undefined && err.type) {
      // An `event: error` in the middle of a stream: the API reports it with no HTTP status.
      const overloaded = err.type === 'overloaded_error';
      return {
        ...base,
        kind: overloaded ? 'overloaded' : 'streamInterrupted',
        message: `The stream was interrupted: ${apiMessage || err.type}.`,
        actions: ['retry'],
        retryable: true,
      };
    }
    switch (status) {
      case 401:
        return { ...base, kind: 'badKey', message: 'The API key was rejected (401). Set a valid key.', actions: ['setApiKey'], retryable: false };
      case 403:
        return { ...base, kind: 'permission', message: `Permission denied (403): ${apiMessage}`, actions: ['setApiKey'], retryable: false };
      case 404:
        if (ctx.model && /model/i.test(apiMessage)) {
          return { ...base, kind: 'modelNotFound', message: `The model "${ctx.model}" was not found (404). Select another model.`, actions: ['selectModel'], retryable: false };
        }
        return { ...base, kind: 'notFound', message: `Not found (404): ${apiMessage}`, actions: [], retryable: false };
      case 413:
        return { ...base, kind: 'tooLarge', message: `The request is too large (413): ${apiMessage}`, actions: [], retryable: false };
      case 429:
        return { ...base, kind: 'rateLimited', message: `Rate limited (429) after retries: ${apiMessage}`, actions: ['retry'], retryable: true };
      case 529:
        return { ...base, kind: 'overloaded', message: `The API is overloaded (529) after retries. Try again shortly.`, actions: ['retry'], retryable: true };
    }
    if (status !== undefined && status >= 500) {
      return { ...base, kind: 'server', message: `The API failed (${status}) after retries: ${apiMessage}`, actions: ['retry'], retryable: true };
    }
    if (status !== undefined && status >= 400) {
      return { ...base, kind: 'badRequest', message: `The API refused the request (${status}): ${apiMessage}`, actions: ['showLog'], retryable: false };
    }
    return { ...base, kind: 'unknown', message: scrub(firstLine(err.message)) || 'Unknown API error.', actions: ['retry', 'showLog'], retryable: true };
  }
  if (err instanceof Anthropic.AnthropicError && (err as { cause?: unknown }).cause instanceof Error) {
    // The SDK's MessageStream wraps what broke the body (a dropped socket: "terminated") this way.
    const cause = scrub(describeCause(err) || firstLine(err.message));
    return { kind: 'streamInterrupted', message: `The connection dropped mid-answer${cause ? ` (${cause})` : ''}.`, actions: ['retry'], retryable: true };
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', message: scrub(firstLine(msg)) || 'Unknown error.', actions: ['showLog'], retryable: false };
}

function hostOf(baseUrl: string | undefined): string {
  if (!baseUrl) return 'api.anthropic.com';
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

function describeCause(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const c = cause as { code?: string; message?: string; cause?: { code?: string } };
    return c.code ?? c.cause?.code ?? firstLine(c.message ?? '');
  }
  return '';
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
