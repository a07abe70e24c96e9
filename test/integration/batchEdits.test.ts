import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { connectBatches, disconnectBatches, extensionApi, waitFor } from './helpers';
import type { BatchHost } from '../../src/batch/batchFeature';
import type { SubmitResult } from '../../src/batch/commands/submit';
import type { AcceptOutcome } from '../../src/batch/commands/review';
import type { ReviewMeta } from '../../src/batch/review/reviewStore';
import { proposalUri } from '../../src/batch/review/proposalProvider';
import { ReviewStore } from '../../src/batch/review/reviewStore';
import { nodeFsPort } from '../../src/batch/store/nodeFs';
import * as os from 'node:os';
import * as path from 'node:path';

const KEY = 'sk-ant-api03-batch-edits-0123456789';
const HEADER = 'Reviewed by Claude';

/**
 * The edit flow end to end in the real extension host: Edit files → the local server answers
 * each request with structured edits → the batch ends → the review lists the diffs → Accept,
 * Reject, conflicts, deletions and truncated results, on real files.
 */
describe('edit batches: review and apply (real extension host, local server)', function () {
  this.timeout(90_000);
  let server: LocalAnthropicServer;
  let host: BatchHost;
  let ws: vscode.Uri;
  let batchId: string;
  const files: Record<string, string> = {
    'edits/one.ts': 'export const one = 1;\n',
    'edits/two.ts': 'export function two() {\n  return 2;\n}\n',
    'edits/three.py': 'def three():\n    return 3\n',
    'edits/changed.ts': 'export const changed = true;\n',
    'edits/deleted.ts': 'export const deleted = true;\n',
    'edits/cut.ts': 'export const cut = "[[max_tokens]]";\n',
  };
  const uri = (rel: string) => vscode.Uri.joinPath(ws, rel);
  const disk = (rel: string) => fs.readFileSync(uri(rel).fsPath, 'utf8');
  const idOf = new Map<string, string>();
  const accept = (rel: string, opts?: object) => vscode.commands.executeCommand<AcceptOutcome>('claudeEvents.batch.acceptEdit', { batchId, customId: idOf.get(rel)! }, opts);

  before(async () => {
    server = await startServer();
    host = (await extensionApi()).batches!;
    ws = vscode.workspace.workspaceFolders![0].uri;
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(uri(rel).fsPath.replace(/[^/\\]+$/, ''), { recursive: true });
      fs.writeFileSync(uri(rel).fsPath, text);
    }
    await connectBatches(server.url, KEY);
  });
  after(async () => {
    await vscode.commands.executeCommand('claudeEvents.batch.closeReview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uri('edits').fsPath, { recursive: true, force: true });
    await disconnectBatches();
    await server.close();
  });

  it('submits an edit batch: structured output schema and the 1-hour cached instruction on every request', async () => {
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris: Object.keys(files).map(uri), instruction: `Add a header comment "${HEADER}".`, kind: 'edit', choice: 'batch',
    });
    assert.equal(result.status, 'submitted', JSON.stringify(result));
    if (result.status !== 'submitted') return;
    batchId = result.batchIds[0]!;
    for (const r of server.control.batchRequests(batchId)) {
      const params = r.params as { output_config?: { format?: { type?: string; schema?: { properties?: object } } }; system: { cache_control?: unknown }[]; messages: { content: unknown }[] };
      assert.equal(params.output_config?.format?.type, 'json_schema');
      assert.ok(params.output_config?.format?.schema?.properties && 'edits' in params.output_config.format.schema.properties);
      assert.deepEqual(params.system[0]!.cache_control, { type: 'ephemeral', ttl: '1h' });
      idOf.set(/^File: (.+)$/m.exec(String(params.messages[0]!.content))![1]!, r.custom_id);
    }
    assert.equal(idOf.size, 6);
    const record = await host.model.get(batchId);
    assert.equal(record?.kind, 'edit');
  });

  it('the batch ends; Open Results opens the review with every file, the cut-off result failed', async () => {
    server.control.endBatch(batchId, {});
    await waitFor(async () => (await host.model.get(batchId))?.lastKnown?.processing_status === 'ended', 20_000, 'the poller to see the end');
    // Between submit and apply, one file changes and one is deleted.
    fs.writeFileSync(uri('edits/changed.ts').fsPath, 'export const changed = true;\nexport const addedByHand = 1;\n');
    fs.rmSync(uri('edits/deleted.ts').fsPath);
    const meta = await vscode.commands.executeCommand<ReviewMeta>('claudeEvents.batch.openResults', batchId);
    assert.deepEqual(meta.counts, { proposed: 5, unchanged: 0, failed: 1 });
    assert.deepEqual(meta.failedIds, [idOf.get('edits/cut.ts')]);
    await vscode.commands.executeCommand('claudeEvents.batch.showEdit', { batchId, customId: idOf.get('edits/one.ts')! });
    // The diff's right side is the file with the header added, the rest byte for byte.
    const proposal = await vscode.workspace.openTextDocument(proposalUri(batchId, { customId: idOf.get('edits/one.ts')!, relPath: 'edits/one.ts', state: 'proposed' }));
    assert.equal(proposal.getText(), `// ${HEADER}\n${files['edits/one.ts']}`);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.match(tab.label, /edits\/one\.ts ↔ proposed by Claude/);
  });

  it('Accept two and Reject one: the two hold exactly the proposal, the third is byte-for-byte unchanged', async () => {
    assert.equal(await accept('edits/one.ts'), 'accepted');
    assert.equal(await accept('edits/three.py'), 'accepted');
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.rejectEdit', { batchId, customId: idOf.get('edits/two.ts')! }), 'rejected');
    assert.equal(disk('edits/one.ts'), `// ${HEADER}\n${files['edits/one.ts']}`);
    assert.equal(disk('edits/three.py'), `# ${HEADER}\n${files['edits/three.py']}`);
    assert.equal(disk('edits/two.ts'), files['edits/two.ts']);
  });

  it('Undo restores the accepted files', async () => {
    for (const rel of ['edits/one.ts', 'edits/three.py']) {
      const doc = await vscode.workspace.openTextDocument(uri(rel));
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
      await waitFor(() => vscode.window.activeTextEditor?.document === doc, 5_000, `${rel} to be the active editor`);
      await vscode.commands.executeCommand('undo');
      await waitFor(() => doc.getText() === files[rel], 5_000, `undo in ${rel}`);
      assert.ok(doc.isDirty, `${rel}: the undo is unsaved`);
      assert.equal(await doc.save(), true, `${rel}: saved`);
      await waitFor(() => disk(rel) === files[rel], 5_000, `${rel} back to its original content on disk (it holds ${JSON.stringify(disk(rel))})`);
    }
  });

  it('a file changed since submission is a conflict: its diff against the current content shows, declined it stays as it was', async () => {
    const before = disk('edits/changed.ts');
    assert.equal(await accept('edits/changed.ts', { applyToChanged: false }), 'conflict-declined');
    assert.equal(disk('edits/changed.ts'), before);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    assert.match(tab.label, /edits\/changed\.ts \(changed since submission\) ↔ proposed by Claude/);
  });

  it('a deleted file is not recreated; a truncated result is never applied', async () => {
    assert.equal(await accept('edits/deleted.ts'), 'deleted');
    assert.equal(fs.existsSync(uri('edits/deleted.ts').fsPath), false);
    assert.equal(await accept('edits/cut.ts'), 'failed');
    assert.equal(disk('edits/cut.ts'), files['edits/cut.ts']);
  });

  it('Accept All applies what is left and skips the conflict; Retry Failed resends exactly the truncated result', async () => {
    const counts = await vscode.commands.executeCommand<{ accepted: number; conflicts: number }>('claudeEvents.batch.acceptAllEdits', { confirmed: true });
    // one.ts and three.py were accepted before (their undo is the user's business); two.ts was rejected.
    assert.deepEqual(counts, { accepted: 0, conflicts: 1, deleted: 1, failed: 0 });
    assert.equal(disk('edits/two.ts'), files['edits/two.ts']);
    const retry = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.retryFailed', batchId);
    assert.equal(retry?.status, 'submitted', JSON.stringify(retry));
    if (retry?.status !== 'submitted') return;
    assert.deepEqual(server.control.batchRequests(retry.batchIds[0]!).map((r) => r.custom_id), [idOf.get('edits/cut.ts')]);
  });

  it('Run now with Edit files streams each file through the job queue and opens the same review', async () => {
    fs.writeFileSync(uri('edits/now.ts').fsPath, 'export const now = 1;\n');
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris: [uri('edits/now.ts')], instruction: 'Replace "now" with "later".', kind: 'edit', choice: 'now',
    });
    assert.equal(result.status, 'ran', JSON.stringify(result));
    // The run's review is stored under its run id, like a batch's under the batch id.
    const runId = await waitFor(() => fs.readdirSync(path.join(host.storageDir, 'reviews')).find((d) => d.startsWith('run-')), 10_000, 'the run\'s review');
    const review = new ReviewStore(nodeFsPort(host.storageDir));
    const [entry] = await review.page(runId, 0);
    assert.equal(entry?.state, 'proposed');
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.acceptEdit', { batchId: runId, customId: entry!.customId }), 'accepted');
    assert.equal(disk('edits/now.ts'), 'export const later = 1;\n');
  });

  it('an entry whose path is outside the workspace (a tampered manifest) is refused, nothing written', async () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ce-outside-')), 'victim.ts');
    fs.writeFileSync(outside, 'export const victim = 1;\n');
    const review = new ReviewStore(nodeFsPort(host.storageDir));
    const edit = JSON.stringify({ summary: 's', edits: [{ old_text: 'victim', new_text: 'pwned' }] });
    async function* lines() {
      yield { custom_id: 'f0', result: { type: 'succeeded', message: { content: [{ type: 'text', text: edit }], stop_reason: 'end_turn', model: 'm', usage: { input_tokens: 1, output_tokens: 1 } } } } as never;
    }
    await review.build('msgbatch_tampered', lines(), new Map([['f0', { customId: 'f0', uri: vscode.Uri.file(outside).toString(), relPath: '../victim.ts', bytes: 1, sha256: 'x' }]]));
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.acceptEdit', { batchId: 'msgbatch_tampered', customId: 'f0' }), 'outside');
    assert.equal(fs.readFileSync(outside, 'utf8'), 'export const victim = 1;\n');
  });
});
