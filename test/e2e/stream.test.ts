import * as assert from 'assert';
import { answerFor } from '../server/answers';
import { activityBarItem, explainFailure, messageRequests, page, quickOpenFile, quickInput, runCommand, screenshot, waitForNotification, webview, workbench } from './workbench';

interface Recorded { path: string; body: { messages: unknown } }

async function closeAllEditors(): Promise<void> {
  await runCommand('View: Close All Editors');
}

describe('streaming into the response panel (real workbench)', function () {
  this.timeout(120_000);

  before(async () => {
    // Contributions (and so our commands) appear once the extension host has scanned the VSIX.
    await activityBarItem('Claude').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand('Claude: Set API Key');
    const input = quickInput().and(page().locator('[type="password"]'));
    await explainFailure(input.waitFor({ state: 'visible', timeout: 10_000 }));
    await input.fill('sk-ant-e2e-stream-0123456789');
    await page().keyboard.press('Enter');
    await explainFailure(waitForNotification('API key saved'));
  });

  it('right-click in the editor → Summarize with Claude streams the answer and the footer into a panel', async () => {
    await closeAllEditors();
    const p = page();
    // A TypeScript file: the offline demo's summary lists its top-level symbols.
    await quickOpenFile('src/a.ts');
    const editorText = p.locator('.monaco-editor .view-lines').first();
    await editorText.waitFor({ state: 'visible', timeout: 15_000 });
    await p.locator('.tab.active', { hasText: 'a.ts' }).waitFor({ timeout: 10_000 });
    const before = (await messageRequests<Recorded>()).length;

    await editorText.click({ button: 'right' });
    const item = p.locator('.context-view .action-item', { hasText: 'Summarize with Claude' }).first();
    await explainFailure(item.waitFor({ state: 'visible', timeout: 10_000 }));
    // A click on a context-menu item is sometimes lost headless (the menu acts on mouse-up);
    // hover, then Enter, is reliable (as in the batch e2e).
    await item.hover();
    await p.keyboard.press('Enter');

    const footer = webview().locator('footer.footer');
    await explainFailure(footer.locator('.footer-stop', { hasText: 'Finished' }).waitFor({ timeout: 30_000 }));
    const requests = (await messageRequests<Recorded>()).slice(before);
    assert.equal(requests.length, 1);
    const expected = answerFor(requests[0].body);
    const heading = expected.split('\n')[0].replace(/^#+\s*/, '');
    assert.equal((await webview().locator('.markdown h1').first().innerText()).trim(), heading);
    // A sentence from the end of the answer arrived too (the stream ran to the end).
    const lastLine = expected.trim().split('\n').filter((l) => /^[\p{L}✨🚀🎉]/u.test(l)).pop() ?? '';
    assert.ok((await webview().locator('.markdown').first().innerText()).includes(lastLine.slice(0, 30)), `shows "${lastLine.slice(0, 30)}"`);
    // The demo answer is about this file: its real name, line count and top-level symbols.
    const shown = await webview().locator('.markdown').first().innerText();
    assert.match(shown, /src\/a\.ts is a TypeScript file of 10 lines/);
    assert.match(shown, /Its top-level symbols are add and main\./);
    assert.match(await footer.locator('.footer-tokens').innerText(), /\d+ in · \d+ out tokens/);
    assert.match(await footer.locator('.footer-request-id').innerText(), /request id req_/);
    assert.match(await webview().locator('.status').innerText(), /Complete/);
    await screenshot('stream-summary');
  });

  it('Ask replaying a tool-use transcript shows text, the tool call with its JSON, and the footer', async () => {
    await closeAllEditors();
    await runCommand('Claude: Ask Claude…');
    const input = quickInput();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await page().locator('.quick-input-widget', { hasText: 'Ask Claude' }).first().waitFor({ timeout: 10_000 });
    await input.fill('What is the weather in San Francisco? [[fixture:02-tool-use]]');
    await page().keyboard.press('Enter');

    const view = webview();
    await explainFailure(view.locator('footer .footer-stop', { hasText: 'Waiting for tool results' }).waitFor({ timeout: 30_000 }));
    const tool = view.locator('.tool-use');
    await tool.waitFor({ timeout: 10_000 });
    assert.match(await tool.locator('.tool-name').innerText(), /get_weather/);
    assert.match(await tool.locator('.tool-json').innerText(), /"location": "San Francisco, CA"/);
    assert.match(await view.locator('.markdown').first().innerText(), /Okay, let's check the weather/);
    assert.match(await view.locator('footer .footer-tokens').innerText(), /in · \d+ out tokens/);
    await runCommand('Notifications: Clear All Notifications');
    await screenshot('panel');
  });
});
