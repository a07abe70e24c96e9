import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'claude-events.claude-events';

function atLeast(version: string, major: number, minor: number): boolean {
  const [ma, mi] = version.split('.').map((n) => parseInt(n, 10));
  return ma > major || (ma === major && mi >= minor);
}

describe('activation (real extension host)', () => {
  it('runs in VS Code 1.100 or newer', () => {
    console.log(`    vscode ${vscode.version}, ${vscode.env.appName}, remote=${vscode.env.remoteName ?? 'none'}, node ${process.version}`);
    assert.ok(atLeast(vscode.version, 1, 100), `vscode.version ${vscode.version} < 1.100`);
  });

  it('finds and activates the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    assert.strictEqual(ext.packageJSON.name, 'claude-events');
  });

  it('registers a handler for every command the manifest declares (and declares every one it registers)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const declared: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('claudeEvents.')));
    for (const id of declared) assert.ok(registered.has(id), `${id} is declared but has no handler`);
    const undeclared = [...registered].filter((c) => !declared.includes(c) && !c.startsWith('claudeEvents.internal.') && !c.includes('.focus') && !c.includes('.resetViewLocation') && !c.includes('.toggleVisibility') && !c.includes('.removeView') && !c.includes('.open'));
    assert.deepStrictEqual(undeclared, [], 'commands registered without a manifest entry');
  });

  it('opens the fixture workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const readme = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'README.md'));
    assert.match(Buffer.from(readme).toString('utf8'), /Sample workspace/);
    const sources = await vscode.workspace.findFiles('src/*.ts');
    assert.deepStrictEqual(sources.map((u) => u.path.split('/').pop()).sort(), ['a.ts', 'b.ts']);
  });
});
