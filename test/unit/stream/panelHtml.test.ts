import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { renderPanelHtml } from '../../../src/stream/panelHtml';

describe('renderPanelHtml', () => {
  const nonce = randomBytes(16).toString('base64');
  const html = renderPanelHtml({ cspSource: 'vscode-webview://abc', nonce, scriptUri: 'vscode-webview://abc/dist/webview.js', styleUri: 'vscode-webview://abc/media/panel.css', title: 'Ask: <b>"x"</b>' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';

  it('has a strict CSP with the nonce', () => {
    assert.ok(csp.startsWith("default-src 'none';"), csp);
    assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
    assert.ok(csp.includes('style-src vscode-webview://abc;'));
    assert.ok(!csp.includes('unsafe-'));
    assert.ok(!csp.includes('*'));
  });

  it('loads exactly one script, with the nonce, and no inline script or style', () => {
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-webview://abc/dist/webview.js"></script>`));
    assert.ok(!/<style|style=/.test(html));
  });

  it('escapes the title and rejects weak nonces', () => {
    assert.ok(html.includes('<title>Ask: &#60;b&#62;&#34;x&#34;&#60;/b&#62;</title>'));
    assert.throws(() => renderPanelHtml({ cspSource: 'c', nonce: 'abc', scriptUri: 's', styleUri: 's', title: 't' }));
    assert.throws(() => renderPanelHtml({ cspSource: 'c', nonce: `${nonce}' 'unsafe-inline`, scriptUri: 's', styleUri: 's', title: 't' }));
  });
});
