import * as assert from 'node:assert/strict';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { TextSink } from '../../../src/stream/textSink';
import { loadFixture } from '../../support/sseFixtures';

/** The output-channel rendering, read back as the user sees it. */
async function render(fixture: string): Promise<string> {
  let out = '';
  const sink = new TextSink({ append: (t) => (out += t), appendLine: (t) => (out += `${t}\n`) });
  for (const ev of await loadFixture(fixture)) sink.event(ev as RawMessageStreamEvent);
  sink.finish('complete');
  return out;
}

describe('output-channel rendering (TextSink)', () => {
  it('a tool call is one line with its input, then stop reason and usage', async () => {
    const out = await render('02-tool-use.sse');
    assert.match(out, /\[tool call\] get_weather \{"location": "San Francisco, CA".*\}/);
    assert.match(out, /\[waiting for tool results\] tokens in \d+, out \d+/);
  });

  it('web search results are listed with titles and URLs; usage is overwritten, not added', async () => {
    const out = await render('04-web-search.sse');
    assert.match(out, /\[web_search_tool_result\] Weather in New York City in May 2025 .* <https:\/\/\S+>/);
    assert.match(out, /\[finished\] tokens in 10682, out 510\n/, "the last cumulative usage, not a sum");
  });

  it('unknown events, blocks and deltas are noted once and the text still shows', async () => {
    const out = await render('09-forward-compat.sse');
    assert.match(out, /\[unknown event some_future_event\]/);
    assert.match(out, /\[unknown block some_future_block\]/);
    assert.match(out, /still works/);
  });
});
