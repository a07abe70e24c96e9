import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_ID } from '../../src/constants';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `pred` returns a truthy value; fails with `what` after `ms`. */
export async function waitFor<T>(pred: () => T | Promise<T>, ms = 15000, what = 'condition'): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const v = await pred();
    if (v) return v as NonNullable<T>;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.activate();
}

export function config() {
  return vscode.workspace.getConfiguration('claudeEvents');
}

/** Points the extension at a local server through the user (machine) setting. */
export async function useServer(url: string | undefined): Promise<void> {
  await config().update('baseUrl', url, vscode.ConfigurationTarget.Global);
}

/**
 * What the batch suites share: the local server, a 1-second poll (batches end within a test) and
 * a key set through the real command. `disconnectBatches` undoes it.
 */
export async function connectBatches(url: string, key: string): Promise<void> {
  await useServer(url);
  await config().update('batch.pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
  assert.equal(await vscode.commands.executeCommand('claudeEvents.setApiKey', key), true);
}

export async function disconnectBatches(): Promise<void> {
  await config().update('batch.pollIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('claudeEvents.clearApiKey');
  await useServer(undefined);
}

/** Accepts the active quick-pick item until `done` settles (the pick opens asynchronously). */
export async function acceptQuickPickWhile<T>(done: Thenable<T>, selectNext = 0): Promise<T> {
  let settled = false;
  const result = Promise.resolve(done).finally(() => (settled = true));
  let moved = 0;
  while (!settled) {
    await sleep(200);
    if (settled) break;
    for (; moved < selectNext; moved++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}
