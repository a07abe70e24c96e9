// Node-side driver for the webview bundle in headless Debian Chromium (never a downloaded browser).
// Serves the real panel HTML (real CSP) from a fake origin via request interception.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostToWebviewMessage, WebviewToHostMessage } from '../../src/protocol';
import { renderPanelHtml } from '../../src/stream/panelHtml';
import { Coalescer } from '../../src/stream/coalescer';
import { TranscriptReducer, type StreamEventLike } from '../../src/stream/transcript';

// Page-side globals: these names are only used inside page.evaluate / addInitScript callbacks.
declare const window: any, document: any, requestAnimationFrame: (cb: () => void) => number; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ROOT = path.resolve(__dirname, '../../..');
const ORIGIN = 'http://webview.test';

export async function launchChromium(options: { exposeGc?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...(options.exposeGc ? ['--js-flags=--expose-gc'] : []), '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

let testBundle: string | undefined;

/** Bundles test/browser/page/testApi.ts (renderOnce and benchmark helpers) for the page. */
export async function buildTestBundle(): Promise<string> {
  if (testBundle) return testBundle;
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'test/browser/page/testApi.ts')],
    bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent',
  });
  testBundle = result.outputFiles[0].text;
  return testBundle;
}

export interface PanelOptions {
  /** Serve with the production CSP (default true). Security tests also run without it. */
  csp?: boolean;
}

/** Opens the panel page with a stub `acquireVsCodeApi` that records posted messages in `window.__posted`. */
export async function openPanel(browser: Browser, options: PanelOptions = {}): Promise<Page> {
  const page = await browser.newPage();
  const nonce = randomBytes(16).toString('base64');
  const webviewJs = fs.readFileSync(path.join(ROOT, 'dist/webview.js'), 'utf8');
  const css = fs.readFileSync(path.join(ROOT, 'media/panel.css'), 'utf8');
  const testJs = await buildTestBundle();
  let html = renderPanelHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/media/panel.css`, title: 'Test' });
  html = html.replace('</body>', `<script nonce="${nonce}" src="${ORIGIN}/test.js"></script>\n</body>`);
  if (options.csp === false) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    const files: Record<string, [string, string]> = {
      '/index.html': [html, 'text/html'],
      '/dist/webview.js': [webviewJs, 'text/javascript'],
      '/test.js': [testJs, 'text/javascript'],
      '/media/panel.css': [css, 'text/css'],
    };
    const file = files[url.pathname];
    return file ? route.fulfill({ body: file[0], contentType: file[1] }) : route.fulfill({ status: 404, body: '' });
  });
  // Any other network access (remote images, navigation away) is refused and recorded.
  await page.route((url) => !url.href.startsWith(ORIGIN), (route) => {
    void page.evaluate((u) => (window as unknown as { __blocked: string[] }).__blocked.push(u), route.request().url()).catch(() => undefined);
    return route.abort();
  });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__posted = [];
    w.__blocked = [];
    w.__cspViolations = [];
    w.__savedState = undefined;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (w.__posted as unknown[]).push(m),
      getState: () => w.__savedState,
      setState: (s: unknown) => { w.__savedState = s; },
    });
    document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) => (w.__cspViolations as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  return page;
}

/** Posts messages to the page as the host would (structured clone via window.postMessage), then waits two frames. */
export async function send(page: Page, messages: readonly HostToWebviewMessage[]): Promise<void> {
  await page.evaluate((msgs) => { for (const m of msgs) window.postMessage(m, '*'); }, messages as HostToWebviewMessage[]);
  await frames(page);
}

export async function frames(page: Page, n = 2): Promise<void> {
  await page.evaluate((count) => new Promise<void>((resolve) => {
    const step = (left: number): void => { if (left === 0) resolve(); else requestAnimationFrame(() => step(left - 1)); };
    setTimeout(() => step(count), 0);
  }), n);
}

export async function posted(page: Page): Promise<WebviewToHostMessage[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewToHostMessage[] }).__posted);
}

export interface HostRun {
  reducer: TranscriptReducer;
  messages: HostToWebviewMessage[];
}

/**
 * What the host would post for an event list: reducer → coalescer, flushed every `eventsPerFlush`
 * events (one flush window), with a fixed clock so footers are reproducible.
 */
export function hostMessages(events: readonly object[], options: { requestId?: string; eventsPerFlush?: number; apiRequestId?: string; title?: string } = {}): HostRun {
  let clock = 0;
  const requestId = options.requestId ?? 'req-test';
  const reducer = new TranscriptReducer({ requestId, title: options.title ?? 'Test question', now: () => (clock += 5) });
  const coalescer = new Coalescer({ requestId });
  const messages: HostToWebviewMessage[] = [];
  const flush = (): void => {
    const m = coalescer.flush();
    if (m) messages.push(m);
  };
  if (options.apiRequestId) coalescer.push(reducer.setApiRequestId(options.apiRequestId));
  const every = options.eventsPerFlush ?? 3;
  events.forEach((event, i) => {
    coalescer.push(reducer.apply(event as StreamEventLike));
    if ((i + 1) % every === 0 || coalescer.shouldFlushNow) flush();
  });
  flush();
  return { reducer, messages };
}

/** The markdown source of each text flow (consecutive text blocks), as the webview builds it. */
export function flowSources(reducer: TranscriptReducer): string[] {
  const flows: string[] = [];
  let current: string | undefined;
  for (const b of reducer.blocks) {
    if (b.start.kind !== 'text') {
      if (current !== undefined) flows.push(current);
      current = undefined;
      continue;
    }
    current = (current ?? '') + b.content.toString();
  }
  if (current !== undefined) flows.push(current);
  return flows;
}
