import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { config, extensionApi, useServer, waitFor } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { SubmitResult } from '../../src/batch/commands/submit';
import { nodeFsPort } from '../../src/batch/store/nodeFs';
import { buildBatchRequests } from '../../src/batch/requests/requestBuilder';
import { BatchStore } from '../../src/batch/store/batchStore';
import { buildAskParams } from '../../src/stream/promptBuilder';
import type { ResponseSession } from '../../src/stream/responseSession';
import { UNTRUSTED_TOOLS_NOTE, workspaceToolPolicy } from '../../src/stream/workspaceTools';

const KEY = 'sk-ant-api03-security-SECRET-9f8e7d6c5b4a';
const G = vscode.ConfigurationTarget.Global;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.isFile() ? [full] : [];
  });
}

/**
 * Issue 5, security: what a test can show about the key, the workspace tools, untrusted
 * workspaces, messages from the webview and result paths in folder mode.
 */
describe('security review (real extension host, local server)', function () {
  this.timeout(120_000);
  let server: LocalAnthropicServer;
  let api: ExtensionApi;
  let ws: vscode.Uri;
  const table: string[] = [];
  const cleanup: string[] = [];

  const ask = async (q: string) => {
    const s = await vscode.commands.executeCommand<ResponseSession | undefined>('claudeEvents.ask', q);
    assert.ok(s);
    return s;
  };
  const readyPanel = (s: ResponseSession) =>
    waitFor(() => {
      const p = api.responses.panels.get(s.id);
      return p?.isReady ? p : undefined;
    }, 20_000, 'the webview to post ready');

  before(async () => {
    server = await startServer({ seed: 9 });
    api = await extensionApi();
    ws = vscode.workspace.workspaceFolders![0].uri;
    await useServer(server.url);
    await config().update('maxRetries', 0, G);
    await config().update('autoContinue', false, G);
    assert.equal(await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY), true);
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    for (const p of cleanup) fs.rmSync(p, { recursive: true, force: true });
    for (const key of ['maxRetries', 'autoContinue', 'tools.workspace', 'batch.resultsFolder', 'batch.resultsLocation']) await config().update(key, undefined, G);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
    console.log(['', '      | attack | tried | blocked |', '      |---|---:|---:|', ...table.map((r) => `      ${r}`)].join('\n'));
  });

  it('the key never reaches the webview: not in its HTML, not in any message of a run (answer and error)', async () => {
    let runs = 0;
    for (const fault of [undefined, { type: 'status' as const, status: 500 as const }, { type: 'error' as const, afterEvent: 6 }]) {
      server.control.reset();
      server.control.script({ ...(fault ? { fault } : {}) });
      const s = await ask(`Explain the key handling ${runs}`);
      await s.whenDone();
      const panel = await readyPanel(s);
      await waitFor(() => panel.posted.some((m) => m.type === 'snapshot' && m.status.state === s.state), 10_000, 'the final snapshot');
      assert.ok(server.control.requests().some((r) => r.apiKeyPresent), 'the key was used');
      assert.ok(panel.panel.webview.html.length > 200);
      assert.ok(!panel.panel.webview.html.includes(KEY), 'not in the HTML');
      const posted = JSON.stringify(panel.posted);
      assert.ok(panel.posted.length > 0);
      assert.ok(!posted.includes(KEY) && !posted.includes(KEY.slice(-12)), `not in the ${panel.posted.length} posted messages (${s.state})`);
      assert.ok(!JSON.stringify(s.snapshot()).includes(KEY));
      runs++;
    }
    table.push(`| key in webview HTML / posted messages (answer, 500, mid-stream error) | ${runs} | ${runs} |`);
  });

  it('the key never lands in the extension\'s storage files after a batch submit and results', async () => {
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris: [vscode.Uri.joinPath(ws, 'src/a.ts'), vscode.Uri.joinPath(ws, 'README.md')], instruction: 'Summarize this file.', choice: 'batch',
    });
    assert.equal(result.status, 'submitted');
    const id = (result as Extract<SubmitResult, { status: 'submitted' }>).batchIds[0]!;
    server.control.endBatch(id, {});
    await api.batches!.model.refreshOne(id);
    await vscode.commands.executeCommand('claudeEvents.batch.saveResults', id);
    const files = [...walk(api.services.context.globalStorageUri.fsPath), ...walk(path.join(ws.fsPath, '.claude-batches', id))];
    assert.ok(files.some((f) => f.includes(`${path.sep}records${path.sep}`)) && files.some((f) => f.includes(`${path.sep}manifests${path.sep}`)), 'scanned the real store');
    const leaks = files.filter((f) => fs.readFileSync(f).includes(KEY) || fs.readFileSync(f).includes(KEY.slice(-12)));
    assert.deepEqual(leaks, []);
    table.push(`| key in storage files (records, manifests, params, states, results folder) | ${files.length} files | ${files.length} |`);
  });

  it('workspace tools: ../, absolute paths and symlinks out of the workspace come back to the server as errors, without the content', async () => {
    assert.equal(vscode.workspace.isTrusted, true, 'the harness runs with workspace trust disabled (trusted)');
    await config().update('tools.workspace', true, G);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-outside-'));
    cleanup.push(outside);
    const MARK = 'OUTSIDE-SECRET-7c1d';
    fs.writeFileSync(path.join(outside, 'secret.txt'), `${MARK}\n`);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws.fsPath, 'escape-link.txt'));
    fs.symlinkSync(outside, path.join(ws.fsPath, 'escape-dir'), 'dir');
    cleanup.push(path.join(ws.fsPath, 'escape-link.txt'), path.join(ws.fsPath, 'escape-dir'));
    const relOut = path.relative(ws.fsPath, path.join(outside, 'secret.txt'));
    const attacks = ['../../etc/passwd', '../'.repeat(12) + 'etc/passwd', relOut, '/etc/passwd', path.join(outside, 'secret.txt'), 'escape-link.txt', 'escape-dir/secret.txt', 'src/../../' + path.basename(ws.fsPath) + '/../escape'];
    let blocked = 0;
    for (const target of [...attacks, 'docs/notes.txt']) {
      server.control.reset();
      server.control.script({ toolUse: { name: 'read_file', input: { path: target } } });
      const s = await ask(`Read ${target}`);
      assert.equal(await s.whenDone(), 'complete', `${target}: ${s.error?.message ?? ''}`);
      const results = server.control.toolResults();
      assert.equal(results.length, 1, `${target}: one tool_result went back`);
      const r = results[0]!;
      if (target === 'docs/notes.txt') {
        // The control: a workspace file is read, so the refusals above are not a broken tool.
        assert.equal(r.isError, false);
        assert.equal(r.content, fs.readFileSync(path.join(ws.fsPath, 'docs/notes.txt'), 'utf8'));
        continue;
      }
      assert.equal(r.isError, true, `${target}: is_error (${r.content})`);
      assert.ok(!r.content.includes(MARK) && !r.content.includes('root:'), `${target}: no content (${r.content})`);
      blocked++;
    }
    await config().update('tools.workspace', undefined, G);
    table.push(`| read_file outside the workspace (../, absolute, symlinked file and folder) | ${attacks.length} | ${blocked} |`);
    assert.equal(blocked, attacks.length);
  });

  it('untrusted workspace: the tool decision says off with a note, and the panel shows that note', async () => {
    // The harness runs trusted (code-server with trust disabled), so the untrusted branch is
    // checked through the same decision the command uses, and its note through a real panel.
    const decision = workspaceToolPolicy({ wanted: true, trusted: false });
    assert.deepEqual(decision, { workspaceTools: false, notes: [UNTRUSTED_TOOLS_NOTE] });
    const pkg = vscode.extensions.getExtension('claude-events.claude-events')!.packageJSON;
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces, {
      supported: 'limited',
      description: pkg.capabilities.untrustedWorkspaces.description,
      restrictedConfigurations: ['claudeEvents.tools.workspace'],
    });
    server.control.reset();
    const s = api.responses.start({
      title: 'Untrusted',
      params: buildAskParams({ question: 'What is here?' }, {
        model: 'claude-sonnet-5-5', maxTokens: 256, systemPrompt: '', thinking: 'off', thinkingBudget: 1024, webSearch: false, workspaceTools: decision.workspaceTools,
      }),
      notes: decision.notes,
    });
    await s.whenDone();
    const panel = await readyPanel(s);
    const snap = await waitFor(() => panel.posted.find((m) => m.type === 'snapshot' && m.notes.length > 0), 10_000, 'a snapshot with the note');
    assert.ok(snap.type === 'snapshot' && snap.notes.includes(UNTRUSTED_TOOLS_NOTE));
    assert.equal((server.control.requests()[0]!.body as { tools?: unknown }).tools, undefined, 'no tools were offered');
    table.push('| tools in an untrusted workspace (decision + note in the panel; restrictedConfigurations) | 1 | 1 |');
  });

  it('junk posted by the webview is ignored with a log line; a valid message still works', async () => {
    server.control.reset();
    const s = await ask('Say something short');
    await s.whenDone();
    const panel = await readyPanel(s);
    const warnings: string[] = [];
    const log = api.services.log;
    const warn = log.warn.bind(log);
    log.warn = (m: string, ...rest: unknown[]) => {
      warnings.push(m);
      warn(m, ...rest);
    };
    const SENTINEL = 'clipboard-sentinel-41';
    await vscode.env.clipboard.writeText(SENTINEL);
    const state = s.state;
    const textBefore = s.text;
    const postedBefore = panel.posted.length;
    const circular: Record<string, unknown> = { type: 'copy' };
    circular.self = circular;
    const junk: unknown[] = [
      null, undefined, 42, 'ready', [], {}, { type: 'evil' }, { type: 'copy' }, { type: 'copy', text: 42 }, circular,
      { type: 'cancel' }, { type: 'retry', requestId: 7 }, { type: 'openLink', url: 'file:///etc/passwd' },
      { type: 'openLink', url: 'command:workbench.action.quit' }, { type: 'openLink', url: 'javascript:alert(1)' },
      { type: 'openLink' }, { type: 'requestSnapshot', requestId: { $ne: 1 } }, { type: '__proto__', text: 'x' },
      JSON.parse('{"__proto__": {"type": "copy", "text": "polluted"}}'), { type: 'x'.repeat(100_000) },
    ];
    try {
      for (const m of junk) panel.handleMessage(m);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(warnings.filter((w) => /ignored a malformed message/.test(w)).length, junk.length, 'one log line per junk message');
      assert.ok(warnings.every((w) => w.length < 400), 'log lines are bounded');
      assert.equal(await vscode.env.clipboard.readText(), SENTINEL, 'nothing copied');
      assert.equal(s.state, state);
      assert.equal(s.text, textBefore);
      assert.equal(panel.posted.length, postedBefore, 'nothing posted back');
      assert.equal(({} as Record<string, unknown>).text, undefined, 'no prototype pollution');
      // The control: the same seam acts on a valid message.
      panel.handleMessage({ type: 'copy', text: 'valid copy' });
      await waitFor(async () => (await vscode.env.clipboard.readText()) === 'valid copy', 5000, 'the valid copy');
    } finally {
      log.warn = warn;
    }
    table.push(`| malformed / hostile webview messages (types, shapes, non-http links, __proto__, 100 kB) | ${junk.length} | ${junk.length} |`);
  });

  it('folder mode: a tampered manifest (../, absolute, drive, UNC paths) cannot write outside <resultsFolder>/<batchId>/', async () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-escape-'));
    cleanup.push(top);
    const resultsFolder = path.join(top, 'a', 'b', 'results');
    await config().update('batch.resultsFolder', resultsFolder, G);
    const rels = ['README.md', 'src/a.ts', 'src/b.ts', 'docs/notes.txt', 'src/a.ts', 'README.md', 'src/b.ts'];
    const built = await buildBatchRequests(
      rels.map((relPath, i) => ({ uri: vscode.Uri.joinPath(ws, relPath).toString(), relPath: `${relPath}#${i}`, size: fs.statSync(path.join(ws.fsPath, relPath)).size })),
      async (u) => vscode.workspace.fs.readFile(vscode.Uri.parse(u)),
      { model: 'claude-sonnet-4-5', maxTokens: 64, instruction: 'x', maxFileBytes: 200_000 },
    );
    assert.equal(built.requests.length, rels.length, JSON.stringify(built.skipped));
    const host = api.batches!;
    const store = new BatchStore(nodeFsPort(host.storageDir));
    const record = await store.beginSubmission({ model: 'claude-sonnet-4-5', instruction: 'x', requests: built.requests, manifest: built.manifest });
    // Tamper with the stored manifest as an attacker with access to the storage could.
    const evil = ['../../evil', '../../../../../../tmp/evil-abs', path.join(top, 'evil-absolute'), '..\\..\\evil-win', 'C:\\evil-drive', '\\\\server\\share\\evil-unc', 'ok/../../../evil-mid'];
    const manifestPath = path.join(host.storageDir, record.manifestFile!);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    manifest.relPaths = evil;
    manifest.uriBase = '';
    manifest.uris = evil.map((e) => `file:///${e}`);
    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    const client = await api.services.api.getClient();
    const batch = await client.messages.batches.create({ requests: [...built.requests] });
    await store.markCreated(record.localId, batch);
    await vscode.commands.executeCommand('claudeEvents.batch.refresh');
    server.control.endBatch(batch.id, {});
    await host.model.refreshOne(batch.id);
    const out = await vscode.commands.executeCommand<{ written: number; unchanged: number }>('claudeEvents.batch.saveResults', batch.id);
    assert.equal(out.written + out.unchanged, evil.length, JSON.stringify(out));
    const batchDir = path.join(resultsFolder, batch.id) + path.sep;
    const written = walk(top);
    assert.equal(written.filter((f) => f.endsWith('.md') && !f.endsWith('index.md')).length, evil.length, written.join('\n'));
    const escaped = written.filter((f) => !f.startsWith(batchDir));
    assert.deepEqual(escaped, [], 'every file under <resultsFolder>/<batchId>/');
    assert.ok(!fs.existsSync('/tmp/evil-abs.md') && !fs.existsSync(path.join(ws.fsPath, 'evil.md')));
    table.push(`| folder-mode result paths from a tampered manifest (../, absolute, \\\\, C:, UNC, a/../../) | ${evil.length} | ${evil.length - escaped.length} |`);
  });
});
