export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export type Fault =
  | { type: 'drop'; afterEvent: number }
  | { type: 'error'; afterEvent: number; errorType?: 'overloaded_error' | 'api_error' }
  | { type: 'status'; status: 429 | 500 | 503 | 529; retryAfter?: number; retryAfterMs?: number }
  | { type: 'stall'; afterEvent: number }
  | { type: 'notSse' }
  | { type: 'malformed'; afterEvent: number }
  | { type: 'unknownEvents' }
  | { type: 'slowDrip'; delayMs: number };

/** A scripted behaviour for the next matching POST /v1/messages. */
export interface Script {
  /** Substring tested against the raw request body. */
  match?: string;
  /** Name of a test/fixtures/sse file without `.sse`. */
  fixture?: string;
  /** Replaces the default answer text. */
  text?: string;
  toolUse?: { name: string; input: unknown };
  thinking?: boolean;
  fault?: Fault;
  deltaDelayMs?: number;
  /** Text deltas of exactly this many characters (benchmarks); default 1-12 at random. */
  deltaChars?: number;
  /** Waits this long before the response head (a test can get ready to watch the stream). */
  headDelayMs?: number;
  /** Overrides the server's chunking for this stream ('none': whole events, as fast as it can). */
  chunking?: 'random' | 'none';
  /** How many requests this script answers (default 1). */
  times?: number;
}

export type BatchOutcome = 'succeeded' | 'errored' | 'expired' | 'canceled';

export interface ServerOptions {
  /** 0 (default) picks a random free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Batches end by themselves after this long; null (default) = only on command. */
  batchDurationMs?: number | null;
  log?: (line: string) => void;
  /** 'random' (default) splits the SSE body at arbitrary byte offsets; 'none' writes whole events. */
  chunking?: 'random' | 'none';
}

export interface RecordedRequest {
  requestId: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased header names; x-api-key is dropped and authorization redacted. */
  headers: Record<string, string | string[] | undefined>;
  /** Whether an x-api-key or `Authorization: Bearer` key was sent. */
  apiKeyPresent: boolean;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
  time: number;
}

/** When a stream's bytes left the server (epoch ms, comparable with Date.now() in other processes on the machine). */
export interface StreamTiming {
  requestId: string;
  /** The response head was flushed. */
  firstByteAt: number;
  /** The last byte was handed to the socket (res.end). */
  lastByteAt: number;
  events: number;
}

export interface ClosedEarlyEvent {
  requestId: string;
  path: string;
  eventsWritten: number;
  time: number;
}

export interface ToolResultRecord {
  requestId: string;
  toolUseId: string;
  content: string;
  isError: boolean;
}

export interface EndBatchOptions {
  outcomes?: Record<string, BatchOutcome>;
  default?: BatchOutcome;
}

export interface SyntheticBatchOptions {
  count: number;
  bytesPerResult: number;
  /** Relative weights per outcome (default: all succeeded); assignment is deterministic by index. */
  outcomes?: Partial<Record<BatchOutcome, number>>;
}

export type CreateFailure = 400 | 413 | 500 | 'drop';
