import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi } from './helpers';
import { EXTENSION_ID } from '../../src/constants';

interface Binding { key: string; command: string; when?: string }

/** VS Code's own default keybindings (this platform's), as its "Default Keyboard Shortcuts (JSON)" shows them. */
async function defaultBindings(): Promise<Binding[]> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
  // The document is JSON with // comments and trailing commas.
  const json = doc.getText().replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(json) as Binding[];
}

describe('keybindings (real extension host)', () => {
  it('Ask Claude and Cancel Response have keys that no VS Code default uses, each with a when clause', async () => {
    await extensionApi();
    const ours: Binding[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.keybindings;
    assert.deepEqual(ours.map((b) => b.command).sort(), ['claudeEvents.ask', 'claudeEvents.cancel']);
    const defaults = (await defaultBindings()).filter((b) => !b.command.replace(/^-/, '').startsWith('claudeEvents.'));
    assert.ok(defaults.length > 500, `read ${defaults.length} default keybindings`);
    for (const b of ours) {
      assert.ok(b.when && b.when.trim(), `${b.command} has a when clause`);
      const norm = (k: string) => k.toLowerCase().split(' ').map((part) => part.split('+').sort().join('+')).join(' ');
      const clash = defaults.filter((d) => norm(d.key) === norm(b.key) || norm(d.key).startsWith(`${norm(b.key)} `) || norm(b.key).startsWith(`${norm(d.key)} `));
      assert.deepEqual(clash.map((d) => `${d.key} → ${d.command}`), [], `${b.key} (${b.command}) clashes with a default`);
    }
  });
});
