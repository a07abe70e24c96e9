import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { english, type Localizer } from '../../l10n';
import { fenceFor } from '../../markdownFence';
import { stopReasonText, tokensText } from '../../format/display';
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
export function mapResult(line: MessageBatchIndividualResponse, entry?: ManifestEntry, l10n: Localizer = english): MappedResult {
  const customId = line.custom_id;
  const relPath = entry?.relPath;
  const title = relPath ?? customId;
  const result = line.result;
  // Built without object spreads: this runs once per result, 100,000 times for a large batch.
  const mapped: MappedResult = { customId, title, state: result.type, markdown: `# ${escapeMarkdownText(title)}\n\n${body(result, customId, relPath, l10n)}` };
  if (relPath !== undefined) mapped.relPath = relPath;
  return mapped;
}

/** The document under its heading. */
function body(result: MessageBatchIndividualResponse['result'], customId: string, relPath: string | undefined, l10n: Localizer): string {
  switch (result.type) {
    case 'succeeded': {
      const message = result.message;
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('\n\n')
        .trim();
      const meta = [
        relPath !== undefined ? l10n.t('**File:** {0}', inlineCode(relPath)) : l10n.t('**Request:** {0}', inlineCode(customId)),
        l10n.t('**Model:** {0}', inlineCode(message.model)),
        // Tokens and stop reasons are worded as in the panel and the output channel (one module).
        l10n.t('**Tokens:** {0}', tokensText({
          inputTokens: message.usage.input_tokens,
          outputTokens: message.usage.output_tokens,
          cacheReadTokens: message.usage.cache_read_input_tokens ?? undefined,
          cacheWriteTokens: message.usage.cache_creation_input_tokens ?? undefined,
        })),
      ];
      if (message.stop_reason && message.stop_reason !== 'end_turn') {
        meta.push(`**${stopReasonText(message.stop_reason)}** (\`${message.stop_reason}\`)`);
      }
      return `> ${meta.join(' · ')}\n\n${text || l10n.t('_The answer contained no text._')}\n`;
    }
    case 'errored': {
      const { type, message } = errorDetails(result.error, l10n);
      return `${l10n.t('**Errored**: {0}: {1}', type, message)}\n`;
    }
    case 'expired':
      return `${l10n.t('**Expired**: the batch reached its 24-hour limit before this request was processed. Retry it in a new batch.')}\n`;
    case 'canceled':
      return `${l10n.t('**Canceled**: the batch was canceled before this request was processed. Retry it in a new batch.')}\n`;
    default:
      return `${l10n.t('**Unknown result type**: {0}', String((result as { type?: unknown }).type))}\n`;
  }
}

function errorDetails(error: unknown, l10n: Localizer): { type: string; message: string } {
  // ErrorResponse nests the useful part: { type: 'error', error: { type, message } }.
  const outer = (error ?? {}) as { type?: unknown; message?: unknown; error?: { type?: unknown; message?: unknown } };
  const inner = outer.error ?? outer;
  return {
    type: typeof inner.type === 'string' ? inner.type : 'unknown_error',
    message: typeof inner.message === 'string' ? inner.message : l10n.t('No message.'),
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
