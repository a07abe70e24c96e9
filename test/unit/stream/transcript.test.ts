import * as assert from 'node:assert/strict';
import type { ResponsePatch } from '../../../src/protocol';
import { isHostToWebviewMessage } from '../../../src/protocol';
import { TranscriptReducer, type StreamEventLike } from '../../../src/stream/transcript';
import { Coalescer } from '../../../src/stream/coalescer';
import { loadFixture, sseFixtureNames, textAnswerEvents } from '../../support/sseFixtures';

/** Test events are partial literals of the SDK shapes (the reducer is typed loosely on purpose). */
const applyAll = (r: TranscriptReducer, events: object[]): ResponsePatch[] => r.applyAll(events as StreamEventLike[]);

function run(events: object[], model?: string): { r: TranscriptReducer; patches: ResponsePatch[] } {
  let t = 1000;
  const r = new TranscriptReducer({ requestId: 'req-1', title: 'Q', model, now: () => (t += 10) });
  return { r, patches: applyAll(r, events) };
}

const textOf = (r: TranscriptReducer): string[] =>
  r.blocks.filter((b) => b.start.kind === 'text').map((b) => b.content.toString() + b.heldWhitespace);

/** Text as the webview sees it: concatenated textAppend patches per block. */
function appendedText(patches: ResponsePatch[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const p of patches) if (p.type === 'textAppend') out.set(p.index, (out.get(p.index) ?? '') + p.text);
  return out;
}

describe('TranscriptReducer over the SSE fixtures', () => {
  it('covers every .sse fixture', () => {
    assert.deepEqual(sseFixtureNames(), [
      '01-basic-text.sse', '02-tool-use.sse', '03-extended-thinking.sse', '04-web-search.sse',
      '05-error-event.sse', '08-error-midstream.sse', '09-forward-compat.sse',
    ]);
  });

  for (const name of sseFixtureNames()) {
    it(`${name}: same result whatever the SSE chunking, and patches/snapshots pass the guard`, async () => {
      const whole = run(await loadFixture(name));
      const chunked = run(await loadFixture(name, 7));
      assert.deepEqual(textOf(chunked.r), textOf(whole.r));
      assert.deepEqual(chunked.r.usage, whole.r.usage);
      const c = new Coalescer({ requestId: 'req-1' });
      c.push(whole.patches);
      const msg = c.flush();
      if (msg) assert.ok(isHostToWebviewMessage(msg), `patch message for ${name} fails the guard`);
      assert.ok(isHostToWebviewMessage(whole.r.snapshot(c.lastSeq)));
    });
  }

  it('01 basic text: text, usage, stop reason, ping ignored', async () => {
    const { r, patches } = run(await loadFixture('01-basic-text.sse'));
    assert.deepEqual(textOf(r), ['Hello!']);
    assert.equal(r.stopReason, 'end_turn');
    assert.equal(r.messageId, 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY');
    assert.equal(r.model, 'claude-opus-4-8');
    assert.deepEqual(r.usage, { input_tokens: 25, output_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    assert.deepEqual(r.status, { state: 'complete' });
    assert.equal(r.unknownTypes.size, 0);
    assert.equal(appendedText(patches).get(0), 'Hello!');
    assert.deepEqual(patches.filter((p) => p.type === 'blockStop'), [{ type: 'blockStop', index: 0 }]);
  });

  it('02 tool use: JSON fragments joined and parsed at stop, pretty JSON in the stop patch', async () => {
    const { r, patches } = run(await loadFixture('02-tool-use.sse'));
    assert.deepEqual(textOf(r), ["Okay, let's check the weather for San Francisco, CA:"]);
    const tool = r.blocks[1];
    assert.deepEqual(tool.start, { kind: 'toolUse', server: false, name: 'get_weather', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6' });
    assert.deepEqual(tool.input, { location: 'San Francisco, CA' });
    assert.equal(r.stopReason, 'tool_use');
    const stop = patches.find((p) => p.type === 'blockStop' && p.index === 1);
    assert.deepEqual(stop, { type: 'blockStop', index: 1, prettyJson: '{\n  "location": "San Francisco, CA"\n}' });
    const json = patches.filter((p) => p.type === 'toolInputAppend').map((p) => (p as { json: string }).json).join('');
    assert.equal(json, '{"location": "San Francisco, CA"}');
    assert.equal(r.usage.output_tokens, 89);
    assert.equal(r.usage.input_tokens, 472);
  });

  it('03 thinking: thinking text and signature kept, text after it', async () => {
    const { r, patches } = run(await loadFixture('03-extended-thinking.sse'));
    const thinking = r.blocks[0];
    assert.equal(thinking.start.kind, 'thinking');
    assert.match(thinking.content.toString(), /^I need to find the GCD[\s\S]*GCD\(1071, 462\) = 21\.$/);
    assert.equal(thinking.signature, 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...');
    assert.deepEqual(textOf(r), ['The greatest common divisor of 1071 and 462 is **21**.']);
    assert.ok(patches.some((p) => p.type === 'thinkingAppend' && p.text.startsWith('\n462')));
  });

  it('04 web search: server tool, whole result block summarised, usage overwritten not added', async () => {
    const { r, patches } = run(await loadFixture('04-web-search.sse'));
    assert.deepEqual(r.blocks.map((b) => b.start.kind), ['text', 'toolUse', 'toolResult', 'text']);
    assert.deepEqual(r.blocks[1].input, { query: 'weather NYC today' });
    const result = r.blocks[2].start;
    assert.ok(result.kind === 'toolResult');
    assert.deepEqual(result.summary, {
      resultType: 'web_search_tool_result',
      toolUseId: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
      links: [{ title: 'Weather in New York City in May 2025 (New York) - detailed Weather Forecast for a month', url: 'https://world-weather.info/forecast/usa/new_york/may-2025/' }],
    });
    // message_start said 2679 input tokens, message_delta says 10682: cumulative, so 10682 (not 13361).
    assert.equal(r.usage.input_tokens, 10682);
    assert.equal(r.usage.output_tokens, 510);
    assert.equal(r.footer().inputTokens, 10682);
    assert.equal(textOf(r)[1], "Here's the current weather information for New York City:\n\n# Weather in New York City\n\n");
    // The trailing blank lines were held back until the block stopped, then sent.
    const appends = patches.filter((p) => p.type === 'textAppend' && p.index === 3).map((p) => (p as { text: string }).text);
    assert.equal(appends[appends.length - 1], '\n\n');
  });

  it('05 lone error event: error status, retryable, no blocks', async () => {
    const { r } = run(await loadFixture('05-error-event.sse'));
    assert.deepEqual(r.error, { type: 'overloaded_error', message: 'Overloaded' });
    assert.deepEqual(r.status, { state: 'error', message: 'Overloaded (overloaded_error)', retryable: true });
    assert.equal(r.blocks.length, 0);
  });

  it('08 error mid-stream: every received character is kept, open block marked interrupted', async () => {
    const { r, patches } = run(await loadFixture('08-error-midstream.sse'));
    assert.deepEqual(textOf(r), ['Hello']);
    assert.equal(r.partialText(), 'Hello');
    assert.equal(r.blocks[0].interrupted, true);
    assert.equal(r.status.state, 'error');
    assert.ok(patches.some((p) => p.type === 'blockStop' && p.interrupted));
  });

  it('09 forward compatibility: unknown event, block and delta tolerated and recorded once', async () => {
    const events = await loadFixture('09-forward-compat.sse');
    const { r, patches } = run([...events.slice(0, 3), ...events.slice(1)]);
    assert.deepEqual(textOf(r), ['still works']);
    assert.deepEqual([...r.unknownTypes].sort(), ['block:some_future_block', 'event:some_future_event']);
    assert.deepEqual(r.blocks[0].start, { kind: 'unknown', blockType: 'some_future_block' });
    assert.equal(patches.filter((p) => p.type === 'note').length, 1, 'an unknown event type is noted once');
    assert.equal(r.status.state, 'complete');
  });
});

describe('TranscriptReducer faults and edge cases', () => {
  const start = { type: 'message_start', message: { id: 'm', model: 'claude-sonnet-4-5', usage: { input_tokens: 10, output_tokens: 1 } } };
  const textStart = (index: number) => ({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
  const text = (index: number, t: string) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: t } });

  it('truncated stream (connection dropped): fail() keeps text, whitespace held back is not shown', () => {
    const { r } = run([start, textStart(0), text(0, 'Part one.'), text(0, '\n\n')]);
    const patches = r.fail('socket hang up', true);
    assert.equal(r.partialText(), 'Part one.');
    assert.deepEqual(r.status, { state: 'error', message: 'socket hang up', retryable: true });
    assert.ok(patches.some((p) => p.type === 'blockStop' && p.interrupted));
  });

  it('invalid tool JSON keeps the raw string and is flagged', () => {
    const { r, patches } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'x', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a": ' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    assert.equal(r.blocks[0].invalidJson, true);
    assert.equal(r.blocks[0].content.toString(), '{"a": ');
    assert.deepEqual(patches.at(-1), { type: 'blockStop', index: 0, invalidJson: true });
  });

  it('malformed events never throw', () => {
    const { r } = run([
      {} as StreamEventLike, { type: 'content_block_delta' }, { type: 'content_block_stop', index: 99 },
      { type: 'message_delta' }, { type: 'error' }, start, { type: 'content_block_start', index: 0 },
      { type: 'content_block_delta', index: 0, delta: null }, { type: 'message_delta', delta: { stop_reason: 5 }, usage: { output_tokens: 'x' } },
    ]);
    assert.ok(r.unknownTypes.size > 0);
  });

  it('citations are numbered, deduplicated and sent at block stop before trailing whitespace', () => {
    const cite = (url: string, cited: string) => ({
      type: 'content_block_delta', index: 0,
      delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', url, title: 'T', cited_text: cited, encrypted_index: 'x' } },
    });
    const { r, patches } = run([
      start, textStart(0), cite('https://a.example', 'alpha'), text(0, 'The grass is green.'), text(0, '\n'),
      cite('https://a.example', 'alpha'), cite('https://b.example', 'beta'), { type: 'content_block_stop', index: 0 },
    ]);
    const kinds = patches.filter((p) => p.type === 'citations' || p.type === 'textAppend' || p.type === 'blockStop').map((p) => p.type);
    assert.deepEqual(kinds, ['textAppend', 'citations', 'textAppend', 'blockStop']);
    assert.deepEqual(r.blocks[0].citations.map((c) => [c.n, c.url]), [[1, 'https://a.example'], [1, 'https://a.example'], [2, 'https://b.example']]);
  });

  it('usage across tool turns is summed per message, overwritten within a message', () => {
    const { r } = run([
      start, { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } }, { type: 'message_stop' },
      start, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 30, output_tokens: 5 } }, { type: 'message_stop' },
    ]);
    assert.equal(r.totalUsage().input_tokens, 40);
    assert.equal(r.totalUsage().output_tokens, 25);
    assert.equal(r.footer().costUsd, (40 * 3 + 25 * 15) / 1e6);
  });

  it('footer: elapsed, tokens/s and request id', () => {
    const { r } = run([start, textStart(0), text(0, 'x'), { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 50 } }]);
    r.setApiRequestId('req_abc');
    const f = r.footer();
    assert.equal(f.requestId, 'req_abc');
    assert.equal(f.stopReason, 'end_turn');
    assert.ok(f.elapsedMs! > 0 && f.tokensPerSecond! > 0);
  });

  it('cancel keeps the partial answer and marks it cancelled', () => {
    const { r } = run([start, textStart(0), text(0, 'Half an answer')]);
    const patches = r.cancel();
    assert.equal(r.partialText(), 'Half an answer');
    assert.ok(patches.some((p) => p.type === 'status' && p.status.state === 'cancelled'));
  });

  it('a 300 KB answer in 20,000 deltas reduces in linear time', () => {
    const answer = 'word '.repeat(60_000);
    const events = textAnswerEvents(answer, 20_000);
    const t0 = performance.now();
    const { r } = run(events);
    const ms = performance.now() - t0;
    assert.equal(textOf(r)[0], answer);
    assert.ok(ms < 1000, `took ${ms} ms`);
  });
});

describe('TranscriptReducer continuation', () => {
  const msgStart = (model: string) => ({ type: 'message_start', message: { id: 'm', model, usage: { input_tokens: 10, output_tokens: 1 } } });
  const textStart = (index: number) => ({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
  const text = (index: number, t: string) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: t } });
  const stop = (index: number) => ({ type: 'content_block_stop', index });

  function shown(patches: ResponsePatch[], index = 0): string {
    return appendedText(patches).get(index) ?? '';
  }

  it('prefill form: the next message joins the last text block seamlessly (exact whitespace)', () => {
    const r = new TranscriptReducer({ requestId: 'r' });
    const patches = applyAll(r, [msgStart('claude-sonnet-4-5'), textStart(0), text(0, 'The answer is'), text(0, ' ')]);
    patches.push(...r.apply({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } as StreamEventLike));
    assert.equal(r.partialText(), 'The answer is');
    patches.push(...r.beginContinuation({ removeOverlap: false }));
    patches.push(...applyAll(r, [msgStart('claude-sonnet-4-5'), textStart(0), text(0, ' forty-two.'), stop(0), { type: 'message_stop' }]));
    assert.equal(shown(patches), 'The answer is forty-two.');
    assert.equal(r.blocks.length, 1);
    assert.ok(patches.some((p) => p.type === 'continuation'));
    assert.equal(patches.filter((p) => p.type === 'blockStart').length, 1);
    assert.equal(r.status.state, 'complete');
  });

  it('user-turn form: a repeated tail is dropped, streamed continuation is held only until decidable', () => {
    const partial = 'Streaming markdown incrementally means rendering the stable prefix once and';
    const r = new TranscriptReducer({ requestId: 'r' });
    const patches = applyAll(r, [msgStart('claude-opus-4-8'), textStart(0), text(0, partial)]);
    patches.push(...r.fail('dropped', true), ...r.beginContinuation());
    const cont = ' rendering the stable prefix once and only the tail on every frame.';
    for (const ch of cont) patches.push(...r.apply(text(0, ch) as StreamEventLike));
    // (text deltas before content_block_start are ignored; now the real stream:)
    patches.push(...applyAll(r, [msgStart('claude-opus-4-8'), textStart(0)]));
    for (const ch of cont) patches.push(...r.apply(text(0, ch) as StreamEventLike));
    patches.push(...applyAll(r, [stop(0), { type: 'message_stop' }]));
    assert.equal(shown(patches), partial + ' only the tail on every frame.');
  });

  it('user-turn form without overlap streams through after a few characters', () => {
    const r = new TranscriptReducer({ requestId: 'r' });
    applyAll(r, [msgStart('claude-opus-4-8'), textStart(0), text(0, 'First part.')]);
    r.fail('dropped', true);
    r.beginContinuation();
    applyAll(r, [msgStart('claude-opus-4-8'), textStart(0)]);
    const early = applyAll(r, [text(0, ' Second'), text(0, ' part')]);
    assert.ok(early.some((p) => p.type === 'textAppend'), 'no overlap possible: text flows without waiting');
  });

  it('continuation does not resume partial tool or thinking blocks', () => {
    const r = new TranscriptReducer({ requestId: 'r' });
    applyAll(r, [
      msgStart('claude-sonnet-4-5'), textStart(0), text(0, 'Let me look.'), stop(0),
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't', name: 'read', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"pa' } },
    ]);
    r.fail('dropped', true);
    assert.equal(r.partialText(), 'Let me look.');
    assert.equal(r.blocks[1].interrupted, true);
    r.beginContinuation({ removeOverlap: false });
    applyAll(r, [msgStart('claude-sonnet-4-5'), textStart(0), text(0, ' Done.'), stop(0)]);
    assert.equal(r.blocks[0].content.toString(), 'Let me look. Done.');
    assert.equal(r.blocks.length, 2);
  });
});
