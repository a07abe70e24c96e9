import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { BATCH_WAKE_KEY } from '../../src/batch/batchWake';
import { config, extensionApi, useServer, waitFor } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { BatchHost } from '../../src/batch/batchFeature';
import { notifyWhenEnded } from '../../src/batch/commands/notify';
import type { SubmitResult } from '../../src/batch/commands/submit';
import { BatchesModel } from '../../src/batch/batchesModel';
import { ResultStateStore } from '../../src/batch/store/resultStates';
import type { BatchNode } from '../../src/batch/tree/batchTreeProvider';
import { BatchStore } from '../../src/batch/store/batchStore';
import { nodeFsPort } from '../../src/batch/store/nodeFs';

const KEY = 'sk-ant-api03-batch-integration-0123456789';

describe('batches (real extension host, local server)', function () {
  this.timeout(60_000);
  let server: LocalAnthropicServer;
  let api: ExtensionApi;
  let host: BatchHost;
  let ws: vscode.Uri;
  let batchId: string;
  /** custom_id by workspace-relative path, for the first batch. */
  const idOf = new Map<string, string>();

  const submit = (opts: object) => vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', opts);
  const file = (rel: string) => vscode.Uri.joinPath(ws, rel);
  const rootNodes = () => host.tree.getChildren();
  const batchNode = async (id: string) => {
    const node = (await rootNodes()).find((n) => n.kind === 'batch' && n.record.batchId === id);
    assert.ok(node, `the tree shows ${id}`);
    return node;
  };
  const recordFiles = () => fs.readdirSync(path.join(host.storageDir, 'records')).sort();
  /** The index document's links, as the editor gets them, with the result each one opens. */
  const indexLinks = async (index: vscode.TextDocument) => {
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', index.uri);
    return links.filter((l) => l.target?.scheme === 'command').map((l) => {
      const target = l.target!;
      let args: { batchId: string; customId: string }[];
      try {
        args = JSON.parse(target.query);
      } catch {
        args = JSON.parse(decodeURIComponent(target.query));
      }
      return { command: target.path, args, label: index.getText(l.range), line: l.range.start.line };
    });
  };
  /** Follows a link as the editor does on Ctrl+click: runs its command with its arguments. */
  const follow = (link: { command: string; args: unknown[] }) => vscode.commands.executeCommand<vscode.TextDocument>(link.command, ...link.args);
  const untitledDoc = (suffix: string) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'untitled' && d.uri.path.endsWith(suffix));

  before(async () => {
    server = await startServer();
    api = await extensionApi();
    assert.ok(api.batches, 'the extension exposes the batch host');
    host = api.batches;
    ws = vscode.workspace.workspaceFolders![0].uri;
    await useServer(server.url);
    await config().update('batch.pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY), true);
  });
  after(async () => {
    await config().update('batch.pollIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    await config().update('batch.resultsLocation', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
  });

  it('submits one request per text file of a folder, skipping the binary and the empty file', async () => {
    const result = await submit({ uris: [ws], instruction: 'Summarize this file.', choice: 'batch' });
    assert.equal(result.status, 'submitted', JSON.stringify(result));
    if (result.status !== 'submitted') return;
    assert.equal(result.batchIds.length, 1);
    batchId = result.batchIds[0]!;
    assert.deepEqual(
      result.skipped.map((s) => `${s.relPath}:${s.reason}`).sort(),
      ['assets/pixel.png:binary', 'empty.txt:empty'],
    );
    const sent = server.control.batchRequests(batchId);
    const paths = sent.map((r) => /^File: (.+)$/m.exec(String(r.params.messages[0]!.content))?.[1]).sort();
    assert.deepEqual(paths, ['README.md', 'docs/notes.txt', 'src/a.ts', 'src/b.ts']);
    const ids = sent.map((r) => r.custom_id);
    assert.equal(new Set(ids).size, ids.length, 'custom_ids are unique');
    for (const r of sent) {
      assert.match(r.custom_id, /^[a-zA-Z0-9_-]{1,64}$/);
      const system = r.params.system as { text: string; cache_control?: { type: string } }[];
      assert.equal(system[0]!.text, 'Summarize this file.');
      assert.deepEqual(system[0]!.cache_control, { type: 'ephemeral', ttl: '1h' });
      idOf.set(/^File: (.+)$/m.exec(String(r.params.messages[0]!.content))![1]!, r.custom_id);
    }
  });

  it('shows the batch in the tree with its requests, and offers cancel only while in progress', async () => {
    const node = await batchNode(batchId);
    const item = host.tree.getTreeItem(node);
    assert.equal(item.contextValue, 'claudeEvents:batch:in_progress');
    assert.match(String(item.tooltip), new RegExp(batchId));
    assert.match(String(item.description), /4\/4 processing/);
    const children = await host.tree.getChildren(node);
    assert.equal(children.length, 4);
    assert.ok(children.every((c) => host.tree.getTreeItem(c).contextValue === 'claudeEvents:request:processing'));

    // The manifest's menus: cancel only in progress, delete only ended.
    const menus = vscode.extensions.getExtension('claude-events.claude-events')!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const offered = (command: string, contextValue: string) =>
      menus.filter((m) => m.command === command).some((m) => new RegExp(/viewItem =~ \/(.+)\/$/.exec(m.when)![1]!).test(contextValue));
    assert.equal(offered('claudeEvents.batch.cancel', 'claudeEvents:batch:in_progress'), true);
    assert.equal(offered('claudeEvents.batch.cancel', 'claudeEvents:batch:ended'), false);
    assert.equal(offered('claudeEvents.batch.cancel', 'claudeEvents:batch:ended:retryable'), false);
    assert.equal(offered('claudeEvents.batch.delete', 'claudeEvents:batch:in_progress'), false);
    assert.equal(offered('claudeEvents.batch.delete', 'claudeEvents:batch:ended'), true);
    assert.equal(offered('claudeEvents.batch.retryFailed', 'claudeEvents:batch:ended'), false);
    assert.equal(offered('claudeEvents.batch.retryFailed', 'claudeEvents:batch:ended:retryable'), true);
    // And the commands refuse it too.
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.delete', batchId, { confirmed: true }), false);
  });

  it('while a batch is in flight, the next activation is told to load the batch feature at once (to announce its end)', async () => {
    await waitFor(() => api.services.context.globalState.get(BATCH_WAKE_KEY) === true, 5_000, 'the start flag to be set');
  });

  it('notices the end by polling and shows counts and per-request states', async () => {
    server.control.endBatch(batchId, { outcomes: { [idOf.get('src/a.ts')!]: 'errored', [idOf.get('src/b.ts')!]: 'expired' } });
    const item = await waitFor(async () => {
      const i = host.tree.getTreeItem(await batchNode(batchId));
      return String(i.contextValue).startsWith('claudeEvents:batch:ended') ? i : undefined;
    }, 20_000, 'the poller to see the end');
    assert.equal(item.contextValue, 'claudeEvents:batch:ended:retryable');
    assert.match(String(item.description), /2\/4 succeeded · 1 errored · 1 expired/);
    const children = await host.tree.getChildren(await batchNode(batchId));
    const states = Object.fromEntries(children.map((c) => [c.kind === 'request' ? c.relPath : '', host.tree.getTreeItem(c).contextValue]));
    assert.deepEqual(states, {
      'README.md': 'claudeEvents:request:succeeded',
      'docs/notes.txt': 'claudeEvents:request:succeeded',
      'src/a.ts': 'claudeEvents:request:errored',
      'src/b.ts': 'claudeEvents:request:expired',
    });
  });

  it('opens results as untitled markdown documents titled after the files (editor mode)', async () => {
    await config().update('batch.resultsLocation', 'editor', vscode.ConfigurationTarget.Global);
    const out = await vscode.commands.executeCommand<{ total: number; opened: number }>('claudeEvents.batch.openResults', batchId);
    assert.deepEqual(out, { location: 'editor', total: 4, opened: 4 });
    const doc = (suffix: string) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'untitled' && d.uri.path.endsWith(`/${batchId}/${suffix}`));
    assert.equal(doc('src/a.ts.md')?.languageId, 'markdown');
    assert.match(doc('src/a.ts.md')!.getText(), /\*\*Errored\*\*: \w+: /);
    assert.match(doc('src/b.ts.md')!.getText(), /\*\*Expired\*\*/);
    assert.match(doc('README.result.md')!.getText(), /^# README\.md\n\n> \*\*File:\*\* `README\.md`/);
    assert.match(doc('index.md')!.getText(), /4 results: 2 succeeded · 1 errored · 1 expired/);

    // Every entry of the index links to its result; following a link opens that result.
    const links = await indexLinks(doc('index.md')!);
    assert.deepEqual(links.map((l) => l.label).sort(), ['README.md', 'docs/notes.txt', 'src/a.ts', 'src/b.ts']);
    for (const link of links) {
      assert.equal(link.command, 'claudeEvents.batch.openResult');
      assert.deepEqual(link.args, [{ batchId, customId: idOf.get(link.label) }]);
    }
    const viaLink = await follow(links.find((l) => l.label === 'src/b.ts')!);
    assert.equal(viaLink.uri.toString(), doc('src/b.ts.md')!.uri.toString());
    assert.match(viaLink.getText(), /^# src\/b\.ts\n\n\*\*Expired\*\*/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), viaLink.uri.toString(), 'shown in the editor');

    // One request's result from its tree item.
    const child = (await host.tree.getChildren(await batchNode(batchId))).find((c) => c.kind === 'request' && c.relPath === 'docs/notes.txt')!;
    const single = await vscode.commands.executeCommand<vscode.TextDocument>('claudeEvents.batch.openResult', child);
    assert.match(single.getText(), /^# docs\/notes\.txt/);
  });

  it('writes results to the folder idempotently (folder mode)', async () => {
    const first = await vscode.commands.executeCommand<{ written: number; unchanged: number }>('claudeEvents.batch.saveResults', batchId);
    assert.deepEqual(first, { location: 'folder', written: 4, unchanged: 0 });
    const dir = path.join(ws.fsPath, '.claude-batches', batchId);
    assert.match(fs.readFileSync(path.join(dir, 'src', 'a.ts.md'), 'utf8'), /\*\*Errored\*\*/);
    assert.match(fs.readFileSync(path.join(dir, 'src', 'b.ts.md'), 'utf8'), /\*\*Expired\*\*/);
    assert.match(fs.readFileSync(path.join(dir, 'docs', 'notes.txt.md'), 'utf8'), /^# docs\/notes\.txt/);
    assert.match(fs.readFileSync(path.join(dir, 'index.md'), 'utf8'), /\[src\/a\.ts\]\(src\/a\.ts\.md\)/);
    const second = await vscode.commands.executeCommand<{ written: number; unchanged: number }>('claudeEvents.batch.saveResults', batchId);
    assert.deepEqual(second, { location: 'folder', written: 0, unchanged: 4 });
  });

  it('resumes a results download that broke half-way, without duplicates', async () => {
    fs.rmSync(path.join(ws.fsPath, '.claude-batches', batchId), { recursive: true, force: true });
    server.control.dropResultsAfter(batchId, 2);
    await vscode.commands.executeCommand('claudeEvents.batch.saveResults', batchId);
    const again = await vscode.commands.executeCommand<{ written: number; unchanged: number }>('claudeEvents.batch.saveResults', batchId);
    assert.equal(again.written + again.unchanged, 4);
    assert.ok(again.written >= 2, `wrote the missing ones (${JSON.stringify(again)})`);
    const dir = path.join(ws.fsPath, '.claude-batches', batchId);
    const ledger = fs.readFileSync(path.join(dir, '.written.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id as string);
    assert.equal(new Set(ledger).size, 4);
  });

  it('retries exactly the errored and expired requests as a new batch linked to the original', async () => {
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.retryFailed', batchId);
    assert.equal(result?.status, 'submitted', JSON.stringify(result));
    if (result?.status !== 'submitted') return;
    const retryId = result.batchIds[0]!;
    const sent = server.control.batchRequests(retryId).map((r) => r.custom_id).sort();
    assert.deepEqual(sent, [idOf.get('src/a.ts'), idOf.get('src/b.ts')].sort());
    const node = await batchNode(retryId);
    assert.equal(node.kind === 'batch' && node.record.parentBatchId, batchId);
    assert.match(String(host.tree.getTreeItem(node).description), new RegExp(`retry of ${batchId}`));
    // Newest first.
    assert.equal((await rootNodes())[0]!.kind === 'batch' && ((await rootNodes())[0] as { record: { batchId?: string } }).record.batchId, retryId);
  });

  it('keeps every batch on disk: a new store over the same directory (a restart) sees them all', async () => {
    const fresh = new BatchStore(nodeFsPort(host.storageDir));
    const ids = (await fresh.list()).map((r) => r.batchId);
    assert.ok(ids.includes(batchId));
    const original = (await fresh.list()).find((r) => r.batchId === batchId)!;
    assert.equal(original.model.length > 0, true);
    assert.equal((await fresh.readManifest(original)).length, 4);
    const retry = (await fresh.list()).find((r) => r.parentBatchId === batchId);
    assert.ok(retry, 'the retry is there with its link');
  });

  it('a failed create (413, 400) leaves no record and says why', async () => {
    for (const status of [413, 400] as const) {
      const before = recordFiles();
      server.control.failNextCreate(status);
      const result = await submit({ uris: [file('src/a.ts')], instruction: 'x', choice: 'batch' });
      assert.equal(result.status, 'failed');
      if (result.status === 'failed') assert.match(result.message, new RegExp(`\\(${status}\\)`));
      assert.deepEqual(recordFiles(), before, 'no phantom record');
      assert.equal((await host.model.list()).filter((r) => !r.batchId).length, 0);
    }
  });

  it('no files, or only skipped files, give a message and no batch', async () => {
    const creates = () => server.control.requests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').length;
    const before = creates();
    assert.equal((await submit({ glob: 'nowhere/**/*.zzz', instruction: 'x', choice: 'batch' })).status, 'no-files');
    const skipped = await submit({ uris: [file('assets/pixel.png'), file('empty.txt'), file('gone.ts')], instruction: 'x', choice: 'batch' });
    assert.equal(skipped.status, 'all-skipped');
    assert.deepEqual(skipped.skipped?.map((s) => s.reason).sort(), ['binary', 'deleted', 'empty']);
    assert.equal(creates(), before);
  });

  it('cancels a batch in progress and deletes it once ended', async () => {
    const result = await submit({ uris: [file('src/b.ts')], instruction: 'x', choice: 'batch' });
    assert.equal(result.status, 'submitted');
    if (result.status !== 'submitted') return;
    const id = result.batchIds[0]!;
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.cancel', id), true);
    await waitFor(async () => (await host.model.get(id))?.lastKnown?.processing_status === 'ended', 20_000, 'the cancel to end the batch');
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.cancel', id), false, 'no cancel on an ended batch');
    const node = await batchNode(id);
    assert.match(String(host.tree.getTreeItem(node).description), /1 canceled/);
    assert.equal(await vscode.commands.executeCommand('claudeEvents.batch.delete', id, { confirmed: true }), true);
    assert.equal(await host.model.get(id), undefined);
    assert.ok(!(await rootNodes()).some((n) => n.kind === 'batch' && n.record.batchId === id));
  });

  it('shows batches created elsewhere after a refresh (origin external)', async () => {
    const client = await api.services.api.getClient();
    const external = await client.messages.batches.create({
      requests: [{ custom_id: 'ext-1', params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } }],
    });
    await vscode.commands.executeCommand('claudeEvents.batch.refresh');
    const node = await batchNode(external.id) as Extract<BatchNode, { kind: 'batch' }>;
    assert.equal(node.record.origin, 'external');
    assert.match(String(host.tree.getTreeItem(node).description), /^external/);
    server.control.endBatch(external.id, {});
    await waitFor(async () => (await host.model.get(external.id))?.lastKnown?.processing_status === 'ended', 20_000, 'the external batch to end');
    const children = await host.tree.getChildren(await batchNode(external.id));
    assert.deepEqual(children.map((c) => host.tree.getTreeItem(c).label), ['ext-1']);
  });

  it('opens results past the first 20 only when their index link is followed, from the per-result cache', async () => {
    const client = await api.services.api.getClient();
    const params = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
    const ids = Array.from({ length: 23 }, (_, i) => `lazy-${String(i).padStart(2, '0')}`);
    const big = await client.messages.batches.create({ requests: ids.map((custom_id) => ({ custom_id, params })) });
    await vscode.commands.executeCommand('claudeEvents.batch.refresh');
    server.control.endBatch(big.id, { outcomes: { 'lazy-21': 'errored' } });
    await waitFor(async () => (await host.model.get(big.id))?.lastKnown?.processing_status === 'ended', 20_000, 'the batch to end');
    await config().update('batch.resultsLocation', 'editor', vscode.ConfigurationTarget.Global);
    const out = await vscode.commands.executeCommand('claudeEvents.batch.openResults', big.id);
    assert.deepEqual(out, { location: 'editor', total: 23, opened: 20 });
    const docOf = (id: string) => untitledDoc(`/${big.id}/_by-id/${id}.md`);
    const lazy = ids.filter((id) => !docOf(id));
    assert.equal(lazy.length, 3, 'three results are not opened');

    const index = untitledDoc(`/${big.id}/index.md`)!;
    assert.match(index.getText(), /20 opened as documents now, the others open on demand/);
    const links = await indexLinks(index);
    assert.deepEqual(links.map((l) => l.args[0]!.customId).sort(), ids);
    assert.ok(links.every((l) => l.args[0]!.batchId === big.id && l.label === l.args[0]!.customId));
    assert.equal(links.find((l) => l.label === 'lazy-21')!.line < links.find((l) => l.label === 'lazy-00')!.line, true, 'failures first');

    const downloads = () => server.control.requests().filter((r) => r.path === `/v1/messages/batches/${big.id}/results`).length;
    const before = downloads();
    for (const id of lazy) {
      const doc = await follow(links.find((l) => l.label === id)!);
      assert.equal(doc.uri.toString(), docOf(id)?.uri.toString(), `${id} is open now`);
      assert.equal(doc.languageId, 'markdown');
      assert.match(doc.getText(), id === 'lazy-21' ? /^# lazy-21\n\n\*\*Errored\*\*: / : new RegExp(`^# ${id}\\n\\n> \\*\\*Request:\\*\\* \`${id}\``));
    }
    assert.equal(downloads(), before, 'opened from the cache, without downloading the results again');
  });

  it('Run now streams each file through the job queue and opens each result as its job finishes', async () => {
    await config().update('batch.resultsLocation', 'editor', vscode.ConfigurationTarget.Global);
    // The local server answers this file slowly (the directive is in the prompt).
    const slow = file('slow.md');
    await vscode.workspace.fs.writeFile(slow, Buffer.from('Answer slowly. [[slow:25]]\n'));
    const before = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    let settled = false;
    const running = Promise.resolve(submit({ uris: [file('src/a.ts'), file('docs/notes.txt'), slow], instruction: 'Explain.', choice: 'now' })).finally(() => (settled = true));
    const runDoc = (suffix: string) => vscode.workspace.textDocuments.find(
      (d) => !before.has(d.uri.toString()) && d.uri.scheme === 'untitled' && /^\/run-\d+\//.test(d.uri.path) && d.uri.path.endsWith(suffix) && d.getText() !== '',
    );
    const early = await waitFor(() => runDoc('/src/a.ts.md'), 20_000, 'the first result to open');
    assert.equal(settled, false, 'a result opens while another job is still running');
    assert.equal(runDoc('/slow.md.md'), undefined);
    assert.match(early.getText(), /^# src\/a\.ts\n\n> \*\*File:\*\*/);
    const result = await running;
    assert.equal(result.status, 'ran');
    assert.equal(result.status === 'ran' && result.total, 3);
    const index = runDoc('/index.md')!;
    assert.match(index.getText(), /3 results: 3 succeeded/);

    // Run results have no batch to download from: the links open them from the cache.
    const links = await indexLinks(index);
    assert.deepEqual(links.map((l) => l.label).sort(), ['docs/notes.txt', 'slow.md', 'src/a.ts']);
    const runId = links[0]!.args[0]!.batchId;
    assert.match(runId, /^run-\d{17}$/);
    const notes = await follow(links.find((l) => l.label === 'docs/notes.txt')!);
    assert.match(notes.getText(), /^# docs\/notes\.txt\n/);
    assert.ok(notes.uri.path.startsWith(`/${runId}/`));
    await vscode.workspace.fs.delete(slow);
  });

  it('at startup, notifies once of a batch that ended while VS Code was closed, with Open Results', async () => {
    // The previous session's store: the batch was last seen in progress.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-events-restart-'));
    try {
      const client = await api.services.api.getClient();
      const params = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user' as const, content: 'File: src/a.ts' }] };
      const batch = await client.messages.batches.create({ requests: [{ custom_id: 'f0', params }] });
      const store = new BatchStore(nodeFsPort(dir));
      const pending = await store.beginSubmission({
        model: 'claude-sonnet-4-5', instruction: 'x', requests: [{ custom_id: 'f0', params }],
        manifest: [{ customId: 'f0', uri: file('src/a.ts').toString(), relPath: 'src/a.ts', bytes: 1, sha256: '0'.repeat(64) }],
      });
      await store.markCreated(pending.localId, batch);
      assert.equal((await store.get(batch.id))?.lastKnown?.processing_status, 'in_progress');
      server.control.endBatch(batch.id, {});

      // The next session: the model and the notification wiring that activation builds.
      const model = new BatchesModel({
        store, states: new ResultStateStore(nodeFsPort(dir)), getClient: () => api.services.api.getClient(), pollSeconds: () => 1,
      });
      const shown: { message: string; items: string[] }[] = [];
      const opened: string[] = [];
      const stop = notifyWhenEnded(model, (r) => opened.push(r.batchId!), async (message, ...items) => {
        shown.push({ message, items });
        return 'Open Results';
      });
      try {
        await model.reconcile();
        await waitFor(() => opened.length > 0, 5_000, 'Open Results to be followed');
        const mine = shown.filter((n) => n.message.includes(batch.id));
        assert.deepEqual(mine, [{ message: `Batch ${batch.id} ended while VS Code was closed: 1 succeeded`, items: ['Open Results'] }]);
        assert.deepEqual(opened, [batch.id]);
        assert.equal((await model.get(batch.id))?.lastKnown?.processing_status, 'ended', 'the record is updated');
        await model.reconcile();
        assert.equal(shown.filter((n) => n.message.includes(batch.id)).length, 1, 'once');
      } finally {
        stop();
        model.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
