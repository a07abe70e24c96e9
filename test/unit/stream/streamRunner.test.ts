import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { startServer, type LocalAnthropicServer } from '../../server/server';
import { buildAskParams, type StreamSettings } from '../../../src/stream/promptBuilder';
import { StreamConversation, type ContinuationBuilder, type StreamSink } from '../../../src/stream/streamRunner';
import { WORKSPACE_TOOL_NAMES, WorkspaceToolRunner } from '../../../src/stream/workspaceTools';
import type { ClassifiedError } from '../../../src/api/errors';

const settings: StreamSettings = { model: 'claude-sonnet-5-5', maxTokens: 1024, systemPrompt: '', thinking: 'off', thinkingBudget: 1024, webSearch: false, workspaceTools: true };

/** Records what the runner tells its sink, as a panel would see it. */
class RecordingSink implements StreamSink {
  text = '';
  events: RawMessageStreamEvent[] = [];
  toolResults: { name: string; content: string; isError: boolean }[] = [];
  requestIds: string[] = [];
  interruptions: { error: ClassifiedError; willContinue: boolean }[] = [];
  continuations: string[] = [];
  turns: number[] = [];
  event(ev: RawMessageStreamEvent) {
    this.events.push(ev);
    if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') this.text += ev.delta.text;
  }
  requestId(id: string) { this.requestIds.push(id); }
  toolResult(_id: string, name: string, o: { content: string; isError: boolean }) { this.toolResults.push({ name, ...o }); }
  nextTurn(t: number) { this.turns.push(t); }
  continuation(m: string) { this.continuations.push(m); }
  interrupted(error: ClassifiedError, willContinue: boolean) { this.interruptions.push({ error, willContinue }); }
}

const noContinuation: ContinuationBuilder = { build: () => { throw new Error('not expected'); } };

describe('StreamConversation over the real SDK and the local server', () => {
  let server: LocalAnthropicServer;
  let client: Anthropic;
  let ws: string;
  let tools: WorkspaceToolRunner;

  before(async () => {
    server = await startServer({ seed: 3 });
    client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: server.url, maxRetries: 0 });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-run-'));
    fs.writeFileSync(path.join(ws, 'notes.md'), 'The secret word is “pelican”. 日本語\n');
    tools = new WorkspaceToolRunner([{ name: 'ws', path: ws }]);
  });
  after(() => server.close());
  beforeEach(() => server.control.reset());

  const executor = () => ({ handles: (n: string) => WORKSPACE_TOOL_NAMES.has(n), run: (n: string, i: unknown) => tools.run(n, i) });

  it('runs a read_file tool call and sends the file text back as the tool_result', async () => {
    server.control.script({ toolUse: { name: 'read_file', input: { path: 'notes.md' } } });
    const sink = new RecordingSink();
    const conv = new StreamConversation(buildAskParams({ question: 'What is the secret word?' }, settings));
    const outcome = await conv.run({ client, sink, signal: new AbortController().signal, tools: executor(), maxTurns: 4, autoContinue: 0, continuation: noContinuation });
    assert.deepEqual(outcome, { state: 'complete', stopReason: 'end_turn' });
    assert.deepEqual(sink.toolResults.map((r) => [r.name, r.isError]), [['read_file', false]]);
    const received = server.control.toolResults();
    assert.equal(received.length, 1);
    assert.equal(received[0].content, 'The secret word is “pelican”. 日本語\n');
    assert.match(sink.text, /pelican/, 'the second turn quotes the tool result');
    assert.deepEqual(sink.turns, [1]);
    assert.equal(sink.requestIds.length, 2);
    const second = server.control.requests().filter((r) => r.path === '/v1/messages')[1].body as { messages: { role: string }[] };
    assert.deepEqual(second.messages.map((m) => m.role), ['user', 'assistant', 'user']);
  });

  it('refuses a path outside the workspace with an error tool_result', async () => {
    server.control.script({ toolUse: { name: 'read_file', input: { path: '../../etc/passwd' } } });
    const sink = new RecordingSink();
    const conv = new StreamConversation(buildAskParams({ question: 'Read it' }, settings));
    await conv.run({ client, sink, signal: new AbortController().signal, tools: executor(), maxTurns: 4, autoContinue: 0, continuation: noContinuation });
    const [received] = server.control.toolResults();
    assert.equal(received.isError, true);
    assert.match(received.content, /outside the workspace/);
  });

  it('stops after tools.maxTurns', async () => {
    server.control.script({ toolUse: { name: 'list_files', input: {} }, times: 5 });
    const sink = new RecordingSink();
    const conv = new StreamConversation(buildAskParams({ question: 'Loop' }, settings));
    const outcome = await conv.run({ client, sink, signal: new AbortController().signal, tools: executor(), maxTurns: 2, autoContinue: 0, continuation: noContinuation });
    assert.deepEqual(outcome, { state: 'complete', stopReason: 'max_turns' });
    assert.equal(server.control.requests().filter((r) => r.path === '/v1/messages').length, 2);
  });

  it('cancel aborts the HTTP request at once and keeps the partial text', async () => {
    server.control.script({ deltaDelayMs: 20 });
    const sink = new RecordingSink();
    const ac = new AbortController();
    const conv = new StreamConversation(buildAskParams({ question: 'Tell me a long story' }, settings));
    const run = conv.run({ client, sink, signal: ac.signal, maxTurns: 1, autoContinue: 0, continuation: noContinuation });
    while (sink.text.length < 20) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    assert.deepEqual(await run, { state: 'cancelled' });
    await server.control.waitForClosedEarly(1, 2000);
    assert.ok(sink.text.length >= 20);
  });

  it('a dropped connection without autoContinue ends in a retryable error with the text kept', async () => {
    server.control.script({ fault: { type: 'drop', afterEvent: 12 } });
    const sink = new RecordingSink();
    const conv = new StreamConversation(buildAskParams({ question: 'Explain' }, settings));
    const outcome = await conv.run({ client, sink, signal: new AbortController().signal, maxTurns: 1, autoContinue: 0, continuation: noContinuation });
    assert.equal(outcome.state, 'error');
    assert.equal(sink.interruptions.length, 1);
    assert.equal(sink.interruptions[0].willContinue, false);
    assert.ok(sink.text.length > 0);
  });
  it('a stream that goes silent is ended by the idle timeout, keeping what arrived', async () => {
    server.control.script({ fault: { type: 'stall', afterEvent: 8 } });
    const sink = new RecordingSink();
    const conv = new StreamConversation(buildAskParams({ question: 'Stall' }, settings));
    const started = Date.now();
    const outcome = await conv.run({ client, sink, signal: new AbortController().signal, maxTurns: 1, autoContinue: 0, continuation: noContinuation, idleTimeoutMs: 300 });
    assert.equal(outcome.state, 'error');
    assert.ok(outcome.state === 'error' && outcome.error.kind === 'timeout' && outcome.error.retryable);
    assert.ok(Date.now() - started < 5000);
    assert.ok(sink.text.length > 0);
  });
});
