// Shared fixture for the Playwright e2e suite. scripts/run-e2e.mjs starts the local Anthropic
// server and code-server (with the packaged extension installed), opens the workbench in headless
// Chromium, calls attach(), then runs out/test/e2e/**/*.test.js with mocha in the same process.
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';

export interface WorkbenchContext {
  page: Page;
  browser: BrowserContext;
  /** Workbench URL (code-server root, e.g. http://127.0.0.1:PORT/). */
  codeServerUrl: string;
  /** The local Anthropic server the extension talks to (ANTHROPIC_BASE_URL). */
  serverUrl: string;
  /** The copy of test/fixtures/workspace that is open. */
  workspace: string;
  repoRoot: string;
}

let current: WorkbenchContext | undefined;

export function attach(context: WorkbenchContext): void {
  current = context;
}

export function workbench(): WorkbenchContext {
  if (!current) throw new Error('No workbench: run the e2e suite with `npm run test:e2e` (scripts/run-e2e.mjs).');
  return current;
}

export const page = (): Page => workbench().page;

/** The command palette / quick pick input box. */
export const quickInput = (): Locator => page().locator('.quick-input-widget input.input');

/** The activity-bar entry of a view container, by its title ("Claude", "Explorer"). */
export const activityBarItem = (title: string): Locator =>
  page().locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();

/**
 * A view pane (section of the side bar) by its name ("Batches"). When a container has a single
 * view its header is hidden and merged into the side bar title ("Claude: Batches"), so this
 * matches on the header's title element, not on its visibility.
 */
export const viewPane = (name: string): Locator =>
  page().locator('.part.sidebar .pane', {
    has: page().locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }),
  }).first();

/** The side bar's title ("Claude", or "Claude: Batches" when the container has one view). */
export const sideBarTitle = (): Locator => page().locator('.part.sidebar > .composite.title h2').first();

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs a command from the F1 palette by its full title as shown there ("Claude: Set API Key").
 * Clicks the workbench first when the palette does not open (keyboard focus lost).
 */
export async function runCommand(title: string): Promise<void> {
  const p = page();
  const input = quickInput();
  if (await input.isVisible()) await p.keyboard.press('Escape');
  await p.keyboard.press('F1');
  try {
    await input.waitFor({ state: 'visible', timeout: 3_000 });
  } catch {
    await p.locator('.monaco-workbench .part.editor').click({ position: { x: 300, y: 300 } });
    await p.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
  }
  await input.fill(`>${title}`);
  const row = p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await p.keyboard.press('Enter');
}

/**
 * Waits for a notification containing `text`: as a toast, else in the notification center
 * (headless workbenches sometimes only put it there).
 */
export async function waitForNotification(text: string, timeout = 15_000): Promise<'toast' | 'center'> {
  const p = page();
  try {
    await p.locator('.notifications-toasts .notification-toast', { hasText: text }).first().waitFor({ state: 'visible', timeout });
    return 'toast';
  } catch {
    await runCommand('Notifications: Show Notifications');
    await p.locator('.notifications-center', { hasText: text }).first().waitFor({ state: 'visible', timeout: 5_000 });
    return 'center';
  }
}

/** Texts of the notification toasts and modal dialogs on screen now. */
export async function messagesOnScreen(): Promise<string[]> {
  const texts = await page().locator('.notifications-toasts .notification-toast, .monaco-dialog-box .dialog-message-row').allInnerTexts();
  return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Awaits `action`; when it fails, adds the messages on screen (e.g. "command ... not found"). */
export async function explainFailure<T>(action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (e) {
    const shown = await messagesOnScreen().catch(() => []);
    if (e instanceof Error && shown.length) e.message += `\nOn screen: ${shown.map((t) => JSON.stringify(t)).join(', ')}`;
    throw e;
  }
}

/** The active webview's content: outer iframe (host) -> inner #active-frame (extension HTML). */
export const webview = (): FrameLocator => page().frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/**
 * Saves a PNG: into docs/screenshots/ when CE_SCREENSHOTS=1 (for the README), else into
 * .test-results/screenshots/. Returns the path.
 */
export async function screenshot(name: string): Promise<string> {
  const { repoRoot } = workbench();
  const dir = process.env.CE_SCREENSHOTS === '1'
    ? path.join(repoRoot, 'docs', 'screenshots')
    : path.join(repoRoot, '.test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page().screenshot({ path: file, animations: 'disabled' });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Shared by the suites: the local server's API and control routes, containers, explorer rows.

/** JSON from the local Anthropic server (API routes need any key; control routes none). */
export async function serverJson<T>(route: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(new URL(route, workbench().serverUrl), {
    method: init.method ?? 'GET',
    headers: { 'x-api-key': 'sk-ant-e2e-0123456789', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/** The /v1/messages requests the local server received, oldest first. */
export async function messageRequests<T extends { path: string } = { path: string; body: any }>(): Promise<T[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (await serverJson<T[]>('/_control/requests')).filter((r) => r.path === '/v1/messages');
}

/** Shows a view container; clicking its activity-bar item when it is already shown would hide it. */
export async function showContainer(title: string): Promise<void> {
  const current = page().locator('.part.sidebar > .composite.title h2').first();
  if ((await current.isVisible()) && new RegExp(`^${title}\\b`, 'i').test(await current.innerText())) return;
  await activityBarItem(title).click();
}

/** A row of the Explorer's tree, by its file or folder name. */
export const explorerRow = (name: string) => page().locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();

/**
 * Closes what a failed step may have left open (a modal dialog, the palette, a context menu or
 * an action widget), so that one failure does not fail every suite after it.
 */
export async function dismissLeftovers(): Promise<void> {
  for (let i = 0; i < 3; i++) await page().keyboard.press('Escape');
}

/**
 * Opens a workspace file through Quick Open and waits for its tab. Enter waits until the focused
 * row is the file: pressed while the list still shows recent editors, it opens one of those.
 */
export async function quickOpenFile(relPath: string): Promise<void> {
  const p = page();
  const name = relPath.split('/').pop()!;
  await p.keyboard.press('Control+P');
  await quickInput().waitFor({ state: 'visible', timeout: 10_000 });
  await quickInput().fill(relPath);
  await p.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await p.keyboard.press('Enter');
  await p.locator('.tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
}
