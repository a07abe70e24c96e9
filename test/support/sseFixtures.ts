// Test-only: replays recorded SSE transcripts through the SDK's own SSE parser (Stream.rawEvents),
// so fixtures are decoded exactly as the extension's stream would decode them (pings and error
// events included, which the typed iterator hides or throws).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { StreamEventLike } from '../../src/stream/transcript';

export const FIXTURE_DIR = path.resolve(__dirname, '../../../test/fixtures/sse');

/** The replayable `.sse` fixtures (the `.txt` ones are doc excerpts, not wire-valid). */
export function sseFixtureNames(): string[] {
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.sse')).sort();
}

/** Parses SSE text into events, optionally split into arbitrary chunks to exercise the parser. */
export async function parseSse(text: string, chunkSize?: number): Promise<StreamEventLike[]> {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const step = chunkSize ?? bytes.length;
      for (let i = 0; i < bytes.length; i += step) controller.enqueue(bytes.slice(i, i + step));
      controller.close();
    },
  });
  const events: StreamEventLike[] = [];
  for await (const sse of Stream.rawEvents(new Response(body))) {
    if (!sse.data) continue;
    events.push(JSON.parse(sse.data) as StreamEventLike);
  }
  return events;
}

export async function loadFixture(name: string, chunkSize?: number): Promise<StreamEventLike[]> {
  return parseSse(fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8'), chunkSize);
}

/** Builds a synthetic text answer as stream events (for big-answer tests and benchmarks). */
export function textAnswerEvents(text: string, deltas: number, model = 'claude-sonnet-4-5'): StreamEventLike[] {
  const size = Math.max(1, Math.ceil(text.length / deltas));
  const events: StreamEventLike[] = [
    { type: 'message_start', message: { id: 'msg_gen', type: 'message', role: 'assistant', content: [], model, stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 1 } } } as StreamEventLike,
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } as StreamEventLike,
  ];
  for (let i = 0; i < text.length; i += size) {
    events.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(i, i + size) } } as StreamEventLike);
  }
  events.push(
    { type: 'content_block_stop', index: 0 } as StreamEventLike,
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: Math.round(text.length / 4) } } as StreamEventLike,
    { type: 'message_stop' } as StreamEventLike,
  );
  return events;
}
