import { createHash } from 'node:crypto';
import type { BatchCreateParams } from '@anthropic-ai/sdk/resources/messages/batches';
import { isNotFoundError } from '../store/fsPort';
import type { ReadFilePort } from '../store/fsPort';
import { mapPool } from '../pool';
import { fenceFor } from '../../markdownFence';
import { kindGuidance, outputConfigFor, type BatchKind } from './kinds';

/** One request of a `batches.create` body. */
export type BatchRequestParams = BatchCreateParams.Request;

/** A file the user selected; `size` comes from the host's directory listing (may be stale). */
export interface CandidateFile {
  /** Opaque id the host reads the file by (a URI string). */
  uri: string;
  /** Workspace-relative path, for display and result paths. */
  relPath: string;
  size: number;
}

/** Maps a request's `custom_id` back to the file it was built from. */
export interface ManifestEntry {
  customId: string;
  uri: string;
  relPath: string;
  /** Bytes of the content actually sent. */
  bytes: number;
  /** sha256 (hex) of the content actually sent. */
  sha256: string;
}

export type SkipReason = 'binary' | 'empty' | 'too-large' | 'unreadable' | 'changed' | 'deleted';

export interface SkippedFile {
  relPath: string;
  reason: SkipReason;
  detail?: string;
}

export interface BuildOptions {
  model: string;
  maxTokens: number;
  /** The shared instruction, sent once per request as a cached system block. */
  instruction: string;
  maxFileBytes: number;
  /** Appended to the instruction in the same cached block. */
  systemPrompt?: string;
  /** Files read at once (default 32). */
  concurrency?: number;
  /** Overrides `makeCustomId`, e.g. so a retry keeps the original ids. */
  customIdFor?: (file: CandidateFile, index: number) => string;
  /** What the batch does (default `answer`): edit and review ask for a structured output. */
  kind?: BatchKind;
}

/** Token estimate for the whole submission; see `estimateTokens` for the heuristic. */
export interface TokenEstimate {
  /** All input tokens of all requests (cached ones included). */
  inputTokens: number;
  /** Of those, expected cache reads (the shared system block after the first request). */
  cachedTokens: number;
  /** Of those, expected cache writes (the shared system block, once). */
  cacheWriteTokens: number;
}

export interface BuildResult {
  requests: BatchRequestParams[];
  /** Aligned with `requests`. */
  manifest: ManifestEntry[];
  skipped: SkippedFile[];
  estimatedInputTokens: number;
  tokens: TokenEstimate;
}

/** The first bytes searched for NUL, as git and most editors do. */
const BINARY_SNIFF_BYTES = 8 * 1024;
/**
 * Bytes per token for code-like text. Measured tokenizers give roughly 3-4 bytes per token for
 * English and source code; 3.5 errs slightly high. CJK text is closer to 1 token per 3 bytes,
 * so estimates for it run about 15% low.
 */
export const BYTES_PER_TOKEN = 3.5;
/** Below this many tokens a prompt is not cached at all (the API's smallest minimum). */
export const MIN_CACHEABLE_TOKENS = 1024;
/** Per-message overhead of the chat format (role markers etc.), a small constant. */
const MESSAGE_OVERHEAD_TOKENS = 8;
const CUSTOM_ID_MAX = 64;

/**
 * Builds one batch request per readable text file. Files are read concurrently (bounded);
 * the content is decoded once and hashed once. Skips binary, empty, too-large, unreadable,
 * deleted and changed files and says why. Deterministic: the same candidates in the same
 * order give the same `custom_id`s.
 */
export async function buildBatchRequests(
  candidates: readonly CandidateFile[],
  readFile: ReadFilePort,
  options: BuildOptions,
): Promise<BuildResult> {
  const system = systemText(options);
  const outputConfig = outputConfigFor(options.kind ?? 'answer');
  const outcomes = await mapPool(candidates, options.concurrency ?? 32, (file, index) =>
    prepareFile(file, options.customIdFor?.(file, index) ?? makeCustomId(index, file.relPath), readFile, options.maxFileBytes),
  );

  const requests: BatchRequestParams[] = [];
  const manifest: ManifestEntry[] = [];
  const skipped: SkippedFile[] = [];
  let contentTokens = 0;
  for (const outcome of outcomes) {
    if ('reason' in outcome) {
      skipped.push(outcome);
      continue;
    }
    const { entry, userText } = outcome;
    requests.push({
      custom_id: entry.customId,
      params: {
        model: options.model,
        max_tokens: options.maxTokens,
        // 1 h, not the default 5 min: a batch can take hours, and every request shares this block.
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral', ttl: '1h' } }],
        messages: [{ role: 'user', content: userText }],
        ...(outputConfig ? { output_config: outputConfig } : {}),
      },
    });
    manifest.push(entry);
    contentTokens += estimateTextTokens(userText.length, entry.bytes) + MESSAGE_OVERHEAD_TOKENS;
  }
  const tokens = estimateTokens(contentTokens, estimateTextTokens(system.length), requests.length);
  return { requests, manifest, skipped, estimatedInputTokens: tokens.inputTokens, tokens };
}

/** The cached system text: the instruction, the kind's guidance, then the optional system prompt. */
export function systemText(options: Pick<BuildOptions, 'instruction' | 'systemPrompt' | 'kind'>): string {
  return [options.instruction, kindGuidance(options.kind ?? 'answer'), options.systemPrompt?.trim() ?? '']
    .filter(Boolean)
    .join('\n\n');
}

/**
 * Splits an estimate into plain, cache-write and cache-read tokens. The shared system block is
 * written once and read by every other request — optimistic, since batch requests run in
 * parallel and cache hits are best effort; blocks under `MIN_CACHEABLE_TOKENS` are not cached.
 */
export function estimateTokens(
  contentTokens: number,
  systemTokens: number,
  requestCount: number,
): TokenEstimate {
  const inputTokens = contentTokens + systemTokens * requestCount;
  if (requestCount === 0 || systemTokens < MIN_CACHEABLE_TOKENS) {
    return { inputTokens, cachedTokens: 0, cacheWriteTokens: 0 };
  }
  return {
    inputTokens,
    cacheWriteTokens: systemTokens,
    cachedTokens: systemTokens * (requestCount - 1),
  };
}

/** Token estimate for text of `chars` UTF-16 units (or `bytes` UTF-8 bytes when known). */
export function estimateTextTokens(chars: number, bytes = chars): number {
  return Math.ceil(Math.max(chars, bytes) / BYTES_PER_TOKEN);
}

type PrepareOutcome = SkippedFile | { entry: ManifestEntry; userText: string };

async function prepareFile(
  file: CandidateFile,
  customId: string,
  readFile: ReadFilePort,
  maxFileBytes: number,
): Promise<PrepareOutcome> {
  const relPath = file.relPath;
  // Checked before reading so a 2 GB log is never loaded just to be rejected.
  if (file.size > maxFileBytes) {
    return { relPath, reason: 'too-large', detail: `${file.size} bytes (limit ${maxFileBytes})` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.uri);
  } catch (err) {
    if (isNotFoundError(err)) return { relPath, reason: 'deleted' };
    return { relPath, reason: 'unreadable', detail: errorMessage(err) };
  }
  // The listing can be stale: the actual bytes decide.
  if (bytes.byteLength > maxFileBytes) {
    return {
      relPath,
      reason: 'changed',
      detail: `grew to ${bytes.byteLength} bytes since selection (limit ${maxFileBytes})`,
    };
  }
  if (bytes.byteLength === 0) return { relPath, reason: 'empty' };
  const text = decodeText(bytes);
  if (text === undefined) return { relPath, reason: 'binary' };
  // A regex stops at the first visible character; trim() would copy the whole file.
  if (!/\S/.test(text)) return { relPath, reason: 'empty', detail: 'whitespace only' };
  const entry: ManifestEntry = {
    customId,
    uri: file.uri,
    relPath,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  return { entry, userText: fileMessage(relPath, text) };
}

/** UTF-8 text of `bytes`, or `undefined` for binary (a NUL in the first 8 KB, or invalid UTF-8). */
export function decodeText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (head.indexOf(0) !== -1) return undefined;
  try {
    // A decoder per call: a fatal decoder that threw may keep state.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The user turn: the file's path, then its content in a fence no backtick run can close. */
export function fileMessage(relPath: string, text: string): string {
  const fence = fenceFor(text);
  const lang = languageHint(relPath);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `File: ${relPath}\n\n${fence}${lang}\n${body}${fence}\n`;
}

function languageHint(relPath: string): string {
  const m = /\.([A-Za-z0-9+#-]{1,12})$/.exec(relPath);
  return m ? (m[1] as string).toLowerCase() : '';
}

const CUSTOM_ID_RE = /^[a-zA-Z0-9_-]{1,64}$/;

/** True when `id` is a valid `custom_id` (`^[a-zA-Z0-9_-]{1,64}$`). */
export function isValidCustomId(id: string): boolean {
  return CUSTOM_ID_RE.test(id);
}

/**
 * `custom_id` for the file at `index`: `f<index base36>-<tail of the sanitised file name>`.
 * The index prefix makes it unique (base36 has no `-`, so prefixes never collide) and
 * deterministic; the tail keeps it readable in the API console. Non-ASCII letters lose their
 * accents, anything else outside `[A-Za-z0-9_-]` becomes `_`, and long names keep their end
 * (where the extension is).
 */
export function makeCustomId(index: number, relPath: string): string {
  const prefix = `f${index.toString(36)}-`;
  const base = relPath.split(/[\\/]/).pop() ?? '';
  // normalize() is costly; only non-ASCII names need it.
  const folded = /^[\x20-\x7e]*$/.test(base) ? base : base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const ascii = folded
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const room = CUSTOM_ID_MAX - prefix.length;
  const tail = ascii.length > room ? ascii.slice(ascii.length - room) : ascii;
  return prefix + (tail || 'file');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
