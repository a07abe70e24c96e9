import * as assert from 'assert';
import { activityBarItem, explainFailure, page, quickInput, runCommand, screenshot, sideBarTitle, viewPane, waitForNotification } from './workbench';

describe('smoke (real workbench, packaged extension)', () => {
  it('shows the Claude container with its Batches view', async () => {
    const claude = activityBarItem('Claude');
    // Contributions appear once the extension host has scanned the installed VSIX.
    await claude.waitFor({ state: 'visible', timeout: 60_000 });
    // A test before this one may have left the container open; a second click would close it.
    if (!(await viewPane('Batches').isVisible())) await claude.click();
    await viewPane('Batches').waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await sideBarTitle().innerText(), /^Claude\b/i);
    await screenshot('01-claude-container');
  });

  it('sets an API key from the command palette', async () => {
    await runCommand('Claude: Set API Key');
    // The key goes into a password box (the palette's own input is type=text).
    const input = quickInput().and(page().locator('[type="password"]'));
    await explainFailure(input.waitFor({ state: 'visible', timeout: 10_000 }));
    await input.fill('sk-ant-e2e-0123456789');
    await screenshot('02-set-api-key-input');
    await page().keyboard.press('Enter');
    await explainFailure(waitForNotification('API key saved'));
    await screenshot('03-api-key-saved');
  });
});
