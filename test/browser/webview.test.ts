// The real webview bundle (dist/webview.js) in headless Chromium, fed protocol messages that the
// real reducer and coalescer produce from the SSE fixtures.

import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebviewMessage, PatchMessage } from '../../src/protocol';
import type { StreamEventLike } from '../../src/stream/transcript';
import { loadFixture, sseFixtureNames, textAnswerEvents } from '../support/sseFixtures';
import { generateAnswer } from '../support/generateAnswer';
import { flowSources, frames, hostMessages, launchChromium, openPanel, posted, send } from './harness';

declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = (page: Page, selector: string): Promise<string[]> =>
  page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));

async function flowHtml(page: Page): Promise<string[]> {
  return page.$$eval('.blocks > .markdown', (els) => els.map((e) => e.innerHTML));
}

async function renderOnce(page: Page, source: string): Promise<string> {
  return page.evaluate((s) => window.__test.renderOnce(s), source);
}

describe('webview renderer in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await openPanel(browser);
  });
  afterEach(async () => {
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'no CSP violations (no inline styles or scripts needed)');
    await page.close();
  });

  async function play(name: string, eventsPerFlush = 3): Promise<ReturnType<typeof hostMessages>> {
    const run = hostMessages(await loadFixture(name), { eventsPerFlush, apiRequestId: `req_${name.slice(0, 2)}` });
    await send(page, run.messages);
    return run;
  }

  it('says ready on load', async () => {
    assert.deepEqual((await posted(page))[0], { type: 'ready' });
  });

  it('a new panel warms its renderer up while it waits for the answer, shows none of it, then renders the answer', async () => {
    await page.waitForFunction(() => document.body.dataset.warmUp === 'done', undefined, { timeout: 10_000 });
    assert.equal(await page.$$eval('.blocks > *, .references li', (els) => els.length), 0, 'nothing of the warm-up is in the panel');
    assert.deepEqual(await posted(page), [{ type: 'ready' }], 'nor posted to the host');
    await play('01-basic-text.sse');
    assert.deepEqual(await text(page, '.blocks > .markdown'), ['Hello!']);
  });

  it('01 basic text, footer words and numbers, request id', async () => {
    await play('01-basic-text.sse');
    assert.deepEqual(await text(page, '.blocks > .markdown'), ['Hello!']);
    const footer = await page.textContent('.footer');
    assert.match(footer!, /Finished/);
    assert.match(footer!, /25 in · 15 out tokens/);
    assert.match(footer!, /request id req_01/);
    assert.match(footer!, /claude-opus-4-8/);
    assert.match(footer!, /≈ \$0\.0005/); // opus 4.8: 25 × $5 + 15 × $25 per million
    assert.equal(await page.getAttribute('#app', 'data-status'), 'complete');
    assert.equal(await page.isVisible('.action-cancel'), false);
  });

  it('02 tool use: name and pretty-printed JSON', async () => {
    await play('02-tool-use.sse');
    assert.deepEqual(await text(page, '.tool-name'), ['get_weather']);
    assert.equal(await page.textContent('.tool-json'), '{\n  "location": "San Francisco, CA"\n}');
    assert.match((await page.textContent('.footer'))!, /Waiting for tool results/);
  });

  it('02 tool JSON grows as it streams (before the block stops)', async () => {
    const events = await loadFixture('02-tool-use.sse');
    const stopAt = events.findIndex((e, i) => i > 20 && e.type === 'content_block_stop');
    const run = hostMessages(events.slice(0, stopAt), { eventsPerFlush: 1 });
    await send(page, run.messages);
    assert.equal(await page.textContent('.tool-json'), '{"location": "San Francisco, CA"}');
  });

  it('03 thinking: collapsible, closed once done, text rendered as markdown after it', async () => {
    await play('03-extended-thinking.sse');
    assert.match((await page.textContent('details.thinking .thinking-text'))!, /GCD\(1071, 462\) = 21/);
    assert.equal(await page.$eval('details.thinking', (d) => (d as unknown as { open: boolean }).open), false);
    assert.equal(await page.textContent('.markdown strong'), '21');
  });

  it('03 thinking is open while streaming', async () => {
    const events = await loadFixture('03-extended-thinking.sse');
    await send(page, hostMessages(events.slice(0, 4), { eventsPerFlush: 1 }).messages);
    assert.equal(await page.$eval('details.thinking', (d) => (d as unknown as { open: boolean }).open), true);
    assert.match((await page.textContent('.thinking-text'))!, /1071 = 2 × 462 \+ 147\n462 = 3 × 147 \+ 21/);
  });

  it('04 web search: server tool, result titles as links with URLs, markdown heading', async () => {
    await play('04-web-search.sse');
    assert.deepEqual(await text(page, '.tool-use.server .tool-name'), ['web_search']);
    assert.equal(await page.getAttribute('.result-links a', 'href'), 'https://world-weather.info/forecast/usa/new_york/may-2025/');
    assert.match((await page.textContent('.result-links a'))!, /^Weather in New York City in May 2025/);
    assert.equal(await page.textContent('.result-url'), 'https://world-weather.info/forecast/usa/new_york/may-2025/');
    assert.equal(await page.textContent('.markdown h1'), 'Weather in New York City');
    assert.match((await page.textContent('.footer'))!, /10,682 in · 510 out tokens/);
  });

  it('05 error event: error status with Retry, no Cancel; Retry posts retry', async () => {
    await play('05-error-event.sse');
    assert.match((await page.textContent('.status'))!, /Error: Overloaded \(overloaded_error\) \(retryable\)/);
    assert.equal(await page.isVisible('.action-retry'), true);
    assert.equal(await page.isVisible('.action-cancel'), false);
    await page.click('.action-retry');
    assert.deepEqual((await posted(page)).at(-1), { type: 'retry', requestId: 'req-test' });
  });

  it('08 error mid-stream keeps the text', async () => {
    await play('08-error-midstream.sse');
    assert.deepEqual(await text(page, '.blocks > .markdown'), ['Hello']);
    assert.match((await page.textContent('.status'))!, /Overloaded/);
  });

  it('09 unknown block, event and delta are shown as notes, text still works', async () => {
    await play('09-forward-compat.sse');
    assert.deepEqual(await text(page, '.unknown-block'), ['unknown block: some_future_block']);
    assert.deepEqual(await text(page, '.note'), ['unknown event: some_future_event']);
    assert.deepEqual(await text(page, '.blocks > .markdown'), ['still works']);
  });

  it('streaming: Cancel visible and posts cancel', async () => {
    const events = await loadFixture('01-basic-text.sse');
    await send(page, hostMessages(events.slice(0, 4)).messages);
    assert.equal(await page.isVisible('.action-cancel'), true);
    await page.click('.action-cancel');
    assert.deepEqual((await posted(page)).at(-1), { type: 'cancel', requestId: 'req-test' });
  });

  it('citations: numbered superscripts inline, references list with cited text, title link', async () => {
    const cite = (url: string, title: string, cited: string): object => ({
      type: 'content_block_delta', index: 1,
      delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', url, title, cited_text: cited, encrypted_index: 'e' } },
    });
    const events = [
      { type: 'message_start', message: { id: 'm', model: 'claude-sonnet-4-5', usage: { input_tokens: 5, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'The sky is ' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: [] } },
      cite('https://sky.example/blue', 'Why is the sky blue', 'Rayleigh scattering makes it blue'),
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'blue' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: ' in daytime.' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_stop' },
    ] as StreamEventLike[];
    const run = hostMessages(events);
    await send(page, run.messages);
    // One paragraph: the sentence is not broken at block boundaries.
    assert.deepEqual(await text(page, '.markdown p'), ['The sky is blue[1] in daytime.']);
    assert.equal(await page.textContent('.markdown sup.cite-ref'), '[1]');
    assert.equal(await page.textContent('.reference-list li a'), 'Why is the sky blue');
    assert.equal(await page.getAttribute('.reference-list li a', 'href'), 'https://sky.example/blue');
    assert.equal(await page.textContent('.reference-list .ref-quote'), 'Rayleigh scattering makes it blue');
    await page.click('.reference-list li a');
    assert.deepEqual((await posted(page)).at(-1), { type: 'openLink', url: 'https://sky.example/blue' });
  });

  it('code blocks have a copy button that posts the code; http links post openLink', async () => {
    const md = 'Run:\n\n```sh\nnpm ci && npm test\n```\n\nSee [docs](https://example.com/docs) and https://example.org.\n';
    await send(page, hostMessages(textAnswerEvents(md, 7)).messages);
    await page.click('.copy-code');
    assert.deepEqual((await posted(page)).at(-1), { type: 'copy', text: 'npm ci && npm test\n' });
    await page.click('a[href="https://example.com/docs"]');
    assert.deepEqual((await posted(page)).at(-1), { type: 'openLink', url: 'https://example.com/docs' });
    await page.click('a[href="https://example.org"]');
    assert.deepEqual((await posted(page)).at(-1), { type: 'openLink', url: 'https://example.org' });
    assert.equal(page.url(), 'http://webview.test/index.html', 'never navigates');
  });

  it('tables use alignment classes, not style attributes (CSP-safe)', async () => {
    await send(page, hostMessages(textAnswerEvents('| a | b |\n|:--|--:|\n| 1 | 2 |\n', 5)).messages);
    assert.deepEqual(await page.$$eval('th, td', (els) => els.map((e) => e.className)), ['align-left', 'align-right', 'align-left', 'align-right']);
    assert.equal(await page.$$eval('[style]', (els) => els.length), 0);
  });

  it('drops stale patches and asks for a snapshot on a gap; the snapshot restores the same DOM', async () => {
    const run = hostMessages(await loadFixture('04-web-search.sse'), { eventsPerFlush: 2 });
    const patches = run.messages as PatchMessage[];
    await send(page, patches.slice(0, 3));
    await send(page, [patches[1]]); // stale duplicate: ignored
    await send(page, patches.slice(5)); // gap
    assert.deepEqual((await posted(page)).at(-1), { type: 'requestSnapshot', requestId: 'req-test' });
    await send(page, [run.reducer.snapshot(patches.at(-1)!.seq)]);
    // Everything but the title (only snapshots carry it) and the footer's clock-dependent numbers.
    const content = (p: Page): Promise<string> =>
      p.evaluate(() => ['.blocks', '.references', '.status-bar', '.footer-tokens', '.footer-stop'].map((s) => document.querySelector(s).outerHTML).join('\n'));
    const restored = await content(page);
    assert.equal(await page.textContent('h1.title'), 'Test question');

    const fresh = await openPanel(browser);
    await send(fresh, patches);
    assert.equal(restored, await content(fresh));
    await fresh.close();
  });

  it('the snapshot that ends an answer is saved without re-rendering what is on screen', async () => {
    // A long answer: replaying the final snapshot would rebuild and re-lay out all of it at the
    // moment its last delta is due (what the e2e speed test caught).
    const run = hostMessages(textAnswerEvents(generateAnswer(20_000, 3), 40), { eventsPerFlush: 25 });
    await send(page, run.messages);
    await page.evaluate(() => { document.querySelector('.blocks > .markdown > *').__ceMark = 1; });
    const before = await flowHtml(page);
    const final = run.reducer.snapshot((run.messages.at(-1) as PatchMessage).seq);
    await send(page, [final]);
    assert.equal(await page.evaluate(() => document.querySelector('.blocks > .markdown > *').__ceMark), 1, 'the blocks on screen were kept, not rebuilt');
    assert.deepEqual(await flowHtml(page), before);
    assert.equal(await page.textContent('h1.title'), 'Test question', 'the title comes from the snapshot');
    assert.deepEqual(await page.evaluate(() => window.__savedState), JSON.parse(JSON.stringify(final)), 'saved for the panel serializer');
    // The same snapshot in a panel that has not seen the answer is replayed in full, to the same DOM.
    const fresh = await openPanel(browser);
    await send(fresh, [final]);
    assert.deepEqual(await flowHtml(fresh), before);
    await fresh.close();
  });

  it('rejects malformed messages without breaking', async () => {
    await send(page, [{ type: 'patch', requestId: 'x', seq: 1, patches: [{ type: 'textAppend', index: 0, text: 'x', html: '<img src=x>' }] } as unknown as HostToWebviewMessage]);
    await send(page, [{ type: 'evil' } as unknown as HostToWebviewMessage]);
    await play('01-basic-text.sse');
    assert.deepEqual(await text(page, '.blocks > .markdown'), ['Hello!']);
  });

  describe('incremental markdown equals a one-shot render', () => {
    for (const name of sseFixtureNames()) {
      it(`fixture ${name}`, async () => {
        const run = await play(name, 1);
        const expected = await Promise.all(flowSources(run.reducer).map((s) => renderOnce(page, s)));
        assert.deepEqual(await flowHtml(page), expected);
      });
    }

    for (const withReference of [false, true]) it(`tricky markdown split at every character${withReference ? ' (with a link reference definition: full render at the end)' : ''}`, async () => {
      const lines = [
        '# Title', '', 'Para one\ncontinues.', '', '- a', '- b', '', '- loose c', '', '  indented continuation', '',
        '1. one', '2. two', '', '3. three', '', '```js', 'let a = 1;', '', '', 'let b = 2;', '```', '',
        '    indented code', '', '    more', '', '| a | b |', '|---|:-:|', '| 1 | 2 |', '', '> quote', '> more', '',
        'Setext', '===', '', 'Ref [link][r] here.', '', '[r]: https://example.com/r', '', '~~~', 'tilde fence', '~~~~', '',
        'Trailing text with https://example.com link.', '', '\r\nCRLF para\r\n\r\nnext\r\n',
      ];
      const md = (withReference ? lines : lines.filter((l) => !l.startsWith('[r]:'))).join('\n');
      const run = hostMessages(textAnswerEvents(md, md.length), { eventsPerFlush: 1 });
      await send(page, run.messages);
      assert.deepEqual(await flowHtml(page), [await renderOnce(page, md)]);
    });

    it('a generated 300 KB answer fed in 20,000 deltas', async () => {
      const md = generateAnswer(300_000);
      assert.ok(md.length >= 300_000);
      // 20 deltas per flush ≈ the host's 16–33 ms window at a fast model's rate.
      const run = hostMessages(textAnswerEvents(md, 20_000), { eventsPerFlush: 20 });
      for (let i = 0; i < run.messages.length; i += 50) await send(page, run.messages.slice(i, i + 50));
      await frames(page);
      const [html] = await flowHtml(page);
      const expected = await renderOnce(page, md);
      assert.equal(html.length, expected.length);
      assert.ok(html === expected, 'incremental DOM differs from one-shot render');
    });
  });
});
