import type Anthropic from '@anthropic-ai/sdk';
import type { BatchCreateParams, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { EDIT_SCHEMA as EDIT_SCHEMA_SENT, REVIEW_SCHEMA as REVIEW_SCHEMA_SENT } from '../../../src/batch/requests/kinds';
import { fileMessage } from '../../../src/batch/requests/requestBuilder';

/** Requests shaped exactly like the extension's edit and review batches (the issue 8 contract). */

export const MODEL = 'claude-sonnet-5-5';

// The extension's own schemas: the server is tested against exactly what the extension sends.
export const EDIT_SCHEMA = EDIT_SCHEMA_SENT as unknown as Record<string, unknown>;
export const REVIEW_SCHEMA = REVIEW_SCHEMA_SENT as unknown as Record<string, unknown>;

export interface SubmittedFile {
  relPath: string;
  content: string;
}

export function structuredParams(
  instruction: string,
  file: SubmittedFile,
  schema: Record<string, unknown>,
  extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {},
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 4096,
    system: [{ type: 'text', text: instruction, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: fileMessage(file.relPath, file.content) }],
    output_config: { format: { type: 'json_schema', schema } },
    ...extra,
  };
}

export function batchRequest(customId: string, params: Anthropic.MessageCreateParamsNonStreaming): BatchCreateParams.Request {
  return { custom_id: customId, params };
}

export async function resultsById(iterable: AsyncIterable<MessageBatchIndividualResponse>): Promise<Map<string, MessageBatchIndividualResponse['result']>> {
  const out = new Map<string, MessageBatchIndividualResponse['result']>();
  for await (const item of iterable) out.set(item.custom_id, item.result);
  return out;
}

/** The succeeded message of a result, or a thrown assertion naming what came instead. */
export function succeeded(result: MessageBatchIndividualResponse['result'] | undefined): Anthropic.Message {
  if (result?.type !== 'succeeded') throw new Error(`expected a succeeded result, got ${JSON.stringify(result)}`);
  return result.message;
}

/** The text of a message that must be exactly one text block. */
export function onlyText(message: Anthropic.Message): string {
  if (message.content.length !== 1 || message.content[0].type !== 'text') {
    throw new Error(`expected one text block, got ${JSON.stringify(message.content)}`);
  }
  return message.content[0].text;
}

/** Applies edits the way the extension must: each old_text occurs exactly once in the content. */
export function applyEdits(content: string, edits: readonly { old_text: string; new_text: string }[]): string {
  let out = content;
  for (const edit of edits) {
    const parts = out.split(edit.old_text);
    if (parts.length !== 2) throw new Error(`old_text occurs ${parts.length - 1} times: ${JSON.stringify(edit.old_text)}`);
    out = parts.join(edit.new_text);
  }
  return out;
}
