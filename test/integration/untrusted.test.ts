import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import type { ResponseSession } from '../../src/stream/responseSession';
import { UNTRUSTED_TOOLS_NOTE } from '../../src/stream/workspaceTools';
import { config, extensionApi, useServer, waitFor } from './helpers';

/**
 * Runs only in the Restricted Mode window (`scripts/run-integration.mjs --untrusted`): a cloned,
 * untrusted repository must not get workspace tools even when the user turned them on.
 */
describe('untrusted workspace (Restricted Mode, real extension host)', function () {
  this.timeout(60_000);
  let server: LocalAnthropicServer;

  before(async () => {
    server = await startServer();
    await extensionApi();
    await useServer(server.url);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', 'sk-ant-untrusted-0001');
  });
  after(async () => {
    await config().update('tools.workspace', undefined, vscode.ConfigurationTarget.Global);
    await useServer(undefined);
    await server.close();
  });

  it('the window really is untrusted, and the extension still runs (limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension('claude-events.claude-events')!;
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('Ask with tools.workspace on sends no tools and the panel says why', async () => {
    await config().update('tools.workspace', true, vscode.ConfigurationTarget.Global);
    const s = await vscode.commands.executeCommand<ResponseSession>('claudeEvents.ask', 'What is in README.md? [[tool:read_file:{"path":"README.md"}]]');
    assert.ok(s);
    assert.equal(await s.whenDone(), 'complete');
    const req = await waitFor(() => server.control.requests().find((r) => r.path === '/v1/messages'), 5000, 'the request');
    assert.equal((req.body as { tools?: unknown }).tools, undefined, 'no tools were offered');
    assert.equal(server.control.toolResults().length, 0, 'no tool ran');
    const snap = s.snapshot();
    assert.ok(JSON.stringify(snap).includes(UNTRUSTED_TOOLS_NOTE), 'the panel shows why tools are off');
  });
});
