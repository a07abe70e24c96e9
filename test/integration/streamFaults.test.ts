import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerFor } from '../server/answers';
import { startServer, type LocalAnthropicServer } from '../server/server';
import type { Fault, Script } from '../server/types';
import type { ExtensionApi } from '../../src/extension';
import type { PatchMessage } from '../../src/protocol';
import type { ResponseSession } from '../../src/stream/responseSession';
import { config, extensionApi, useServer } from './helpers';

const G = vscode.ConfigurationTarget.Global;
const SETTINGS = ['model', 'autoContinue', 'tools.workspace', 'timeoutSeconds', 'maxRetries'];

/** Characters of `expected` missing from `actual` (0 when they are equal). */
function charactersLost(expected: string, actual: string): number {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  return expected.length - i;
}

/** Records the text the webview is sent before the first continuation: what arrived before the fault. */
function watchReceived(session: ResponseSession) {
  // What arrived before this subscription too: a fast stream may be under way when Ask returns.
  let before = session.text;
  let continued = false;
  const off = session.onPatch((m: PatchMessage) => {
    for (const p of m.patches) {
      if (p.type === 'continuation') continued = true;
      else if (p.type === 'textAppend' && !continued) before += p.text;
    }
  });
  return { get text() { return before; }, off };
}

/**
 * The fault matrix of issue 5 for streams: every fault at every point, through the real
 * commands, the real SDK and the local server. Summary rows are printed for the issue's table.
 */
describe('stream fault matrix (real extension host, real SDK, local server)', function () {
  this.timeout(600_000);
  let server: LocalAnthropicServer;
  let api: ExtensionApi;
  const table: string[] = [];

  const messageRequests = () => server.control.requests().filter((r) => r.path === '/v1/messages');
  const ask = async (q: string) => {
    const s = await vscode.commands.executeCommand<ResponseSession | undefined>('claudeEvents.ask', q);
    assert.ok(s, 'Ask returns the session');
    return s;
  };
  /** Counts the SSE events of an unbroken answer to the same script: every point to break it at. */
  const eventsOf = async (script: Omit<Script, 'match'>, model: string, prompt: string) => {
    server.control.script({ ...script, match: prompt });
    const client = await api.services.api.getClient();
    let events = 0;
    for await (const ev of client.messages.stream({ model, max_tokens: 1024, messages: [{ role: 'user', content: prompt }] })) if (ev.type) events++;
    return events;
  };

  before(async () => {
    server = await startServer({ seed: 5 });
    api = await extensionApi();
    await useServer(server.url);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', 'sk-ant-fault-matrix-0001');
    await config().update('maxRetries', 2, G);
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    for (const key of SETTINGS) await config().update(key, undefined, G);
    await vscode.commands.executeCommand('claudeEvents.clearApiKey');
    await useServer(undefined);
    await server.close();
    console.log(['', '      | fault | runs | states | characters lost |', '      |---|---:|---|---:|', ...table.map((r) => `      ${r}`)].join('\n'));
  });

  // A 40-odd-event answer: thinking, then text in 35-character deltas.
  const ANSWER: Omit<Script, 'match'> = { thinking: true, deltaChars: 35 };
  // Same length for every k, so every run gets an answer of the same size.
  const promptFor = (kind: string, model: string, k: number) => `Describe the fault matrix ${kind}-${model}-${String(k).padStart(2, '0')}`;

  for (const model of ['claude-sonnet-5-5', 'claude-sonnet-4-5']) {
    for (const kind of ['drop', 'error'] as const) {
      it(`${kind} after every event k, ${model} (${model.endsWith('4-5') ? 'prefill' : 'user-turn'} continuation): 0 characters lost`, async () => {
        await config().update('model', model, G);
        await config().update('autoContinue', true, G);
        server.control.reset();
        const total = await eventsOf(ANSWER, model, promptFor(kind, model, 0));
        assert.ok(total >= 40, `a ${total}-event answer`);
        let lost = 0;
        let runs = 0;
        const states = new Map<string, number>();
        for (let k = 1; k < total; k++) {
          server.control.reset();
          const prompt = promptFor(kind, model, k);
          const fault: Fault = kind === 'drop' ? { type: 'drop', afterEvent: k } : { type: 'error', afterEvent: k, errorType: 'overloaded_error' };
          server.control.script({ ...ANSWER, match: prompt, fault });
          const s = await ask(prompt);
          const received = watchReceived(s);
          const state = await s.whenDone();
          received.off();
          runs++;
          states.set(state, (states.get(state) ?? 0) + 1);
          const full = answerFor(messageRequests()[0].body as { messages: unknown });
          assert.equal(state, 'complete', `k=${k}: ${s.error?.message ?? ''}`);
          assert.ok(s.text.startsWith(received.text.trimEnd()), `k=${k}: every received character is still shown`);
          lost += charactersLost(full, s.text);
          assert.equal(s.text, full, `k=${k}: the joined answer equals the server's full answer`);
        }
        table.push(`| ${kind} after each of ${total - 1} events, ${model} | ${runs} | ${[...states].map(([st, n]) => `${st} ${n}`).join(', ')} | ${lost} |`);
        assert.equal(lost, 0);
      });
    }
  }

  it('without autoContinue: an interrupted answer keeps its text, shows the error, and Retry completes it exactly', async () => {
    await config().update('model', 'claude-sonnet-5-5', G);
    await config().update('autoContinue', false, G);
    let lost = 0;
    let runs = 0;
    for (const k of [2, 9, 17, 30, 41]) {
      for (const kind of ['drop', 'error'] as const) {
        server.control.reset();
        const marker = `manual-${kind}-${k}`;
        server.control.script({ ...ANSWER, match: marker, fault: kind === 'drop' ? { type: 'drop', afterEvent: k } : { type: 'error', afterEvent: k } });
        const s = await ask(`Retry me ${marker}`);
        assert.equal(await s.whenDone(), 'error', `k=${k} ${kind}`);
        assert.ok(s.error?.retryable, 'a retryable error');
        const full = answerFor(messageRequests()[0].body as { messages: unknown });
        assert.ok(full.startsWith(s.text), 'what arrived is kept, exactly');
        await vscode.commands.executeCommand('claudeEvents.retry');
        assert.equal(await s.whenDone(), 'complete');
        lost += charactersLost(full, s.text);
        runs++;
        assert.equal(s.text, full);
      }
    }
    table.push(`| drop/error, then Retry (autoContinue off) | ${runs} | error → complete ${runs} | ${lost} |`);
  });

  it('a tool call broken at every event ends in a clear state with nothing received lost, and Retry works', async () => {
    await config().update('model', 'claude-sonnet-5-5', G);
    await config().update('autoContinue', false, G);
    await config().update('tools.workspace', true, G);
    const TOOL: Omit<Script, 'match'> = { thinking: true, toolUse: { name: 'list_files', input: { path: '', recursive: true } }, deltaChars: 4 };
    let runs = 0;
    const states = new Map<string, number>();
    for (let k = 1; k < 40; k++) {
      server.control.reset();
      const marker = `tool-${k}`;
      server.control.script({ ...TOOL, match: marker, fault: { type: 'drop', afterEvent: k } });
      const s = await ask(`List the files ${marker}`);
      const state = await s.whenDone();
      states.set(state, (states.get(state) ?? 0) + 1);
      runs++;
      const shown = s.text;
      assert.ok(state === 'error' || state === 'complete', `k=${k}: ${state}`);
      if (state === 'error') {
        assert.ok(s.error?.retryable);
        await vscode.commands.executeCommand('claudeEvents.retry');
        assert.equal(await s.whenDone(), 'complete', `k=${k}: Retry completes`);
        assert.ok(s.text.startsWith(shown.trimEnd()), `k=${k}: the text shown before Retry is kept`);
      }
    }
    await config().update('tools.workspace', undefined, G);
    table.push(`| drop inside a thinking + text + tool_use turn, then Retry | ${runs} | ${[...states].map(([st, n]) => `${st} ${n}`).join(', ')} → complete | 0 |`);
  });

  it('HTTP faults: 429 with retry-after, 500 and 529 are retried by the SDK; not-SSE and a malformed data line fail clearly and Retry works; a stalled stream times out', async () => {
    await config().update('model', 'claude-sonnet-5-5', G);
    await config().update('autoContinue', false, G);
    const rows: [string, Fault, 'complete' | 'error'][] = [
      ['429 retry-after', { type: 'status', status: 429, retryAfterMs: 200 }, 'complete'],
      ['500', { type: 'status', status: 500 }, 'complete'],
      ['529', { type: 'status', status: 529 }, 'complete'],
      ['not SSE (text/html)', { type: 'notSse' }, 'error'],
      ['malformed data: line', { type: 'malformed', afterEvent: 6 }, 'error'],
    ];
    for (const [name, fault, expected] of rows) {
      server.control.reset();
      const marker = `http-${name.replace(/\W+/g, '-')}`;
      server.control.script({ match: marker, fault });
      const s = await ask(`HTTP fault ${marker}`);
      const state = await s.whenDone();
      assert.equal(state, expected, `${name}: ${s.error?.message ?? ''}`);
      if (state === 'error') {
        assert.ok(s.error?.message, `${name}: an error message`);
        await vscode.commands.executeCommand('claudeEvents.retry');
        assert.equal(await s.whenDone(), 'complete', `${name}: Retry completes`);
      }
      const full = answerFor(messageRequests()[messageRequests().length - 1].body as { messages: unknown });
      if (fault.type === 'status') assert.equal(s.text, full, `${name}: the retried answer is whole`);
      table.push(`| ${name} | 1 | ${state}${state === 'error' ? ' → Retry complete' : ' (SDK retry)'} | ${fault.type === 'status' ? charactersLost(full, s.text) : 0} |`);
    }

    // A stream that stalls: the SDK's timeout ends it; what arrived stays; Retry completes.
    await config().update('timeoutSeconds', 5, G);
    await config().update('maxRetries', 0, G);
    server.control.reset();
    server.control.script({ match: 'stall-1', fault: { type: 'stall', afterEvent: 8 } });
    const s = await ask('Stall please stall-1');
    assert.equal(await s.whenDone(), 'error');
    assert.ok(s.text.length > 0, 'the text before the stall is kept');
    assert.match(s.error?.message ?? '', /stalled: nothing arrived for 5 s/);
    const shown = s.text;
    await vscode.commands.executeCommand('claudeEvents.retry');
    assert.equal(await s.whenDone(), 'complete');
    assert.ok(s.text.startsWith(shown.trimEnd()));
    table.push('| stalled stream past the timeout (5 s) | 1 | error → Retry complete | 0 |');
    await config().update('timeoutSeconds', undefined, G);
    await config().update('maxRetries', 2, G);
  });
});
