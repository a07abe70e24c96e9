import { promptOf } from './answers';
import { estimateTokens } from './events';
import { parseFileMessage } from './fileMessage';
import { isRecord } from './http';
import { editAnswer, reviewAnswer } from './structuredAnswers';

/**
 * Answers for requests with a JSON-schema output format (structured outputs): one text block whose
 * text is JSON conforming to the schema. The batch kind is recognised by the schema: an `edits`
 * property → edit answer, `findings` → review answer, anything else → the schema's minimal instance.
 * Directives in the file content simulate the two ways a real answer still fails to parse.
 */
export interface StructuredAnswer {
  /** The full text (before any continuation is taken off). */
  text: string;
  stopReason: 'end_turn' | 'max_tokens';
  /** Set when the answer was cut off: the API then reports exactly max_tokens. */
  outputTokens?: number;
}

export const BAD_JSON_TEXT = "Sorry, I can't produce JSON for this.";
const CHARS_PER_TOKEN = 4;

/** The request's JSON schema, when it asks for a `json_schema` output format. */
export function jsonSchemaOf(params: Record<string, unknown>): Record<string, unknown> | undefined {
  const config = params['output_config'];
  const format = isRecord(config) ? config['format'] : undefined;
  if (!isRecord(format) || format['type'] !== 'json_schema' || !isRecord(format['schema'])) return undefined;
  return format['schema'];
}

/** The shared instruction: the system prompt's text (all text blocks, in order). */
export function instructionOf(params: Record<string, unknown>): string {
  const system = params['system'];
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system
    .filter((b): b is { text: string } => isRecord(b) && typeof b['text'] === 'string')
    .map((b) => b.text)
    .join('\n\n');
}

export function structuredAnswerFor(params: Record<string, unknown>): StructuredAnswer | undefined {
  const schema = jsonSchemaOf(params);
  if (!schema) return undefined;
  const prompt = promptOf(params);
  if (prompt.includes('[[badjson]]')) return { text: BAD_JSON_TEXT, stopReason: 'end_turn' };
  const json = JSON.stringify(answerValue(schema, instructionOf(params), prompt));
  const maxTokens = typeof params['max_tokens'] === 'number' ? params['max_tokens'] : Infinity;
  const forced = prompt.includes('[[max_tokens]]');
  if (!forced && estimateTokens(json.length) <= maxTokens) return { text: json, stopReason: 'end_turn' };
  // Cut mid-way (forced) or where max_tokens runs out; either way never a complete JSON value.
  const chars = Array.from(json);
  const cut = Math.max(1, Math.min(forced ? Math.floor(chars.length / 2) : chars.length - 1, maxTokens * CHARS_PER_TOKEN));
  return { text: chars.slice(0, cut).join(''), stopReason: 'max_tokens', outputTokens: maxTokens };
}

function answerValue(schema: Record<string, unknown>, instruction: string, prompt: string): unknown {
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const file = parseFileMessage(prompt);
  if ('edits' in properties) {
    if (!file) return { summary: 'No file was found in the request, so nothing was changed.', edits: [] };
    return editAnswer(instruction, file.relPath, file.content);
  }
  if ('findings' in properties) return file ? reviewAnswer(file.relPath, file.content) : { findings: [] };
  return minimalInstance(schema);
}

/** The smallest value a schema accepts (required properties only), for schemas of unknown kinds. */
export function minimalInstance(schema: unknown): unknown {
  if (!isRecord(schema)) return null;
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  for (const key of ['anyOf', 'oneOf']) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return minimalInstance(options[0]);
  }
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  switch (type) {
    case 'object': {
      const properties = isRecord(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : [];
      return Object.fromEntries(required.map((name) => [name, minimalInstance(properties[name])]));
    }
    case 'array':
      return [];
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

