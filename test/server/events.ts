import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeededRandom } from './rng';
import { HttpError, isRecord } from './http';
import type { CacheUsage } from './promptCache';

/** One SSE event; `data` is the exact text after `data: ` (JSON, except for the malformed fault). */
export interface SseEvent {
  event: string;
  data: string;
}

export type BlockPlan =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'tool_use'; id: string; name: string; input: unknown };

export interface MessagePlan {
  id: string;
  model: string;
  inputTokens: number;
  /** Prompt-cache tokens (see promptCache.ts); `inputTokens` then counts only the uncached rest. */
  cacheRead?: number;
  cacheWrite?: number;
  blocks: BlockPlan[];
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  /** Overrides the estimate from the blocks' length (a cut-off answer reports max_tokens). */
  outputTokens?: number;
  /** Prompt-cache usage; `inputTokens` is then the uncached part, as in the API. */
  cache?: CacheUsage;
}

function ev(event: string, data: object): SseEvent {
  return { event, data: JSON.stringify({ type: event, ...data }) };
}

/** Splits by code point so a delta never carries half a surrogate pair. */
export function splitText(text: string, rng: SeededRandom, min = 1, max = 12): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const n = rng.int(min, max);
    out.push(chars.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function blockStart(block: BlockPlan): object {
  switch (block.kind) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function blockDeltas(block: BlockPlan, rng: SeededRandom, deltaChars?: number): object[] {
  switch (block.kind) {
    case 'text':
      return (deltaChars ? splitText(block.text, rng, deltaChars, deltaChars) : splitText(block.text, rng)).map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [
        ...splitText(block.thinking, rng, 8, 40).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'tool_use':
      // The API's first input_json_delta is empty; clients must cope.
      return ['', ...splitText(JSON.stringify(block.input), rng, 3, 10)].map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      }));
  }
}

function blockChars(block: BlockPlan): number {
  switch (block.kind) {
    case 'text':
      return block.text.length;
    case 'thinking':
      return block.thinking.length;
    case 'tool_use':
      return JSON.stringify(block.input).length;
  }
}

/** The SSE events for a planned message, with a ping early and a few more along the way. */
export function eventsForPlan(plan: MessagePlan, rng: SeededRandom, deltaChars?: number): SseEvent[] {
  const outputTokens = plan.outputTokens ?? estimateTokens(plan.blocks.reduce((n, b) => n + blockChars(b), 0));
  const cache = plan.cache;
  const events: SseEvent[] = [
    ev('message_start', {
      message: {
        id: plan.id,
        type: 'message',
        role: 'assistant',
        model: plan.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usage(plan.inputTokens, 1, cache),
      },
    }),
  ];
  plan.blocks.forEach((block, index) => {
    events.push(ev('content_block_start', { index, content_block: blockStart(block) }));
    if (index === 0) events.push(ev('ping', {}));
    for (const delta of blockDeltas(block, rng, deltaChars)) {
      events.push(ev('content_block_delta', { index, delta }));
      if (rng.chance(0.02)) events.push(ev('ping', {}));
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: { stop_reason: plan.stopReason, stop_sequence: null },
      usage: {
        input_tokens: plan.inputTokens,
        cache_creation_input_tokens: cache?.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: cache?.cache_read_input_tokens ?? 0,
        output_tokens: outputTokens,
      },
    }),
  );
  events.push(ev('message_stop', {}));
  return events;
}

function usage(inputTokens: number, outputTokens: number, cache: CacheUsage | undefined): Record<string, unknown> {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: cache?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: cache?.cache_read_input_tokens ?? 0,
    // Only message_start carries the per-TTL breakdown; message_delta has no such field.
    ...(cache ? { cache_creation: cache.cache_creation } : {}),
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** Mixes in unknown event, block and delta types (like fixture 09); known block indices shift by one. */
export function withUnknownEvents(events: readonly SseEvent[]): SseEvent[] {
  const out: SseEvent[] = [];
  for (const e of events) {
    const parsed = JSON.parse(e.data) as Record<string, unknown>;
    if (typeof parsed['index'] === 'number') {
      out.push({ event: e.event, data: JSON.stringify({ ...parsed, index: parsed['index'] + 1 }) });
    } else {
      out.push(e);
    }
    if (e.event === 'message_start') {
      out.push(ev('some_future_event', { foo: 1 }));
      out.push(ev('content_block_start', { index: 0, content_block: { type: 'some_future_block', payload: {} } }));
      out.push(ev('content_block_delta', { index: 0, delta: { type: 'some_future_delta', value: 'x' } }));
      out.push(ev('content_block_stop', { index: 0 }));
    } else if (e.event === 'content_block_stop') {
      out.push(ev('another_future_event', { bar: [1, 2] }));
    }
  }
  return out;
}

export function encodeEvent(e: SseEvent): Buffer {
  return Buffer.from(`event: ${e.event}\ndata: ${e.data}\n\n`, 'utf8');
}

const FIXTURE_DIRS = [
  path.resolve(__dirname, '../../../test/fixtures/sse'),
  path.resolve(__dirname, '../fixtures/sse'),
];

export function fixturePath(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new HttpError(400, 'invalid_request_error', `fixture: bad name '${name}'`);
  for (const dir of FIXTURE_DIRS) {
    const file = path.join(dir, `${name}.sse`);
    if (fs.existsSync(file)) return file;
  }
  throw new HttpError(400, 'invalid_request_error', `fixture: no such fixture '${name}'`);
}

export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\n+/)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return events;
}

export function loadFixture(name: string): SseEvent[] {
  return parseSse(fs.readFileSync(fixturePath(name), 'utf8'));
}

/** Folds events into the Message a non-streamed request returns (unknown types are skipped). */
export function reduceEvents(events: readonly SseEvent[]): Record<string, unknown> | undefined {
  let message: Record<string, unknown> | undefined;
  const content: Record<string, unknown>[] = [];
  const json = new Map<number, string>();
  for (const e of events) {
    const data = JSON.parse(e.data) as Record<string, unknown>;
    const index = typeof data['index'] === 'number' ? data['index'] : -1;
    switch (data['type']) {
      case 'message_start':
        message = { ...(data['message'] as Record<string, unknown>) };
        break;
      case 'content_block_start':
        content[index] = { ...(data['content_block'] as Record<string, unknown>) };
        break;
      case 'content_block_delta':
        applyDelta(content[index], data['delta'], json, index);
        break;
      case 'content_block_stop':
        if (json.has(index) && content[index]) content[index]['input'] = JSON.parse(json.get(index) || '{}');
        break;
      case 'message_delta':
        if (message && isRecord(data['delta'])) {
          message['stop_reason'] = data['delta']['stop_reason'];
          message['stop_sequence'] = data['delta']['stop_sequence'];
          message['usage'] = { ...(message['usage'] as object), ...(data['usage'] as object) };
        }
        break;
    }
  }
  if (!message) return undefined;
  message['content'] = content.filter((b) => b !== undefined && ['text', 'thinking', 'tool_use', 'server_tool_use', 'web_search_tool_result', 'redacted_thinking'].includes(String(b['type'])));
  return message;
}

function applyDelta(block: Record<string, unknown> | undefined, delta: unknown, json: Map<number, string>, index: number): void {
  if (!block || !isRecord(delta)) return;
  switch (delta['type']) {
    case 'text_delta':
      block['text'] = String(block['text'] ?? '') + String(delta['text']);
      break;
    case 'thinking_delta':
      block['thinking'] = String(block['thinking'] ?? '') + String(delta['thinking']);
      break;
    case 'signature_delta':
      block['signature'] = delta['signature'];
      break;
    case 'input_json_delta':
      json.set(index, (json.get(index) ?? '') + String(delta['partial_json']));
      break;
  }
}
