import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { answerFor, thinkingFor } from '../server/answers';
import { startServer, type LocalAnthropicServer } from '../server/server';
import type { ExtensionApi } from '../../src/extension';
import type { SnapshotMessage } from '../../src/protocol';
import { buildAskParams } from '../../src/stream/promptBuilder';
import { ResponseManager } from '../../src/stream/responseManager';
import type { ResponseSession } from '../../src/stream/responseSession';
import { ResponsesTreeProvider } from '../../src/stream/responsesView';
import { config, extensionApi, useServer, waitFor } from './helpers';

const KEY = 'sk-ant-api03-conversation-0123456789';
const G = vscode.ConfigurationTarget.Global;
const SETTINGS = ['model', 'autoContinue', 'thinking', 'tools.workspace', 'effort'];

type Wire = { role: string; content: unknown };
type Body = { messages: Wire[]; thinking?: unknown; cache_control?: unknown; output_config?: unknown };

const textOf = (s: SnapshotMessage): string => s.blocks.filter((b) => b.block.kind === 'text').map((b) => b.content).join('');
/** The first fenced code block of a markdown answer, with its final newline (as the webview's `code` holds it). */
const firstCode = (markdown: string): string => /```[^\n]*\n([\s\S]*?\n)```/.exec(markdown)![1];

/**
 * Issue 9 in the real extension host: follow-ups carry the whole conversation verbatim, code
 * blocks reach the editor only through the user, history survives a reload and Retry continues
 * an answer the reload cut off, export writes the transcript, adaptive thinking is shown.
 */
describe('conversations, code actions, history and export (real extension host, local server)', function () {
  this.timeout(90_000);
  let server: LocalAnthropicServer;
  let api: ExtensionApi;
  let ws: vscode.Uri;
  const temps: string[] = [];

  const messageRequests = () => server.control.requests().filter((r) => r.path === '/v1/messages');
  const bodyOf = (i: number) => messageRequests()[i].body as Body;
  const ask = (q: string) => vscode.commands.executeCommand<ResponseSession | undefined>('claudeEvents.ask', q);
  const readyPanel = (s: ResponseSession, manager = api.responses) =>
    waitFor(() => {
      const p = manager.panels.get(s.id);
      return p?.isReady ? p : undefined;
    }, 20_000, 'the webview to post ready');
  const finalSnapshot = async (s: ResponseSession, manager = api.responses) => {
    const panel = await readyPanel(s, manager);
    return waitFor(() => {
      const last = panel.posted[panel.posted.length - 1];
      return last?.type === 'snapshot' && last.status.state === s.state ? last : undefined;
    }, 10_000, 'the final snapshot');
  };
  /** Closes an untitled document without the "save changes?" dialog (which would block the workbench). */
  const discard = async (doc: vscode.TextDocument) => {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  };
  const tempDir = (name: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ce-${name}-`));
    temps.push(dir);
    return dir;
  };

  before(async () => {
    server = await startServer({ seed: 9 });
    api = await extensionApi();
    await useServer(server.url);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', KEY);
    await config().update('autoContinue', false, G);
    ws = vscode.workspace.workspaceFolders![0].uri;
  });
  beforeEach(() => server.control.reset());
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    for (const key of SETTINGS) await config().update(key, undefined, G);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a follow-up typed into the panel sends the whole history: thinking with its signature, tool_use and tool_result exactly as streamed; the prefix is cached', async () => {
    await config().update('model', 'claude-sonnet-5-5', G);
    await config().update('thinking', 'adaptive', G);
    await config().update('tools.workspace', true, G);
    // Long enough to be cached (the API caches prefixes of 1,024 tokens or more).
    const question = `Which files are in the workspace root? Some background first: ${'the workspace holds sources, docs and assets; '.repeat(100)}`;
    server.control.script({ match: 'Which files are in the workspace root?', toolUse: { name: 'list_files', input: { path: '' } } });
    const s = (await ask(question))!;
    assert.equal(await s.whenDone(), 'complete');
    assert.equal(messageRequests().length, 2, 'the tool turn and the answer');
    const first = await finalSnapshot(s);

    const panel = await readyPanel(s);
    const followUp = 'And which of them is the largest?';
    panel.handleMessage({ type: 'followUp', requestId: s.id, text: followUp });
    await waitFor(() => messageRequests().length === 3, 10_000, 'the follow-up request');
    assert.equal(await s.whenDone(), 'complete');

    const [req1, req2, req3] = [bodyOf(0), bodyOf(1), bodyOf(2)];
    // The follow-up repeats everything sent before, unchanged, then the second answer and the question.
    assert.deepEqual(req3.messages.slice(0, 3), req2.messages, 'the tool turn goes back exactly as it was sent');
    const firstTurn = req3.messages[1].content as Record<string, unknown>[];
    const planned = thinkingFor(question);
    assert.deepEqual(firstTurn[0], { type: 'thinking', thinking: planned.thinking, signature: planned.signature }, 'thinking with its signature, verbatim');
    const toolUse = firstTurn.find((b) => b.type === 'tool_use')!;
    assert.equal(toolUse.name, 'list_files');
    assert.deepEqual(toolUse.input, { path: '' });
    const results = req3.messages[2].content as Record<string, unknown>[];
    assert.equal(results[0].type, 'tool_result');
    assert.equal(results[0].tool_use_id, toolUse.id, 'the tool_result answers that tool_use');
    const secondAnswer = req3.messages[3];
    assert.equal(secondAnswer.role, 'assistant');
    const secondBlocks = secondAnswer.content as Record<string, unknown>[];
    assert.equal(secondBlocks[0].type, 'thinking');
    assert.ok(String(secondBlocks[0].signature).length > 0);
    assert.equal(secondBlocks.filter((b) => b.type === 'text').map((b) => b.text).join(''), answerFor(req2));
    assert.deepEqual(req3.messages[4], { role: 'user', content: followUp });
    for (const body of [req1, req2, req3]) {
      assert.deepEqual(body.cache_control, { type: 'ephemeral' }, 'every request marks its prefix for the prompt cache');
      assert.deepEqual(body.thinking, { type: 'adaptive', display: 'summarized' }, 'adaptive thinking asks for the thinking text');
    }

    // The panel shows both answers, the question between them, and the cache reads in the footer.
    const after = await finalSnapshot(s);
    const kinds = after.blocks.map((b) => b.block.kind);
    assert.equal(kinds.filter((k) => k === 'userTurn').length, 1);
    assert.equal(after.blocks.find((b) => b.block.kind === 'userTurn')!.content, followUp);
    assert.ok(textOf(after).startsWith(textOf(first)), 'the earlier answer stays above');
    assert.ok(textOf(after).endsWith(answerFor(req3)), 'the new answer streams below');
    assert.ok((after.footer.cacheReadTokens ?? 0) > 0, `cache reads in the footer (${after.footer.cacheReadTokens})`);
    assert.ok((after.footer.contextLimit ?? 0) === 1_000_000, 'the context gauge knows max_input_tokens');
    assert.ok((after.footer.contextTokens ?? 0) > 0);
    const thinking = after.blocks.filter((b) => b.block.kind === 'thinking');
    assert.equal(thinking[0].content, planned.thinking, 'thinking text is shown');
  });

  it('while an answer streams, a follow-up is refused (the input is disabled) and nothing is sent', async () => {
    await config().update('thinking', undefined, G);
    await config().update('tools.workspace', undefined, G);
    server.control.script({ deltaDelayMs: 30 });
    const s = (await ask('Stream slowly please'))!;
    await waitFor(() => s.state === 'streaming', 10_000, 'streaming');
    const panel = await readyPanel(s);
    panel.handleMessage({ type: 'followUp', requestId: s.id, text: 'too early' });
    assert.equal(s.followUp('too early'), undefined);
    s.cancel();
    assert.equal(await s.whenDone(), 'cancelled');
    assert.equal(messageRequests().length, 1, 'no follow-up request while streaming');
    // A hostile message (wrong shape) is ignored; a cancelled answer takes a follow-up.
    panel.handleMessage({ type: 'followUp', requestId: s.id, text: '', extra: 1 });
    const followed = await vscode.commands.executeCommand<ResponseSession>('claudeEvents.followUp', s.id, 'Now finish briefly');
    assert.equal(followed, s);
    assert.equal(await s.whenDone(), 'complete');
    const req = bodyOf(1);
    assert.deepEqual(req.messages.map((m) => m.role), ['user', 'assistant', 'user'], 'the partial answer goes back as the assistant turn');
  });

  it('Insert at Cursor inserts exactly the code at the cursor, undoably', async () => {
    const s = (await ask('Show me some code to insert'))!;
    assert.equal(await s.whenDone(), 'complete');
    const code = firstCode(s.text);
    const panel = await readyPanel(s);
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'line one\nline two\n' });
    try {
      const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      await waitFor(() => api.code.targetEditor?.document === doc, 10_000, 'the editor to be the insert target');
      panel.handleMessage({ type: 'codeAction', action: 'insert', code });
      const expected = `line one\n${code.slice(0, -1)}line two\n`;
      await waitFor(() => doc.getText() === expected, 20_000, 'the inserted code').catch((e: Error) => {
        throw new Error(`${e.message}; the document holds ${JSON.stringify(doc.getText())}`);
      });
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), 'line one\nline two\n', 'undo takes it back');
    } finally {
      await discard(doc);
    }
  });

  it('Apply to File writes exactly the block after Accept (through the diff), and nothing on Reject; New File opens it untitled', async () => {
    const s = (await ask('Write the code of a whole file to apply'))!;
    assert.equal(await s.whenDone(), 'complete');
    const code = firstCode(s.text);
    const target = vscode.Uri.joinPath(ws, 'apply-target.ts');
    const original = 'export const before = 1;\n';
    // Through VS Code's file service, so the editor's idea of the file's age matches the disk
    // (a write behind its back can make the later save ask about a newer file on disk).
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(original));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
      const diffShown = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.toString() === target.toString());

      const rejected = api.code.apply(code);
      await waitFor(diffShown, 20_000, 'the diff');
      assert.equal(fs.readFileSync(target.fsPath, 'utf8'), original, 'nothing is written while the diff is shown');
      await vscode.commands.executeCommand('claudeEvents.rejectApply');
      assert.equal(await rejected, 'rejected');
      assert.equal(fs.readFileSync(target.fsPath, 'utf8'), original, 'nothing written on Reject');
      assert.equal((await vscode.workspace.openTextDocument(target)).getText(), original);

      assert.equal(await api.code.accept(), false, 'nothing to accept once decided');
      const accepted = api.code.apply(code);
      await waitFor(diffShown, 20_000, 'the diff');
      await vscode.commands.executeCommand('claudeEvents.acceptApply');
      assert.equal(await accepted, 'accepted');
      assert.equal(fs.readFileSync(target.fsPath, 'utf8'), code, 'exactly the block is written');
      await waitFor(() => !diffShown(), 5000, 'the diff to close');

      const doc = await api.code.newFile(code, 'ts');
      try {
        assert.equal(doc.isUntitled, true);
        assert.equal(doc.languageId, 'typescript');
        assert.equal(doc.getText(), code);
      } finally {
        await discard(doc);
      }
    } finally {
      fs.rmSync(target.fsPath, { force: true });
    }
  });

  it('Save Conversation As writes the transcript as markdown; Open as Markdown opens the same; thinking can be left out', async () => {
    await config().update('thinking', 'adaptive', G);
    const question = 'Export this conversation please';
    const s = (await ask(question))!;
    assert.equal(await s.whenDone(), 'complete');
    const file = vscode.Uri.file(path.join(tempDir('export'), 'conversation.md'));
    const saved = await vscode.commands.executeCommand<vscode.Uri>('claudeEvents.saveConversationAs', s.id, { uri: file, thinking: true, tools: true });
    assert.equal(saved?.toString(), file.toString());
    const written = fs.readFileSync(file.fsPath, 'utf8');
    assert.ok(written.includes(`## You\n\n${question}`), 'the question');
    assert.ok(written.includes(s.text.trim()), 'the whole answer, verbatim');
    assert.ok(written.includes('<summary>Thinking</summary>') && written.includes(thinkingFor(question).thinking), 'thinking as a collapsible section');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('claudeEvents.openAsMarkdown', s.id, { thinking: false, tools: false });
    assert.equal(doc?.languageId, 'markdown');
    assert.ok(doc!.getText().includes(s.text.trim()));
    assert.ok(!doc!.getText().includes('<summary>Thinking'), 'thinking left out by choice');
    await discard(doc!);
    await config().update('thinking', undefined, G);
  });

  it('a window reload mid-stream: the answer is in the Responses view after the reload, and Retry continues it to exactly the server’s full answer', async () => {
    await config().update('model', 'claude-sonnet-5-5', G);
    const dir = tempDir('history');
    // A corrupt and a foreign file in the folder are skipped, never fatal.
    fs.writeFileSync(path.join(dir, 'resp-garbage-1.json'), '{"version": 1, "id": ');
    fs.writeFileSync(path.join(dir, 'notes.json'), '[]');
    const question = 'Describe the history store across a window reload';
    server.control.script({ match: question, deltaDelayMs: 15 });
    const params = buildAskParams({ question }, {
      model: 'claude-sonnet-5-5', maxTokens: 4096, systemPrompt: '', thinking: 'off', thinkingBudget: 2048, webSearch: false, workspaceTools: false,
    });
    // Window 1 streams; its history file fills up as it goes.
    const first = new ResponseManager(api.services, { historyDir: dir, serializer: false });
    await first.loaded;
    const s1 = first.start({ title: 'History across reload', params });
    const file = path.join(dir, `${s1.id}.json`);
    const savedText = () => {
      try {
        return textOf(JSON.parse(fs.readFileSync(file, 'utf8')).transcript as SnapshotMessage);
      } catch {
        return '';
      }
    };
    await waitFor(() => savedText().length > 200, 20_000, 'a saved partial answer');
    assert.equal(s1.state, 'streaming');
    const writesSoFar = first.historyWriter.writes;
    const eventsSoFar = first.sessions[0].snapshot().blocks.length;
    assert.ok(eventsSoFar > 0);
    first.dispose(); // the window goes away mid-stream
    await first.history.idle();
    assert.ok(writesSoFar < 40, `saves are rate-bounded (${writesSoFar} writes)`);
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { state: string };
    assert.equal(onDisk.state, 'streaming', 'a reload does not mark the answer cancelled');
    const full = answerFor(messageRequests()[0].body as Body);
    assert.ok(savedText().length < full.length, 'the reload cut the answer short');

    // Window 2: the Responses view lists it, interrupted; Retry continues it.
    const second = new ResponseManager(api.services, { historyDir: dir, serializer: false });
    const tree = new ResponsesTreeProvider(second);
    try {
      await second.loaded;
      const [item] = tree.getChildren();
      assert.equal(item.id, s1.id, 'the interrupted answer is listed, newest first');
      assert.equal(tree.getTreeItem(item).contextValue, 'claudeEvents:response:error');
      assert.match(item.error ?? '', /window reload/);
      tree.setFilter('across a window reload');
      assert.equal(tree.getChildren().length, 1, 'the filter matches the question');
      tree.setFilter('no such answer');
      assert.equal(tree.getChildren().length, 0);
      tree.setFilter('');
      const s2 = second.get(s1.id)!;
      const panel = second.show(s2);
      await readyPanel(s2, second);
      assert.equal(s2.state, 'error');
      const shown = s2.text;
      assert.ok(shown.length > 0 && full.startsWith(shown.trimEnd()), 'what was saved is shown again');
      panel.handleMessage({ type: 'retry', requestId: s2.id });
      await waitFor(() => s2.state === 'complete', 20_000, 'the continued answer');
      assert.equal(s2.text, full, 'no character lost');
      assert.equal(textOf(await finalSnapshot(s2, second)), full);
      const cont = messageRequests()[messageRequests().length - 1].body as Body;
      assert.deepEqual(cont.messages.map((m) => m.role), ['user', 'assistant', 'user'], 'a continuation (user-turn form), not a fresh question');
      await second.history.idle();
      assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as { state: string }).state, 'complete');
      // Delete removes it from the view and from disk.
      assert.equal(await second.delete(s1.id), true);
      await second.history.idle();
      assert.equal(fs.existsSync(file), false);
      assert.equal(tree.getChildren().length, 0);
    } finally {
      tree.dispose();
      second.dispose();
    }
  });

  it('effort goes out only where the model supports it', async () => {
    await config().update('effort', 'max', G);
    try {
      await config().update('model', 'claude-sonnet-5-5', G);
      const a = (await ask('Effort on a 5.5 model'))!;
      await a.whenDone();
      assert.deepEqual(bodyOf(0).output_config, { effort: 'max' });
      await config().update('model', 'claude-sonnet-4-5', G);
      const b = (await ask('Effort on a 4.5 model'))!;
      await b.whenDone();
      assert.equal(bodyOf(messageRequests().length - 1).output_config, undefined, '4.5 does not support max');
      assert.ok(b.snapshot().notes.some((n) => /effort "max" not sent/.test(n)), 'the answer says why');
    } finally {
      await config().update('effort', undefined, G);
    }
  });
});
