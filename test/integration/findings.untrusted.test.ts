import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { config, extensionApi, useServer, waitFor } from './helpers';
import type { BatchHost } from '../../src/batch/batchFeature';
import type { SubmitResult } from '../../src/batch/commands/submit';
import type { ReviewOutcome } from '../../src/batch/findings/reviewResults';

const G = vscode.ConfigurationTarget.Global;

/**
 * Runs only in the Restricted Mode window (`scripts/run-integration.mjs --untrusted`): review
 * findings are shown, but a quick fix changes the workspace, so none is offered.
 */
describe('review findings in an untrusted workspace (Restricted Mode, real extension host)', function () {
  this.timeout(60_000);
  let server: LocalAnthropicServer;
  let host: BatchHost;
  let uri: vscode.Uri;

  before(async () => {
    server = await startServer({ seed: 5 });
    const api = await extensionApi();
    assert.ok(api.batches);
    host = api.batches;
    uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'review-untrusted/log.ts');
    await vscode.workspace.fs.writeFile(uri, Buffer.from("// findings fixture: untrusted\nconsole.log('x');\n"));
    await useServer(server.url);
    await config().update('batch.pollIntervalSeconds', 1, G);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', 'sk-ant-untrusted-findings-0001');
  });
  after(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true });
    await config().update('batch.pollIntervalSeconds', undefined, G);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
  });

  it('shows the findings but offers no quick fix for a finding with a replacement', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris: [uri], instruction: 'Review.', kind: 'review', choice: 'batch',
    });
    assert.equal(result.status, 'submitted', JSON.stringify(result));
    if (result.status !== 'submitted') return;
    const id = result.batchIds[0]!;
    server.control.script({
      match: 'findings fixture: untrusted',
      text: JSON.stringify({ findings: [{ start_line: 2, end_line: 2, severity: 'info', message: 'Debug logging left in the code', replacement: "console.debug('x');" }] }),
    });
    server.control.endBatch(id);
    await waitFor(async () => (await host.model.get(id))?.lastKnown?.processing_status === 'ended', 20_000, 'the batch to end');
    const out = await vscode.commands.executeCommand<ReviewOutcome>('claudeEvents.batch.openResults', id);
    assert.equal(out.findings, 1);
    const [d] = vscode.languages.getDiagnostics(uri).filter((x) => x.source?.startsWith(`Claude batch ${id}`));
    assert.ok(d, 'the finding is shown');
    assert.equal(d.range.start.line, 1);
    await vscode.workspace.openTextDocument(uri); // code actions are asked of an open document
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    assert.deepEqual(actions.filter((a) => a.title.startsWith("Apply Claude's fix")), [], 'no fix in Restricted Mode');
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.clearFindings', id), true);
  });
});
