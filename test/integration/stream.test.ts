import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { answerFor } from '../server/answers';
import { startServer, type LocalAnthropicServer } from '../server/server';
import type { ExtensionApi } from '../../src/extension';
import type { SnapshotMessage } from '../../src/protocol';
import type { ResponseSession } from '../../src/stream/responseSession';
import { config, extensionApi, useServer, waitFor } from './helpers';

const KEY = 'sk-ant-api03-stream-integration-0123456789';
const G = vscode.ConfigurationTarget.Global;
const SETTINGS = ['model', 'autoContinue', 'output', 'tools.workspace'];

const textOf = (s: SnapshotMessage): string =>
  s.blocks.filter((b) => b.block.kind === 'text').map((b) => b.content).join('');

describe('streaming answers (real extension host, local server)', function () {
  this.timeout(60_000);
  let server: LocalAnthropicServer;
  let api: ExtensionApi;
  let ws: vscode.Uri;

  const messageRequests = () => server.control.requests().filter((r) => r.path === '/v1/messages');
  const fullAnswerOf = (i = 0) => answerFor(messageRequests()[i].body as { messages: unknown });
  const ask = (q: string) => vscode.commands.executeCommand<ResponseSession | undefined>('claudeEvents.ask', q);

  /** The panel of a session once its webview script ran and said `ready`. */
  const readyPanel = (s: ResponseSession) =>
    waitFor(() => {
      const p = api.responses.panels.get(s.id);
      return p?.isReady ? p : undefined;
    }, 20_000, 'the webview to post ready');

  /** The last snapshot the webview was sent once the answer ended (the panel sends one then). */
  const finalSnapshotSent = async (s: ResponseSession) => {
    const panel = await readyPanel(s);
    return waitFor(() => {
      const last = panel.posted[panel.posted.length - 1];
      return last?.type === 'snapshot' && last.status.state === s.state ? last : undefined;
    }, 10_000, 'the final snapshot');
  };

  before(async () => {
    server = await startServer();
    api = await extensionApi();
    await useServer(server.url);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY);
    await config().update('autoContinue', false, G);
    ws = vscode.workspace.workspaceFolders![0].uri;
  });
  beforeEach(() => server.control.reset());
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    for (const key of SETTINGS) await config().update(key, undefined, G);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
  });

  it('Summarize streams the open document’s summary into a panel: exact text, footer with usage and request id', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(ws, 'docs', 'notes.txt'));
    await vscode.window.showTextDocument(doc);
    const s = await vscode.commands.executeCommand<ResponseSession>('claudeEvents.summarize');
    assert.ok(s, 'the command returns the session');
    assert.equal(await s.whenDone(), 'complete');
    const [req] = messageRequests();
    assert.ok(JSON.stringify(req.body).includes(JSON.stringify(doc.getText()).slice(1, -1)), 'the document text was sent');
    assert.equal(s.text, fullAnswerOf());
    const snap = await finalSnapshotSent(s);
    assert.equal(textOf(snap), fullAnswerOf(), 'the webview was sent the whole answer');
    assert.equal(snap.footer.stopReason, 'end_turn');
    assert.ok((snap.footer.inputTokens ?? 0) > 0 && (snap.footer.outputTokens ?? 0) > 0, 'usage');
    assert.match(snap.footer.requestId ?? '', /^req_/);
    assert.equal(snap.footer.requestId, s.requestId);
    assert.equal(api.responses.panels.get(s.id)!.panel.title, s.title);
    assert.match(s.title, /notes\.txt/);
  });

  it('Summarize refuses an empty file and a binary file without a request', async () => {
    assert.equal(await vscode.commands.executeCommand('claudeEvents.summarize', vscode.Uri.joinPath(ws, 'empty.txt')), undefined);
    assert.equal(await vscode.commands.executeCommand('claudeEvents.summarize', vscode.Uri.joinPath(ws, 'assets', 'pixel.png')), undefined);
    assert.equal(messageRequests().length, 0);
  });

  it('Summarize from the explorer (a Uri) reads the file', async () => {
    const uri = vscode.Uri.joinPath(ws, 'src', 'a.ts');
    const s = await vscode.commands.executeCommand<ResponseSession>('claudeEvents.summarize', uri);
    assert.equal(await s.whenDone(), 'complete');
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    assert.ok(JSON.stringify(messageRequests()[0].body).includes(JSON.stringify(text).slice(1, -1)));
    assert.equal(s.text, fullAnswerOf());
  });

  it('Ask with workspace tools runs read_file on a workspace file and shows the call and its result (or says why tools are off)', async () => {
    await config().update('tools.workspace', true, G);
    try {
      server.control.script({ toolUse: { name: 'read_file', input: { path: 'docs/notes.txt' } } });
      const s = (await ask('What do the notes say?'))!;
      assert.equal(await s.whenDone(), 'complete');
      const snap = await finalSnapshotSent(s);
      console.log(`    workspace trusted: ${vscode.workspace.isTrusted}`);
      if (vscode.workspace.isTrusted) {
        const fileText = fs.readFileSync(path.join(ws.fsPath, 'docs', 'notes.txt'), 'utf8');
        const results = server.control.toolResults();
        assert.equal(results.length, 1);
        assert.equal(results[0].content, fileText, 'the tool_result holds the file’s exact text');
        const call = snap.blocks.find((b) => b.block.kind === 'toolUse');
        assert.ok(call && call.block.kind === 'toolUse' && call.block.name === 'read_file');
        assert.deepEqual(JSON.parse(call.content), { path: 'docs/notes.txt' });
        const result = snap.blocks.find((b) => b.block.kind === 'toolResult');
        assert.ok(result && result.block.kind === 'toolResult');
        assert.equal(result.block.summary.output?.stdout, fileText);
        assert.equal(s.text.endsWith(fullAnswerOf(1)), true, 'the second turn’s answer follows');
      } else {
        assert.ok(snap.notes.some((n) => /not trusted/.test(n)));
        assert.equal((messageRequests()[0].body as { tools?: unknown }).tools, undefined);
      }
    } finally {
      await config().update('tools.workspace', undefined, G);
    }
  });

  it('Cancel aborts the HTTP stream at once and keeps the partial text, marked cancelled', async () => {
    server.control.script({ deltaDelayMs: 30 });
    const closedBefore = server.control.closedEarly;
    const s = (await ask('Tell me a long story about sockets'))!;
    await waitFor(() => s.text.length > 30, 15_000, 'some text');
    const cancelled = await vscode.commands.executeCommand<ResponseSession>('claudeEvents.cancel');
    assert.equal(cancelled, s);
    assert.equal(await s.whenDone(), 'cancelled');
    await server.control.waitForClosedEarly(closedBefore + 1, 3000);
    const snap = await finalSnapshotSent(s);
    assert.deepEqual(snap.status, { state: 'cancelled' });
    assert.ok(textOf(snap).length > 30);
    assert.ok(fullAnswerOf().startsWith(textOf(snap)), 'the kept text is the start of the answer');
  });

  for (const model of ['claude-sonnet-4-5', 'claude-sonnet-5-5']) {
    it(`a dropped connection shows a retryable error; Retry completes it with 0 characters lost (${model})`, async () => {
      await config().update('model', model, G);
      server.control.script({ fault: { type: 'drop', afterEvent: 30 } });
      const s = (await ask('Describe the stream reducer in detail'))!;
      assert.equal(await s.whenDone(), 'error');
      assert.equal(s.error?.retryable, true);
      const failed = await finalSnapshotSent(s);
      assert.equal(failed.status.state === 'error' && failed.status.retryable, true, 'the panel offers Retry');
      const full = fullAnswerOf();
      assert.ok(s.text.length > 0 && s.text.length < full.length);
      const retried = await vscode.commands.executeCommand<ResponseSession>('claudeEvents.retry');
      assert.equal(retried, s);
      assert.equal(await s.whenDone(), 'complete');
      assert.equal(s.text, full);
      assert.equal(textOf(await finalSnapshotSent(s)), full);
      const last = messageRequests()[1].body as { messages: { role: string }[] };
      assert.deepEqual(last.messages.map((m) => m.role), model === 'claude-sonnet-4-5' ? ['user', 'assistant'] : ['user', 'assistant', 'user']);
    });
  }

  it('with autoContinue on, a dropped stream continues by itself', async () => {
    await config().update('model', undefined, G);
    await config().update('autoContinue', true, G);
    try {
      server.control.script({ fault: { type: 'drop', afterEvent: 25 } });
      const s = (await ask('Explain continuation'))!;
      assert.equal(await s.whenDone(), 'complete');
      assert.equal(s.text, fullAnswerOf());
      assert.equal(messageRequests().length, 2);
    } finally {
      await config().update('autoContinue', false, G);
    }
  });

  it('output channel mode writes the answer as text and opens no panel', async () => {
    await config().update('output', 'outputChannel', G);
    try {
      const s = (await ask('Explain the output channel'))!;
      assert.equal(await s.whenDone(), 'complete');
      assert.equal(api.responses.panels.has(s.id), false);
      assert.ok(api.responses.outputText.includes(fullAnswerOf()), 'the whole answer is in the channel');
      assert.match(api.responses.outputText, /\[Finished\] [\d,]+ in · [\d,]+ out tokens/);
    } finally {
      await config().update('output', undefined, G);
    }
  });

  it('an empty question, a rejected key (401) and a missing key', async () => {
    assert.equal(await ask('   '), undefined);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', 'sk-ant-bad-key-000000');
    const s = (await ask('hello'))!;
    assert.equal(await s.whenDone(), 'error');
    assert.equal(s.error?.kind, 'badKey');
    assert.deepEqual(s.error?.actions, ['setApiKey']);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    const before = messageRequests().length;
    assert.equal(await ask('hello again'), undefined, 'no key: nothing is queued');
    assert.equal(messageRequests().length, before);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY);
  });

  it('the Responses view lists the answers, newest first', async () => {
    const s = (await ask('One more'))!;
    await s.whenDone();
    assert.equal(api.responses.sessions[api.responses.sessions.length - 1], s);
    assert.ok(await vscode.commands.executeCommand('claudeEvents.internal.openResponse', s.id) === undefined);
    await readyPanel(s);
  });
});
