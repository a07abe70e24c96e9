import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { acceptQuickPickWhile, connectBatches, disconnectBatches, extensionApi, waitFor } from './helpers';
import type { BatchHost } from '../../src/batch/batchFeature';
import type { SubmitResult } from '../../src/batch/commands/submit';
import { FindingsPresenter } from '../../src/batch/findings/findingsPresenter';
import type { ReviewOutcome } from '../../src/batch/findings/reviewResults';
import { FindingsStore } from '../../src/batch/store/findingsStore';
import { nodeFsPort } from '../../src/batch/store/nodeFs';
import type { BatchNode } from '../../src/batch/tree/batchTreeProvider';

const KEY = 'sk-ant-api03-batch-findings-0123456789';
const INSTRUCTION = 'Review for leftovers.';

/**
 * The file under review. The local server's deterministic review answers (being added) report
 * TODO lines, console.log( lines and loose equality; until then the test scripts exactly those
 * answers, so it asserts the same findings either way.
 */
const LOOSE = [
  '// findings fixture: review me',
  'export function same(a: number, b: number): boolean {',
  '  // TODO handle NaN',
  "  console.log('comparing', a, b);",
  '  if (a == b) return true;',
  '  return false;',
  '}',
  '',
].join('\n');
const FIXED_LOG = "  console.debug('comparing', a, b);";
const FIXED_EQ = '  if (a === b) return true;';

const SCRIPTED_FINDINGS = JSON.stringify({
  findings: [
    { start_line: 3, end_line: 3, severity: 'warning', message: 'TODO left in the code: handle NaN' },
    { start_line: 4, end_line: 4, severity: 'info', message: 'Debug logging left in the code', replacement: FIXED_LOG },
    { start_line: 5, end_line: 5, severity: 'error', message: 'Loose equality: use ===', replacement: FIXED_EQ },
  ],
});

describe('review batches: findings in the Problems panel (real extension host, real SDK, local server)', function () {
  this.timeout(180_000);
  let server: LocalAnthropicServer;
  let host: BatchHost;
  let ws: vscode.Uri;
  let batchId: string;
  let source: string;
  const file = (rel: string) => vscode.Uri.joinPath(ws, rel);
  const loose = () => file('review/loose.ts');
  /** The review's diagnostics of a file, as the Problems panel has them. */
  const problems = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
  const shape = (ds: readonly vscode.Diagnostic[]) =>
    ds.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity, d.message] as const)
      .sort((a, b) => a[0] - b[0]);
  const findingsFile = () => path.join(host.storageDir, 'findings', `${batchId}.json`);
  const ours = (actions: vscode.CodeAction[]) => actions.filter((a) => a.title.startsWith("Apply Claude's fix"));
  const batchNode = async (id: string) => {
    const node = (await host.tree.getChildren()).find((n) => n.kind === 'batch' && n.record.batchId === id);
    assert.ok(node, `the tree shows ${id}`);
    return node as Extract<BatchNode, { kind: 'batch' }>;
  };

  before(async () => {
    server = await startServer({ seed: 11 });
    const api = await extensionApi();
    assert.ok(api.batches);
    host = api.batches;
    ws = vscode.workspace.workspaceFolders![0].uri;
    await vscode.workspace.fs.writeFile(loose(), Buffer.from(LOOSE));
    await vscode.workspace.fs.writeFile(file('review/broken.ts'), Buffer.from('// findings fixture: fails [[outcome:errored]]\nexport const x = 1;\n'));
    await vscode.workspace.fs.writeFile(file('review/clean.ts'), Buffer.from('// findings fixture: clean\nexport const y = 2;\n'));
    await connectBatches(server.url, KEY);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(file('review'), { recursive: true });
    await disconnectBatches();
    await server.close();
  });

  it('Review files → each finding is in the Problems panel at its lines, under the batch source, and no result document opens', async () => {
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris: [loose(), file('review/broken.ts'), file('review/clean.ts')], instruction: INSTRUCTION, kind: 'review', choice: 'batch',
    });
    assert.equal(result.status, 'submitted', JSON.stringify(result));
    if (result.status !== 'submitted') return;
    batchId = result.batchIds[0]!;
    source = `Claude batch ${batchId} (${INSTRUCTION})`;
    const sent = server.control.batchRequests(batchId);
    assert.equal(sent.length, 3);
    for (const r of sent) assert.equal((r.params as { output_config?: { format?: { type?: string } } }).output_config?.format?.type, 'json_schema');

    server.control.script({ match: 'findings fixture: review me', text: SCRIPTED_FINDINGS });
    server.control.script({ match: 'findings fixture: clean', text: JSON.stringify({ findings: [] }) });
    server.control.endBatch(batchId);
    await waitFor(async () => (await host.model.get(batchId))?.lastKnown?.processing_status === 'ended', 20_000, 'the batch to end');

    const { showFailed, ...out } = await vscode.commands.executeCommand<ReviewOutcome>('claudeEvents.batch.openResults', batchId);
    assert.deepEqual(out, { location: 'problems', results: 3, findings: 3, files: 1, failed: 1 });
    const lines = LOOSE.split('\n');
    const E = vscode.DiagnosticSeverity;
    const got = shape(problems(loose()));
    assert.deepEqual(got.map((d) => d.slice(0, 5)), [
      [2, 0, 2, lines[2]!.length, E.Warning],
      [3, 0, 3, lines[3]!.length, E.Information],
      [4, 0, 4, lines[4]!.length, E.Error],
    ]);
    assert.match(got[0]![5], /^TODO left in the code: /);
    assert.deepEqual(got.slice(1).map((d) => d[5]), ['Debug logging left in the code', 'Loose equality: use ===']);
    assert.deepEqual(problems(file('review/broken.ts')), [], 'the errored result has no findings');
    assert.deepEqual(problems(file('review/clean.ts')), []);
    const opened = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'untitled' && d.uri.path.includes(batchId));
    assert.deepEqual(opened.map((d) => d.uri.toString()), [], 'findings, not markdown documents');
    assert.ok(fs.existsSync(findingsFile()), 'kept on disk');

    // The notification's Show Failed: the failed file, why, as an untitled markdown document.
    const failed = await showFailed();
    assert.equal(failed.languageId, 'markdown');
    assert.equal(failed.isUntitled, true);
    const head = [`# Failed review results of ${batchId}`, '', '1 result produced no findings:', '', '## review/broken.ts', '', '**Reason:** errored: overloaded_error: Overloaded', ''];
    assert.ok(failed.getText().startsWith(head.join('\n')), failed.getText());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('marks the ended review batch in the tree, offering Clear Batch Findings there (and the existing menus still match)', async () => {
    const item = host.tree.getTreeItem(await batchNode(batchId));
    assert.equal(item.contextValue, 'claudeEvents:batch:ended:retryable:review');
    const menus = vscode.extensions.getExtension('claude-events.claude-events')!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const offered = (command: string, contextValue: string) =>
      menus.filter((m) => m.command === command).some((m) => new RegExp(/viewItem =~ \/(.+)\/$/.exec(m.when)![1]!).test(contextValue));
    for (const cv of ['claudeEvents:batch:ended:review', 'claudeEvents:batch:ended:retryable:review']) {
      assert.equal(offered('claudeEvents.batch.clearFindings', cv), true, cv);
      assert.equal(offered('claudeEvents.batch.openResults', cv), true, cv);
      assert.equal(offered('claudeEvents.batch.delete', cv), true, cv);
    }
    assert.equal(offered('claudeEvents.batch.retryFailed', 'claudeEvents:batch:ended:retryable:review'), true);
    assert.equal(offered('claudeEvents.batch.retryFailed', 'claudeEvents:batch:ended:review'), false);
    for (const cv of ['claudeEvents:batch:ended', 'claudeEvents:batch:ended:retryable', 'claudeEvents:batch:in_progress:review']) {
      assert.equal(offered('claudeEvents.batch.clearFindings', cv), false, cv);
    }
  });

  it('a finding with a replacement has a preferred quick fix that replaces exactly its lines, undoably; the fixed finding leaves the panel', async () => {
    const doc = await vscode.workspace.openTextDocument(loose());
    await vscode.window.showTextDocument(doc);
    const [todo, log, eq] = [...problems(loose())].sort((a, b) => a.range.start.line - b.range.start.line);
    const actionsAt = async (d: vscode.Diagnostic) =>
      ours(await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', loose(), d.range));
    assert.deepEqual(await actionsAt(todo!), [], 'no fix without a replacement');
    assert.equal((await actionsAt(eq!)).length, 1);
    const [fix, ...more] = await actionsAt(log!);
    assert.ok(fix && more.length === 0, 'one fix for the console.log finding');
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix.isPreferred, true);

    // What the editor does on accepting the fix: apply its edit, then run its command.
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    const expected = LOOSE.split('\n');
    expected[3] = FIXED_LOG;
    assert.equal(doc.getText(), expected.join('\n'), 'exactly the finding\'s line is replaced');
    assert.deepEqual(shape(problems(loose())).map((d) => d[5]), [shape([todo!])[0]![5], 'Loose equality: use ==='], 'the applied finding is gone');
    const kept = JSON.parse(fs.readFileSync(findingsFile(), 'utf8')) as { files: { findings: unknown[] }[] };
    assert.equal(kept.files[0]!.findings.length, 2, 'and gone from storage');

    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === LOOSE, 5_000, 'undo to restore the file');
    assert.equal(doc.isDirty, false, 'nothing changed on disk');
    assert.equal(fs.readFileSync(loose().fsPath, 'utf8'), LOOSE);
  });

  it('findings survive a reload: a new store and collection over the same storage show them again', async () => {
    const now = shape(host.findings.diagnostics(loose()));
    assert.equal(now.length, 2);
    const log = { info: () => undefined, warn: (m: string) => assert.fail(m) };
    // Another window's review (global storage is shared): kept, but not shown in this workspace.
    const store = new FindingsStore(nodeFsPort(host.storageDir));
    const elsewhere = vscode.Uri.file(path.join(path.dirname(ws.fsPath), 'another-project', 'x.ts')).toString();
    await store.put({ batchId: 'msgbatch_elsewhere', source: 'Claude batch msgbatch_elsewhere', files: [
      { uri: elsewhere, relPath: 'x.ts', customId: 'f0', findings: [{ startLine: 0, endLine: 0, endCharacter: 1, severity: 'error', message: 'm' }] },
    ] });
    // What the next window builds over the extension's storage.
    const reloaded = new FindingsPresenter(new FindingsStore(nodeFsPort(host.storageDir)), log, 'claudeEvents.findings.reloadTest');
    try {
      await reloaded.restore();
      assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.parse(elsewhere)), []);
      assert.ok(await store.get('msgbatch_elsewhere'), 'and it stays stored for its own window');
      await store.remove('msgbatch_elsewhere');
      assert.deepEqual(shape(reloaded.diagnostics(loose())), now);
      assert.ok(reloaded.diagnostics(loose()).every((d) => d.source === source));
      assert.deepEqual((await reloaded.list()).map((b) => b.batchId), [batchId]);
      // The restored finding still carries its quick fix.
      const eq = reloaded.diagnostics(loose()).find((d) => d.severity === vscode.DiagnosticSeverity.Error)!;
      const doc = await vscode.workspace.openTextDocument(loose());
      const actions = reloaded.provideCodeActions(doc, eq.range, { diagnostics: [eq], only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke });
      assert.equal(actions.length, 1);
    } finally {
      reloaded.dispose();
    }
  });

  it('Clear Batch Findings (palette quick pick of the batches with findings) removes them from the panel and from storage', async () => {
    assert.equal(await acceptQuickPickWhile(vscode.commands.executeCommand<boolean>('claudeEvents.batch.clearFindings')), true);
    assert.deepEqual(problems(loose()), []);
    assert.equal(fs.existsSync(findingsFile()), false);
    const reloaded = new FindingsPresenter(new FindingsStore(nodeFsPort(host.storageDir)), { info: () => undefined, warn: () => undefined }, 'claudeEvents.findings.reloadTest2');
    try {
      await reloaded.restore();
      assert.deepEqual(reloaded.diagnostics(loose()), [], 'a reload after clearing shows nothing');
    } finally {
      reloaded.dispose();
    }
    // From the tree item: nothing left to clear.
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.clearFindings', await batchNode(batchId)), false);
  });

  it('Open Results again brings the findings back (the results are read again, the file as it is now)', async () => {
    const out = await vscode.commands.executeCommand<ReviewOutcome>('claudeEvents.batch.openResults', batchId);
    assert.equal(out.findings, 3);
    assert.equal(problems(loose()).length, 3);
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.clearFindings', batchId), true);
    assert.deepEqual(problems(loose()), []);
  });

  it('Run now with Review files streams each file and shows its findings in the Problems panel too (the local server\'s own review rules)', async () => {
    const now = file('review/now.ts');
    await vscode.workspace.fs.writeFile(now, Buffer.from('export const a = 1;\n// TODO: name this\nconsole.log(a);\n'));
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris: [now], instruction: 'Review this file.', kind: 'review', choice: 'now',
    });
    assert.equal(result.status, 'ran', JSON.stringify(result));
    const ds = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(now).filter((d) => /^Claude batch run-/.test(String(d.source)));
      return found.length === 2 ? found : undefined;
    }, 15_000, 'the run\'s findings');
    assert.deepEqual(ds.map((d) => [d.range.start.line, d.severity]).sort(), [[1, vscode.DiagnosticSeverity.Warning], [2, vscode.DiagnosticSeverity.Information]]);
    assert.match(ds.find((d) => d.range.start.line === 1)!.message, /^TODO left in the code: /);
  });
});
