import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { fenceFor } from '../../markdownFence';
import type { ManifestEntry } from '../requests/requestBuilder';

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
  const result = line.result;
  // Built without object spreads: this runs once per result, 100,000 times for a large batch.
  const mapped: MappedResult = { customId, title, state: result.type, markdown: `# ${escapeMarkdownText(title)}\n\n${body(result, customId, relPath)}` };
  if (relPath !== undefined) mapped.relPath = relPath;
  return mapped;
}

/** The document under its heading. */
function body(result: MessageBatchIndividualResponse['result'], customId: string, relPath: string | undefined): string {
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
      return `> ${meta.join(' · ')}\n\n${text || '_The answer contained no text._'}\n`;
    }
    case 'errored': {
      const { type, message } = errorDetails(result.error);
      return `**Errored**: ${type}: ${message}\n`;
    }
    case 'expired':
      return '**Expired**: the batch reached its 24-hour limit before this request was processed. Retry it in a new batch.\n';
    case 'canceled':
      return '**Canceled**: the batch was canceled before this request was processed. Retry it in a new batch.\n';
    default:
      return `**Unknown result type**: ${String((result as { type?: unknown }).type)}\n`;
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
  // The test first: most paths have nothing to escape, and replace() would still copy them.
  return MARKDOWN_SPECIAL.test(text) ? text.replace(MARKDOWN_SPECIALS, '\\$&') : text;
}

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+!|<>~]/;
const MARKDOWN_SPECIALS = new RegExp(MARKDOWN_SPECIAL.source, 'g');
