import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { fenceFor } from '../markdownFence';
import type { ManifestEntry } from './requestBuilder';

export type ResultState = MessageBatchIndividualResponse['result']['type'];

/** One result, ready to show or write. */
export interface MappedResult {
  customId: string;
  /** From the manifest; undefined for external batches. */
  relPath?: string;
  /** Document title: the file's path, or the custom_id when there is no manifest. */
  title: string;
  markdown: string;
  state: ResultState;
}

/** In editor mode, open this many result documents at once; the rest open from the index. */
export const EAGER_OPEN_LIMIT = 20;

/**
 * Maps one line of the results JSONL (and its manifest entry, if any) to a markdown document.
 * Succeeded: the answer's text blocks joined, under a small header (file, model, tokens).
 * Errored: `**Errored**: <type>: <message>`. Expired and canceled say so plainly.
 */
export function mapResult(line: MessageBatchIndividualResponse, entry?: ManifestEntry): MappedResult {
  const customId = line.custom_id;
  const relPath = entry?.relPath;
  const title = relPath ?? customId;
  const heading = `# ${escapeMarkdownText(title)}\n\n`;
  const result = line.result;
  const base = { customId, title, state: result.type, ...(relPath !== undefined ? { relPath } : {}) };
  switch (result.type) {
    case 'succeeded': {
      const message = result.message;
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('\n\n')
        .trim();
      const meta = [
        relPath !== undefined ? `**File:** ${inlineCode(relPath)}` : `**Request:** ${inlineCode(customId)}`,
        `**Model:** ${inlineCode(message.model)}`,
        `**Tokens:** ${tokenSummary(message.usage)}`,
      ];
      if (message.stop_reason && message.stop_reason !== 'end_turn') {
        meta.push(`**Stopped:** ${message.stop_reason}`);
      }
      const body = text || '_The answer contained no text._';
      return { ...base, markdown: `${heading}> ${meta.join(' · ')}\n\n${body}\n` };
    }
    case 'errored': {
      const { type, message } = errorDetails(result.error);
      return { ...base, markdown: `${heading}**Errored**: ${type}: ${message}\n` };
    }
    case 'expired':
      return {
        ...base,
        markdown: `${heading}**Expired**: the batch reached its 24-hour limit before this request was processed. Retry it in a new batch.\n`,
      };
    case 'canceled':
      return {
        ...base,
        markdown: `${heading}**Canceled**: the batch was canceled before this request was processed. Retry it in a new batch.\n`,
      };
    default:
      return { ...base, markdown: `${heading}**Unknown result type**: ${String((result as { type?: unknown }).type)}\n` };
  }
}

function tokenSummary(usage: {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}): string {
  const parts = [`${usage.input_tokens} in`, `${usage.output_tokens} out`];
  if (usage.cache_read_input_tokens) parts.push(`${usage.cache_read_input_tokens} cache read`);
  if (usage.cache_creation_input_tokens) parts.push(`${usage.cache_creation_input_tokens} cache write`);
  return parts.join(' / ');
}

function errorDetails(error: unknown): { type: string; message: string } {
  // ErrorResponse nests the useful part: { type: 'error', error: { type, message } }.
  const outer = (error ?? {}) as { type?: unknown; message?: unknown; error?: { type?: unknown; message?: unknown } };
  const inner = outer.error ?? outer;
  return {
    type: typeof inner.type === 'string' ? inner.type : 'unknown_error',
    message: typeof inner.message === 'string' ? inner.message : 'No message.',
  };
}

/** `text` as inline code, with a fence longer than any backtick run inside it. */
export function inlineCode(text: string): string {
  const fence = fenceFor(text, 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Escapes characters that would turn plain text into markdown syntax. */
export function escapeMarkdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
}

/** An item of the results index. */
export interface IndexItem {
  customId: string;
  relPath?: string;
  state: ResultState;
  /** Folder mode: the result file's path relative to the index. */
  path?: string;
}

export interface IndexOptions {
  /** `folder`: relative links to the files; `editor`: links to `resultAnchor` fragments. */
  mode: 'folder' | 'editor';
  model?: string;
}

/**
 * The index document of a batch's results: counts, then one line per result sorted by path
 * (failures first, so they are seen), each linking to its result.
 */
export function resultsIndexMarkdown(batchId: string, items: Iterable<IndexItem>, options: IndexOptions): string {
  const all = [...items];
  const counts = new Map<ResultState, number>();
  for (const item of all) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  all.sort((a, b) => stateRank(a.state) - stateRank(b.state) || labelOf(a).localeCompare(labelOf(b)));
  const summary = (['succeeded', 'errored', 'expired', 'canceled'] as const)
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(' · ');
  const lines = [`# Batch results: ${inlineCode(batchId)}`, ''];
  if (options.model) lines.push(`Model: ${inlineCode(options.model)}`, '');
  lines.push(`${all.length} results${summary ? `: ${summary}` : ''}`, '');
  for (const item of all) {
    const target = options.mode === 'folder' && item.path ? encodeLinkPath(item.path) : `#${resultAnchor(item.customId)}`;
    const mark = item.state === 'succeeded' ? '' : ` — **${item.state}**`;
    lines.push(`- [${escapeMarkdownText(labelOf(item))}](${target})${mark}`);
  }
  return lines.join('\n') + '\n';
}

/** A stable fragment id for a result, independent of any document URI scheme. */
export function resultAnchor(customId: string): string {
  return `result-${customId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** How many result documents to open now, and how many to leave for the index. */
export function editorOpenPlan(total: number, limit = EAGER_OPEN_LIMIT): { eager: number; lazy: number } {
  const eager = Math.min(Math.max(0, total), limit);
  return { eager, lazy: Math.max(0, total - eager) };
}

function labelOf(item: IndexItem): string {
  return item.relPath ?? item.customId;
}

function stateRank(state: ResultState): number {
  return state === 'succeeded' ? 1 : 0;
}

function encodeLinkPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;
const MAX_SEGMENT_BYTES = 200;
const MAX_REL_LENGTH = 1000;
const MAX_DEPTH = 64;
/** Results whose path cannot be used go here, named by custom_id; no relPath can reach it. */
export const FALLBACK_DIR = '_by-id';
export const INDEX_FILE = 'index.md';

/**
 * The result file for `relPath`, relative to the batch's folder: `<relPath>.md`, normalised.
 * Never leaves the batch folder whatever `relPath` holds: `..`, absolute paths, drive letters,
 * UNC paths, NUL and control characters, Windows-reserved names and characters, or names that
 * Windows would trim into `..`. Unusable paths fall back to `_by-id/<custom_id>.md`.
 */
export function safeRelativeResultPath(relPath: string | undefined, customId: string): string {
  const fallback = `${FALLBACK_DIR}/${safeFileStem(customId)}.md`;
  if (!relPath || relPath.length > MAX_REL_LENGTH) return fallback;
  const unified = relPath.replace(/\\/g, '/');
  // Absolute, drive-relative (C:foo), UNC and URI-like paths are not workspace-relative.
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(unified)) {
    return fallback;
  }
  const raw = unified.split('/').filter((s) => s !== '' && s !== '.');
  if (raw.length === 0 || raw.length > MAX_DEPTH || raw.includes('..')) return fallback;
  const segments = raw.map(safeSegment);
  if (segments[0] === FALLBACK_DIR) segments[0] = `_${FALLBACK_DIR}`;
  const path = `${segments.join('/')}.md`;
  // `index` at the top would overwrite the index.
  return path.toLowerCase() === INDEX_FILE ? `_${path}` : path;
}

/**
 * `<resultsRoot>/<batchId>/<safe relative path>`; see `safeRelativeResultPath`. The batch id is
 * sanitised too (it comes from the API, and external batches are not ours).
 */
export function safeResultPath(
  resultsRoot: string,
  batchId: string,
  relPath: string | undefined,
  customId = 'result',
): string {
  const root = resultsRoot.replace(/[\\/]+$/, '');
  return `${root}/${safeBatchDir(batchId)}/${safeRelativeResultPath(relPath, customId)}`;
}

/** The batch's folder name under the results root. */
export function safeBatchDir(batchId: string): string {
  return safeFileStem(batchId) || 'batch';
}

function safeFileStem(id: string): string {
  const stem = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return stem || 'result';
}

function safeSegment(segment: string): string {
  let s = segment.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_');
  // Windows drops trailing dots and spaces: ". ." would become "..".
  s = s.replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return truncateUtf8(s, MAX_SEGMENT_BYTES);
}

function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}
