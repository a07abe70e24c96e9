import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  activityBarItem, dismissLeftovers, explainFailure, explorerRow, page, quickInput, runCommand, screenshot, serverJson, showContainer, viewPane, waitForNotification, workbench,
} from './workbench';

const HEADER = 'Reviewed by Claude';
const FILES: Record<string, string> = {
  'one.ts': 'export const one = 1;\n',
  'two.ts': 'export function two() {\n  return 2;\n}\n',
  'three.py': 'def three():\n    return 3\n',
};

const onDisk = (rel: string) => fs.readFileSync(path.join(workbench().workspace, 'edit-demo', rel), 'utf8');

describe('edit batches (real workbench, packaged extension)', () => {
  before(() => {
    const dir = path.join(workbench().workspace, 'edit-demo');
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), text);
  });
  after(async () => {
    await dismissLeftovers();
    await runCommand('Claude: Close Edit Review');
    await runCommand('View: Close All Editors');
    await showContainer('Explorer');
  });

  it('Edit files over three files → the batch ends → the review lists three diffs; accept two, reject one', async () => {
    const p = page();
    await showContainer('Explorer');
    await explainFailure(explorerRow('edit-demo').waitFor({ state: 'visible', timeout: 20_000 }));
    await explorerRow('edit-demo').click();
    await explorerRow('one.ts').waitFor({ state: 'visible', timeout: 10_000 });
    await explorerRow('one.ts').click();
    await explorerRow('two.ts').click({ modifiers: ['Control'] });
    await explorerRow('three.py').click({ modifiers: ['Control'] });
    await explorerRow('three.py').click({ button: 'right' });
    const item = p.locator('.monaco-menu .action-item', { hasText: 'Submit Batch over Files…' }).first();
    await explainFailure(item.waitFor({ state: 'visible', timeout: 10_000 }));
    await item.hover();
    await p.keyboard.press('Enter');

    // What the batch does: Edit files.
    const editRow = p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Edit files' }).first();
    await explainFailure(editRow.waitFor({ state: 'visible', timeout: 10_000 }));
    await editRow.click();
    await explainFailure(quickInput().waitFor({ state: 'visible', timeout: 10_000 }));
    for (let i = 0; i < 50 && !/header comment/.test(await quickInput().inputValue()); i++) await p.waitForTimeout(100);
    await quickInput().fill(`Add a header comment "${HEADER}".`);
    await p.keyboard.press('Enter');

    const dialog = p.locator('.monaco-dialog-box');
    await explainFailure(dialog.waitFor({ state: 'visible', timeout: 20_000 }));
    assert.match(await dialog.innerText(), /Send 3 files to Claude\?[\s\S]*counted by the API for all 3 files/);
    await dialog.locator('.monaco-button', { hasText: 'Submit batch' }).click();
    await explainFailure(waitForNotification('submitted batch'));
    const list = await serverJson<{ data: { id: string }[] }>('/v1/messages/batches');
    const batchId = list.data[0]!.id;
    await serverJson(`/_control/batches/${batchId}/end`, { method: 'POST', body: {} });

    // As a toast, or in the notification center when an earlier wait opened it.
    const toast = p.locator('.notification-list-item', { hasText: `Batch ${batchId} ended: 3 succeeded` }).first();
    await explainFailure(toast.waitFor({ state: 'visible', timeout: 30_000 }));
    await toast.locator('.monaco-button', { hasText: 'Open Results' }).click();

    // The review: three files, each with its diff.
    await showContainer('Claude');
    const pane = viewPane('Batch Edits');
    const row = (name: string) => pane.locator('.monaco-list-row', { hasText: `edit-demo/${name}` }).first();
    for (const name of Object.keys(FILES)) await explainFailure(row(name).waitFor({ state: 'visible', timeout: 20_000 }));
    await row('one.ts').click();
    const diffTab = p.locator('.tabs-container .tab.active', { hasText: '↔ proposed by Claude' }).first();
    await explainFailure(diffTab.waitFor({ state: 'visible', timeout: 15_000 }));
    await p.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: HEADER }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand('Notifications: Clear All Notifications');
    await row('one.ts').hover();
    await screenshot('edit-review');

    const act = async (name: string, action: 'Accept Edit' | 'Reject Edit') => {
      // The previous row's tooltip can cover this row's inline buttons: move away first.
      await p.mouse.move(700, 450);
      await p.keyboard.press('Escape');
      await row(name).hover();
      await row(name).locator(`.action-label[aria-label="${action}"]`).click();
      await pane.locator('.monaco-list-row', { hasText: `edit-demo/${name}` }).filter({ hasText: action === 'Accept Edit' ? 'accepted' : 'rejected' }).first()
        .waitFor({ state: 'visible', timeout: 15_000 });
    };
    await act('one.ts', 'Accept Edit');
    await act('three.py', 'Accept Edit');
    await act('two.ts', 'Reject Edit');
    assert.equal(onDisk('one.ts'), `// ${HEADER}\n${FILES['one.ts']}`);
    assert.equal(onDisk('three.py'), `# ${HEADER}\n${FILES['three.py']}`);
    assert.equal(onDisk('two.ts'), FILES['two.ts']);
  });

  it('Review files → the Problems panel shows each finding at its line; the quick fix applies; clearing removes them', async () => {
    const p = page();
    const file = path.join(workbench().workspace, 'edit-demo', 'review.ts');
    fs.writeFileSync(file, 'export const a = 1;\n// TODO: give this a name\nconsole.log(a);\n');
    await runCommand('View: Close All Editors');
    await showContainer('Explorer');
    await explainFailure(explorerRow('review.ts').waitFor({ state: 'visible', timeout: 20_000 }));
    await explorerRow('review.ts').click();
    await explorerRow('review.ts').click({ button: 'right' });
    const item = p.locator('.monaco-menu .action-item', { hasText: 'Submit Batch over Files…' }).first();
    await explainFailure(item.waitFor({ state: 'visible', timeout: 10_000 }));
    await item.hover();
    await p.keyboard.press('Enter');
    const reviewRow = p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Review files' }).first();
    await explainFailure(reviewRow.waitFor({ state: 'visible', timeout: 10_000 }));
    await reviewRow.click();
    await explainFailure(quickInput().waitFor({ state: 'visible', timeout: 10_000 }));
    for (let i = 0; i < 50 && !/^Review this file/.test(await quickInput().inputValue()); i++) await p.waitForTimeout(100);
    await p.keyboard.press('Enter');
    const dialog = p.locator('.monaco-dialog-box');
    await explainFailure(dialog.waitFor({ state: 'visible', timeout: 20_000 }));
    await dialog.locator('.monaco-button', { hasText: 'Submit batch' }).click();
    await explainFailure(waitForNotification('submitted batch'));
    const list = await serverJson<{ data: { id: string }[] }>('/v1/messages/batches');
    const batchId = list.data[0]!.id;
    await serverJson(`/_control/batches/${batchId}/end`, { method: 'POST', body: {} });
    const toast = p.locator('.notification-list-item', { hasText: `Batch ${batchId} ended: 1 succeeded` }).first();
    await explainFailure(toast.waitFor({ state: 'visible', timeout: 30_000 }));
    await toast.locator('.monaco-button', { hasText: 'Open Results' }).click();

    // The Problems panel: both findings, at their lines, under the batch's source.
    const markers = p.locator('.markers-panel .monaco-list-row');
    await explainFailure(markers.filter({ hasText: 'TODO left in the code' }).first().waitFor({ state: 'visible', timeout: 20_000 }));
    await markers.filter({ hasText: 'Debug logging left in the code' }).first().waitFor({ state: 'visible', timeout: 5_000 });
    const todo = await markers.filter({ hasText: 'TODO left in the code' }).first().innerText();
    assert.match(todo, new RegExp(`Claude batch ${batchId}`));
    assert.match(todo, /\[Ln 2, Col 1\]/);
    await runCommand('Notifications: Clear All Notifications');
    await screenshot('problems');

    // The quick fix: open the finding, Ctrl+. and apply.
    await markers.filter({ hasText: 'Debug logging left in the code' }).first().dblclick();
    const editor = p.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'console.log(a);' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    // The double click leaves the focus in the Problems panel; a click on the line puts the
    // cursor inside the finding's range in the editor, where Ctrl+. asks for its code actions.
    await editor.locator('.view-line', { hasText: 'console.log(a);' }).first().click();
    await p.keyboard.press('Control+.');
    const fix = p.locator('.action-widget .monaco-list-row', { hasText: "Apply Claude's fix" }).first();
    await explainFailure(fix.waitFor({ state: 'visible', timeout: 10_000 }));
    // The widget lays a pointer block over the editor while it opens; Enter applies the focused fix.
    await p.locator('.action-widget .monaco-list-row.focused', { hasText: "Apply Claude's fix" }).first().waitFor({ state: 'visible', timeout: 5_000 });
    await p.keyboard.press('Enter');
    await editor.locator('.view-lines', { hasText: 'console.debug(a);' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand('File: Save');
    for (let i = 0; i < 50 && !fs.readFileSync(file, 'utf8').includes('console.debug(a);'); i++) await p.waitForTimeout(100);
    assert.equal(fs.readFileSync(file, 'utf8'), 'export const a = 1;\n// TODO: give this a name\nconsole.debug(a);\n');

    // Clear the batch's findings from the palette.
    await runCommand('Claude: Clear Batch Findings');
    const pick = p.locator('.quick-input-widget .monaco-list-row', { hasText: batchId }).first();
    await explainFailure(pick.waitFor({ state: 'visible', timeout: 10_000 }));
    await pick.click();
    await markers.filter({ hasText: 'TODO left in the code' }).first().waitFor({ state: 'detached', timeout: 15_000 });
  });
});
