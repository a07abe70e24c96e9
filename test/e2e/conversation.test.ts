import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerFor } from '../server/answers';
import { activityBarItem, explainFailure, messageRequests, page, quickOpenFile, quickInput, runCommand, screenshot, waitForNotification, webview, workbench } from './workbench';

interface Recorded { path: string; body: { messages: { role: string; content: unknown }[] } }

async function ask(question: string): Promise<void> {
  await runCommand('Claude: Ask Claude…');
  await quickInput().waitFor({ state: 'visible', timeout: 10_000 });
  await page().locator('.quick-input-widget', { hasText: 'Ask Claude' }).first().waitFor({ timeout: 10_000 });
  await quickInput().fill(question);
  await page().keyboard.press('Enter');
}

describe('conversations in the response panel (real workbench)', function () {
  this.timeout(180_000);

  before(async () => {
    await activityBarItem('Claude').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand('Claude: Set API Key');
    const input = quickInput().and(page().locator('[type="password"]'));
    await explainFailure(input.waitFor({ state: 'visible', timeout: 10_000 }));
    await input.fill('sk-ant-e2e-conversation-0123456789');
    await page().keyboard.press('Enter');
    await explainFailure(waitForNotification('API key saved'));
  });

  it('a follow-up typed into the panel (Ctrl+Enter) streams below the answer, with the whole conversation sent', async () => {
    await runCommand('View: Close All Editors');
    const before = (await messageRequests<Recorded>()).length;
    await ask('Explain event streams for the follow-up test');
    const view = webview();
    await explainFailure(view.locator('.status', { hasText: 'Complete' }).waitFor({ timeout: 30_000 }));
    const box = view.locator('textarea.follow-up-text');
    assert.equal(await box.isEnabled(), true, 'the input is enabled once the answer is complete');
    await box.fill('And how do batches differ?');
    await box.press('Control+Enter');
    await explainFailure(view.locator('.user-turn .user-turn-text', { hasText: 'And how do batches differ?' }).waitFor({ timeout: 15_000 }));
    await explainFailure(view.locator('.status', { hasText: 'Complete' }).waitFor({ timeout: 30_000 }));
    const requests = (await messageRequests<Recorded>()).slice(before);
    assert.equal(requests.length, 2, 'the question, then the follow-up');
    assert.deepEqual(requests[1].body.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.deepEqual(requests[1].body.messages[2], { role: 'user', content: 'And how do batches differ?' });
    const heading = answerFor(requests[1].body).split('\n')[0].replace(/^#+\s*/, '');
    assert.equal((await view.locator('.markdown h1').last().innerText()).trim(), heading, 'the follow-up answer is rendered below');
    assert.equal(await view.locator('.markdown h1').count(), 2, 'both answers stay in the panel');
  });

  it('a code block applied through the diff: Apply…, the diff editor, Accept writes it into the file', async () => {
    await runCommand('View: Close All Editors');
    await quickOpenFile('b.ts');
    const before = (await messageRequests<Recorded>()).length;
    await ask('Write a small helper for the apply test');
    const view = webview();
    await explainFailure(view.locator('.status', { hasText: 'Complete' }).waitFor({ timeout: 30_000 }));
    // A follow-up first, so the README screenshot shows a conversation; its code block is applied.
    await view.locator('textarea.follow-up-text').fill('Now write it as the whole of src/b.ts');
    await view.locator('textarea.follow-up-text').press('Control+Enter');
    await explainFailure(view.locator('.user-turn').waitFor({ timeout: 15_000 }));
    await explainFailure(view.locator('.status', { hasText: 'Complete' }).waitFor({ timeout: 30_000 }));
    const [, request] = (await messageRequests<Recorded>()).slice(before);
    const code = /```[^\n]*\n([\s\S]*?)\n```/.exec(answerFor(request.body))![1];
    const block = view.locator('.code-block').last();
    await block.scrollIntoViewIfNeeded();
    await block.hover();
    await block.locator('button.code-action[data-action="apply"]').click();
    const p = page();
    await explainFailure(p.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 20_000 }));
    await p.locator('.tab.active', { hasText: 'Claude' }).waitFor({ timeout: 10_000 });
    await screenshot('apply-diff');
    await runCommand('Claude: Accept Applied Code');
    await explainFailure(p.locator('.monaco-diff-editor').first().waitFor({ state: 'hidden', timeout: 20_000 }));
    // Accept wrote exactly the block (and saved it: the file had no unsaved changes).
    const file = path.join(workbench().workspace, 'src', 'b.ts');
    const deadline = Date.now() + 15_000;
    while (fs.readFileSync(file, 'utf8') !== `${code}\n` && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(fs.readFileSync(file, 'utf8'), `${code}\n`);
    await p.locator('.tab', { hasText: 'b.ts' }).first().click();
    await p.keyboard.press('Control+Home');
    await runCommand('Notifications: Clear All Notifications');
    // The panel, hidden behind the diff, renders again once shown: wait for the conversation.
    await explainFailure(view.locator('.user-turn').waitFor({ state: 'visible', timeout: 15_000 }));
    await view.locator('.code-block').last().scrollIntoViewIfNeeded();
    await p.waitForTimeout(500);
    await screenshot('conversation-applied');
  });
});
