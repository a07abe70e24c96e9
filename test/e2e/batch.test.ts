import * as assert from 'assert';
import {
  activityBarItem, dismissLeftovers, explainFailure, explorerRow, page, quickInput, runCommand, screenshot, serverJson, showContainer, viewPane, waitForNotification, workbench,
} from './workbench';


describe('batches (real workbench, packaged extension)', () => {
  let batchId: string;

  // Leave the workbench as found: the next file clicks the Claude item, which would hide it.
  after(async () => {
    await dismissLeftovers();
    await runCommand('View: Close All Editors');
    const dirty = page().locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
    // Untitled result documents are dirty: VS Code asks once for all of them.
    if (await dirty.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) await dirty.click();
    await showContainer('Explorer');
  });

  it('submits a batch from a multi-selection in the explorer', async () => {
    const p = page();
    // A key first (this file runs before the smoke test).
    await activityBarItem('Claude').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand('Claude: Set API Key');
    const keyInput = quickInput().and(p.locator('[type="password"]'));
    await explainFailure(keyInput.waitFor({ state: 'visible', timeout: 30_000 }));
    await keyInput.fill('sk-ant-e2e-0123456789');
    await p.keyboard.press('Enter');
    await explainFailure(waitForNotification('API key saved'));

    await showContainer('Explorer');
    await explorerRow('src').waitFor({ state: 'visible', timeout: 15_000 });
    await explorerRow('src').click();
    await explorerRow('a.ts').waitFor({ state: 'visible', timeout: 10_000 });
    await explorerRow('a.ts').click();
    // The click opens a.ts; once its editor is up, revealing it no longer resets the selection.
    await p.locator('.tab.active', { hasText: 'a.ts' }).waitFor({ state: 'visible', timeout: 15_000 });
    await explorerRow('b.ts').click({ modifiers: ['Control'] });
    await explorerRow('README.md').click({ modifiers: ['Control'] });
    const selected = p.locator('.explorer-folders-view .monaco-list-row.selected');
    for (let i = 0; i < 50 && (await selected.count()) !== 3; i++) await p.waitForTimeout(100);
    assert.equal(await selected.count(), 3, 'a.ts, b.ts and README.md are selected');
    await explorerRow('README.md').click({ button: 'right' });
    const item = p.locator('.monaco-menu .action-item', { hasText: 'Submit Batch over Files…' }).first();
    await explainFailure(item.waitFor({ state: 'visible', timeout: 10_000 }));
    // Menus act on mouse-up inside the item; hover, then Enter, is what works reliably headless.
    await item.hover();
    await p.keyboard.press('Enter');

    // What the batch does: Answer per file comes first on a first submit.
    const kindRow = p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Answer per file' }).first();
    await explainFailure(kindRow.waitFor({ state: 'visible', timeout: 10_000 }));
    assert.ok(await p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Edit files' }).count() > 0);
    await p.keyboard.press('Enter');

    // The instruction, prefilled with claudeEvents.prompts.summarize.
    await explainFailure(quickInput().waitFor({ state: 'visible', timeout: 10_000 }));
    for (let i = 0; i < 50 && !/^Summarize this file/.test(await quickInput().inputValue()); i++) await p.waitForTimeout(100);
    assert.match(await quickInput().inputValue(), /^Summarize this file/);
    await p.keyboard.press('Enter');

    // One confirmation: count, model, tokens, cost; Submit batch.
    const dialog = p.locator('.monaco-dialog-box');
    await explainFailure(dialog.waitFor({ state: 'visible', timeout: 15_000 }));
    const text = await dialog.innerText();
    assert.match(text, /Send 3 files to Claude\?/);
    assert.match(text, /Estimated input tokens: ~\d+/);
    assert.match(text, /Estimated cost: \$[\d.]+|< \$0\.01/);
    await screenshot('batches-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Submit batch' }).click();
    await explainFailure(waitForNotification('submitted batch'));

    const list = await serverJson<{ data: { id: string; processing_status: string }[] }>('/v1/messages/batches');
    batchId = list.data[0]!.id;
    assert.equal(list.data[0]!.processing_status, 'in_progress');

    await showContainer('Claude');
    const pane = viewPane('Batches');
    await pane.locator('.monaco-list-row', { hasText: '3 files' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('shows the end after polling; Open Results opens the documents', async () => {
    const p = page();
    const requests = await serverJson<{ custom_id: string; params: { messages: { content: string }[] } }[]>(`/_control/batches/${batchId}/requests`);
    const bId = requests.find((r) => r.params.messages[0]!.content.startsWith('File: src/b.ts'))!.custom_id;
    await serverJson(`/_control/batches/${batchId}/end`, { method: 'POST', body: { outcomes: { [bId]: 'errored' } } });

    const toast = p.locator('.notifications-toasts .notification-toast', { hasText: `Batch ${batchId} ended: 2 succeeded, 1 errored` }).first();
    await explainFailure(toast.waitFor({ state: 'visible', timeout: 30_000 }));
    await toast.locator('.monaco-button', { hasText: 'Open Results' }).click();
    const tab = (name: string) => p.locator('.tabs-container .tab', { hasText: name }).first();
    // Generous: on a loaded machine each untitled document takes seconds to open.
    await explainFailure(tab('index.md').waitFor({ state: 'visible', timeout: 60_000 }));
    for (const name of ['a.ts.md', 'b.ts.md', 'README.result.md']) await tab(name).waitFor({ state: 'visible', timeout: 5_000 });

    // The finished batch, expanded, with per-request states.
    const pane = viewPane('Batches');
    const row = pane.locator('.monaco-list-row', { hasText: '3 files' }).first();
    await row.locator('.monaco-highlighted-label', { hasText: '3 files' }).first().click();
    await explainFailure(pane.locator('.monaco-list-row', { hasText: 'src · errored' }).first().waitFor({ state: 'visible', timeout: 15_000 }));
    await pane.locator('.monaco-list-row', { hasText: 'src · succeeded' }).first().waitFor({ state: 'visible', timeout: 5_000 });
    await pane.locator('.monaco-list-row', { hasText: 'README.md' }).first().waitFor({ state: 'visible', timeout: 5_000 });
    assert.match(await row.innerText(), /2\/3 succeeded · 1 errored/);
    await tab('b.ts.md').click();
    await p.locator('.monaco-editor .view-lines', { hasText: 'Errored' }).first().waitFor({ state: 'visible', timeout: 10_000 });

    // The index links its entries: Ctrl+click on README.md in the index opens that result.
    await tab('index.md').click();
    const editor = p.locator('.editor-instance .monaco-editor').first();
    const link = editor.locator('.view-line .detected-link', { hasText: 'README' }).first();
    await explainFailure(link.waitFor({ state: 'visible', timeout: 15_000 }));
    // A hover left over from the tab click can cover the link, and the editor re-renders the
    // line as the links arrive: move away and dismiss first; once, click at the link's place.
    await p.mouse.move(0, 0);
    await p.keyboard.press('Escape');
    await link.click({ modifiers: ['Control'], timeout: 10_000 }).catch(() => link.click({ modifiers: ['Control'], force: true }));
    // The new editor took focus before Control was released: release it where the workbench
    // sees it, or it believes Control is still held (a later menu click becomes a Ctrl+click).
    await p.keyboard.press('Control');
    await explainFailure(p.locator('.tabs-container .tab.active', { hasText: 'README.result.md' }).first().waitFor({ state: 'visible', timeout: 10_000 }));
    await editor.locator('.view-lines', { hasText: 'File:' }).first().waitFor({ state: 'visible', timeout: 10_000 });

    // For the README: a wider side bar so the counts show, and no stale toasts.
    await runCommand('Notifications: Clear All Notifications');
    const bar = await p.locator('.part.sidebar').boundingBox();
    if (bar) {
      await p.mouse.move(bar.x + bar.width - 1, bar.y + bar.height / 2);
      await p.mouse.down();
      await p.mouse.move(bar.x + 480, bar.y + bar.height / 2, { steps: 8 });
      await p.mouse.up();
    }
    await row.hover();
    await screenshot('batches');
  });
});
