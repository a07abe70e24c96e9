import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { acceptQuickPickWhile, config, extensionApi, sleep, useServer, waitFor } from './helpers';
import type { ExtensionApi } from '../../src/extension';

const KEY = 'sk-ant-api03-integration-SECRET-0123456789';

/** Everything the extension's log channel wrote to disk so far. */
function readLogs(api: ExtensionApi): string {
  return filesUnder(api.services.context.logUri.fsPath)
    .filter((f) => f.endsWith('.log'))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

describe('API key, model and base URL (real extension host, local server)', function () {
  let server: LocalAnthropicServer;
  let api: ExtensionApi;

  before(async () => {
    server = await startServer();
    api = await extensionApi();
    await useServer(server.url);
  });
  after(async () => {
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
  });

  it('Set API Key refuses an empty key and stores a good one in SecretStorage only', async () => {
    assert.equal(await vscode.commands.executeCommand('claudeEvents.setApiKey', '   '), false);
    assert.equal(await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY), true);
    assert.deepEqual(await api.services.api.getKey(), { key: KEY, source: 'secretStorage' });
    assert.equal(await api.services.context.secrets.get('claudeEvents.apiKey'), KEY);

    // No settings file (user, workspace) holds the key.
    const userDir = path.resolve(api.services.context.globalStorageUri.fsPath, '..', '..');
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const settingsFiles = [path.join(userDir, 'settings.json'), ...filesUnder(path.join(ws, '.vscode'))].filter((f) => fs.existsSync(f));
    assert.ok(settingsFiles.length > 0, 'found the user settings file');
    for (const f of settingsFiles) assert.ok(!fs.readFileSync(f, 'utf8').includes(KEY), `${f} must not contain the key`);
    const inspected = JSON.stringify(vscode.workspace.getConfiguration().inspect('claudeEvents'));
    assert.ok(!inspected.includes(KEY));
  });

  it('Select Model lists the local server models and persists the choice', async () => {
    await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY);
    const before = server.control.requests().length;
    const chosen = await acceptQuickPickWhile(vscode.commands.executeCommand<string | undefined>('claudeEvents.selectModel'), 1);
    const listed = server.control.requests().slice(before).filter((r) => r.path.startsWith('/v1/models'));
    assert.ok(listed.length >= 1, 'the picker asked the local server for its models');
    const client = await api.services.api.getClient();
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.ok(chosen && ids.includes(chosen), `chose ${chosen} from ${ids.join(', ')}`);
    assert.equal(config().get('model'), chosen);
    assert.equal(config().inspect('model')?.globalValue, chosen, 'stored in user settings');
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a workspace-level baseUrl is ignored (machine scope)', async () => {
    const ws = vscode.workspace.workspaceFolders![0].uri;
    const settingsUri = vscode.Uri.joinPath(ws, '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(settingsUri, Buffer.from(JSON.stringify({ 'claudeEvents.baseUrl': 'http://127.0.0.1:9' })));
    try {
      await sleep(500); // let the configuration service pick the file up
      assert.equal(api.services.api.baseUrl().url, server.url);
      await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY);
      const before = server.control.requests().length;
      const client = await api.services.api.getClient();
      await client.models.list();
      assert.ok(server.control.requests().length > before, 'the request still went to the user-configured server');
    } finally {
      await vscode.workspace.fs.delete(settingsUri);
    }
  });

  it('a rejected key (401) is reported as rejected, and no key asks for one', async () => {
    await vscode.commands.executeCommand('claudeEvents.setApiKey', 'sk-ant-bad-key-000000');
    assert.equal(await vscode.commands.executeCommand('claudeEvents.selectModel'), undefined);
    await waitFor(() => readLogs(api).includes('badKey 401: The API key was rejected (401). Set a valid key.'), 10000, 'the 401 message');
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    assert.equal((await api.services.api.getKey()).source, 'none');
    assert.equal(await vscode.commands.executeCommand('claudeEvents.selectModel'), undefined);
    await waitFor(() => readLogs(api).includes('noKey: No Anthropic API key is set.'), 10000, 'the no-key message');
  });

  it('the log never contains the key, even at trace level', async () => {
    await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY);
    api.services.log.channel.show(true);
    // The output view's "Set Log Level > Trace" action for the active channel (LogLevel.Trace = 1).
    await waitFor(async () => {
      await vscode.commands.executeCommand(`workbench.action.output.activeOutputLogLevel.${vscode.LogLevel.Trace}`);
      return api.services.log.channel.logLevel === vscode.LogLevel.Trace;
    }, 10000, 'the log channel at trace level');
    // Errors that carry request details go through the log.
    api.services.log.error(`simulated failure with header x-api-key: ${KEY}`);
    api.services.log.trace(`trace line with ${KEY}`);
    await useServer('http://127.0.0.1:9');
    await acceptQuickPickWhile(vscode.commands.executeCommand('claudeEvents.selectModel'));
    await useServer(server.url);
    const logs = await waitFor(() => {
      const text = readLogs(api);
      return text.includes('simulated failure') ? text : undefined;
    }, 10000, 'the log file');
    assert.ok(logs.includes('simulated failure'), 'read the real log file');
    assert.ok(logs.includes('trace line with [redacted]'), 'trace lines are written, and scrubbed');
    assert.ok(!logs.includes(KEY), 'the key is not in the log');
    assert.ok(logs.includes('[redacted]'));
  });
});
