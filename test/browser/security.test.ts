// Model output is untrusted. These run WITHOUT the CSP too, so the renderer itself must be safe
// (the CSP is defence in depth, not the only line).

import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { textAnswerEvents } from '../support/sseFixtures';
import { hostMessages, launchChromium, openPanel, posted, send } from './harness';

declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '[click me](javascript:window.__pwned=\'js-link\')',
  '[JS upper](JAVASCRIPT:window.__pwned=1)',
  '[entity](jav&#x61;script:window.__pwned=1)',
  '[data link](data:text/html,<script>parent.__pwned=1</script>)',
  '[vb](vbscript:msgbox(1))',
  '[file](file:///etc/passwd)',
  '[cmd](command:workbench.action.terminal.new)',
  '![img](data:image/png;base64,iVBORw0KGgo=)',
  '![remote](https://evil.example/track.png)',
  '<svg onload="window.__pwned=\'svg\'"><circle r=1 /></svg>',
  '<iframe src="javascript:parent.__pwned=1"></iframe>',
  '<a href="javascript:window.__pwned=1">raw html link</a>',
  '`<script>` in code and\n\n```html\n<script>window.__pwned="fence"</script>\n```',
  '<details open ontoggle="window.__pwned=\'toggle\'">x</details>',
  '[x](<javascript:window.__pwned=1>)',
  '<javascript:window.__pwned=1>',
  'autolink <https://ok.example/path>',
  '\uE0009\uE001 forged citation marker',
].join('\n\n');

describe('webview security in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(async () => { await browser?.close(); });

  for (const csp of [false, true]) {
    describe(csp ? 'with the panel CSP' : 'without any CSP', () => {
      let page: Page;
      before(async () => {
        page = await openPanel(browser, { csp });
        await send(page, hostMessages(textAnswerEvents(PAYLOADS, 97)).messages);
        // Also through the other string paths: tool names, thinking, result titles, notes.
        await send(page, hostMessages([
          { type: 'message_start', message: { id: 'm', model: 'm', usage: {} } },
          { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: '<img src=x onerror="window.__pwned=1">', input: {} } },
          { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":"<script>window.__pwned=1</script>"}' } },
          { type: 'content_block_stop', index: 0 },
          { type: 'content_block_start', index: 1, content_block: { type: 'thinking', thinking: '<img src=x onerror="window.__pwned=1">', signature: '' } },
          { type: 'content_block_stop', index: 1 },
          { type: 'content_block_start', index: 2, content_block: { type: 'web_search_tool_result', tool_use_id: 't', content: [{ type: 'web_search_result', title: '<b onmouseover=x>t</b>', url: 'javascript:window.__pwned=1' }] } },
          { type: 'content_block_stop', index: 2 },
          { type: 'content_block_start', index: 3, content_block: { type: '<img src=x onerror=window.__pwned=1>' } },
          { type: 'message_stop' },
        ], { requestId: 'req-2' }).messages);
      });
      after(async () => { await page.close(); });

      it('no payload executed', async () => {
        await page.waitForTimeout(200);
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
      });

      it('no dangerous elements or attributes exist in the DOM', async () => {
        await send(page, hostMessages(textAnswerEvents(PAYLOADS, 97), { requestId: 'req-3' }).messages);
        const report = await page.evaluate(() => {
          const app = document.getElementById('app');
          const all = [...app.querySelectorAll('*')];
          return {
            scripts: app.querySelectorAll('script, iframe, object, embed, svg, img, details:not(.thinking), style').length,
            handlers: all.filter((e: any) => [...e.attributes].some((a: any) => a.name.startsWith('on'))).length, // eslint-disable-line @typescript-eslint/no-explicit-any
            styles: all.filter((e: any) => e.hasAttribute('style')).length, // eslint-disable-line @typescript-eslint/no-explicit-any
            badHrefs: [...app.querySelectorAll('a[href]')].map((a: any) => a.getAttribute('href')).filter((h: string) => !/^(https?:|mailto:|#)/i.test(h)), // eslint-disable-line @typescript-eslint/no-explicit-any
            text: app.textContent,
          };
        });
        assert.equal(report.scripts, 0);
        assert.equal(report.handlers, 0);
        assert.equal(report.styles, 0);
        assert.deepEqual(report.badHrefs, []);
        assert.match(report.text, /<script>window.__pwned = "script"<\/script>/, 'raw HTML is shown as text');
        assert.match(report.text, /\[click me\]\(javascript:/, 'a javascript: link stays plain text');
        assert.ok(!report.text.includes('[9]'), 'forged citation markers are stripped');
      });

      it('remote images are not loaded; images become links', async () => {
        const blocked = await page.evaluate(() => window.__blocked);
        assert.deepEqual(blocked, []);
        assert.ok((await page.$$('a.image-link[href="https://evil.example/track.png"]')).length >= 1);
      });

      it('clicking any non-http link posts nothing and never navigates', async () => {
        const before = (await posted(page)).length;
        const anchors = await page.$$('a[href]');
        let clickedHttp = 0;
        for (const a of anchors) {
          const href = (await a.getAttribute('href')) ?? '';
          await a.click();
          if (/^https?:/i.test(href)) clickedHttp++;
        }
        const after = (await posted(page)).slice(before);
        assert.ok(after.every((m) => m.type === 'openLink' && /^https?:\/\//.test(m.url)), JSON.stringify(after));
        assert.equal(after.length, clickedHttp);
        assert.equal(page.url(), 'http://webview.test/index.html');
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
      });
    });
  }
});
