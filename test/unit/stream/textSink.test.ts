import * as assert from 'node:assert/strict';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { TextSink } from '../../../src/stream/textSink';
import { TranscriptReducer } from '../../../src/stream/transcript';
import { loadFixture } from '../../support/sseFixtures';

/** The output-channel rendering, read back as the user sees it. */
async function render(fixture: string): Promise<string> {
  let out = '';
  const sink = new TextSink({ append: (t) => (out += t), appendLine: (t) => (out += `${t}\n`) });
  // The sink reads the reducer's patches, exactly as the session feeds it.
  const reducer = new TranscriptReducer({ requestId: 'r' });
  for (const ev of await loadFixture(fixture)) sink.patches(reducer.apply(ev as RawMessageStreamEvent));
  sink.finish('complete');
  return out;
}

describe('output-channel rendering (TextSink)', () => {
  it('a follow-up question and a refusal with its stop_details', () => {
    let out = '';
    const sink = new TextSink({ append: (t) => (out += t), appendLine: (t) => (out += `${t}\n`) });
    const reducer = new TranscriptReducer({ requestId: 'r' });
    sink.patches(reducer.beginUserTurn('And then?'));
    sink.patches(reducer.apply({ type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: { category: 'bio', explanation: 'No.' } }, usage: { output_tokens: 2 } } as never));
    sink.finish('complete');
    assert.match(out, /\[follow-up\]\nAnd then\?\n/);
    assert.match(out, /\[Declined to answer \(refusal\): category bio — No\.\] 0 in · 2 out tokens/);
  });

  it('a tool call is one line with its input, then stop reason and usage', async () => {
    const out = await render('02-tool-use.sse');
    assert.match(out, /\[tool call\] get_weather \{"location": "San Francisco, CA".*\}/);
    assert.match(out, /\[Waiting for tool results\] [\d,]+ in · [\d,]+ out tokens/);
  });

  it('web search results are listed with titles and URLs; usage is overwritten, not added', async () => {
    const out = await render('04-web-search.sse');
    assert.match(out, /\[web_search_tool_result\] Weather in New York City in May 2025 .* <https:\/\/\S+>/);
    assert.match(out, /\[Finished\] 10,682 in · 510 out tokens\n/, "the last cumulative usage, not a sum");
  });

  it('unknown events, blocks and deltas are noted once and the text still shows', async () => {
    const out = await render('09-forward-compat.sse');
    assert.match(out, /\[unknown event: some_future_event\]/);
    assert.match(out, /\[unknown block: some_future_block\]/);
    assert.match(out, /still works/);
  });
});
