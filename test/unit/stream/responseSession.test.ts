import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startServer, type LocalAnthropicServer } from '../../server/server';
import { answerFor } from '../../server/answers';
import { isHostToWebviewMessage, type PatchMessage } from '../../../src/protocol';
import { JobQueue } from '../../../src/stream/jobQueue';
import { buildAskParams, type StreamSettings } from '../../../src/stream/promptBuilder';
import { ResponseSession, type ResponseSessionOptions } from '../../../src/stream/responseSession';
import { MissingApiKeyError } from '../../../src/api/errors';

const settings = (model = 'claude-sonnet-5-5'): StreamSettings => ({
  model, maxTokens: 1024, systemPrompt: '', thinking: 'off', thinkingBudget: 1024, webSearch: false, workspaceTools: false,
});

describe('ResponseSession over the real SDK and the local server', () => {
  let server: LocalAnthropicServer;
  let client: Anthropic;
  let queue: JobQueue;
  let n = 0;

  before(async () => {
    server = await startServer({ seed: 11 });
    client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: server.url, maxRetries: 0 });
  });
  after(() => server.close());
  beforeEach(() => {
    server.control.reset();
    queue = new JobQueue(2);
  });
  afterEach(() => queue.dispose());

  const session = (question: string, extra: Partial<ResponseSessionOptions> = {}, model?: string) => {
    const params = buildAskParams({ question }, settings(model));
    const s = new ResponseSession({
      id: `r${++n}`, title: question, params, queue, getClient: async () => client, maxTurns: 4, autoContinue: 0, ...extra,
    });
    const messages: PatchMessage[] = [];
    s.onPatch((m) => messages.push(m));
    return { s, messages, full: answerFor({ messages: params.messages }) };
  };

  it('streams an answer: text equals the server answer, patches are numbered and valid, footer complete', async () => {
    const { s, messages, full } = session('Explain event streams');
    assert.equal(await s.start(), 'complete');
    assert.equal(s.text, full);
    assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i + 1));
    for (const m of messages) assert.ok(isHostToWebviewMessage(m));
    const snap = s.snapshot();
    assert.ok(isHostToWebviewMessage(snap));
    assert.equal(snap.seq, messages.length);
    assert.deepEqual(snap.status, { state: 'complete' });
    assert.equal(snap.footer.stopReason, 'end_turn');
    assert.match(snap.footer.requestId ?? '', /^req_/);
    assert.ok((snap.footer.outputTokens ?? 0) > 0);
    assert.ok(messages.length < 40, `coalesced into ${messages.length} messages`);
  });

  for (const model of ['claude-sonnet-4-5', 'claude-sonnet-5-5']) {
    it(`a dropped stream, then retry(), ends with the full answer exactly (${model})`, async () => {
      server.control.script({ fault: { type: 'drop', afterEvent: 30 } });
      const { s, full } = session('Describe the stream reducer in detail', {}, model);
      assert.equal(await s.start(), 'error');
      assert.equal(s.error?.retryable, true);
      const partial = s.text;
      assert.ok(partial.length > 0 && partial.length < full.length);
      assert.equal(s.snapshot().status.state, 'error');
      assert.equal(await s.retry(), 'complete');
      assert.equal(s.text, full);
    });
  }

  it('autoContinue continues on its own', async () => {
    server.control.script({ fault: { type: 'drop', afterEvent: 25 } });
    const { s, full } = session('Describe batches', { autoContinue: 2 });
    assert.equal(await s.start(), 'complete');
    assert.equal(s.text, full);
  });

  it('cancel keeps the partial text, marks it cancelled, and retry continues it', async () => {
    server.control.script({ deltaDelayMs: 15 });
    const { s, full } = session('Tell me a long story about sockets', {}, 'claude-sonnet-4-5');
    const done = s.start();
    while (s.text.length < 30) await new Promise((r) => setTimeout(r, 5));
    assert.equal(s.cancel(), true);
    assert.equal(await done, 'cancelled');
    await server.control.waitForClosedEarly(1, 2000);
    assert.ok(s.text.length >= 30 && s.text.length < full.length);
    assert.equal(s.snapshot().status.state, 'cancelled');
    assert.equal(await s.retry(), 'complete');
    assert.equal(s.text, full);
  });

  it('a missing key ends in a noKey error without a request', async () => {
    const before = server.control.requests().length;
    const { s } = session('hi', { getClient: async () => { throw new MissingApiKeyError(); } });
    assert.equal(await s.start(), 'error');
    assert.equal(s.error?.kind, 'noKey');
    assert.equal(server.control.requests().length, before);
  });

  it('shows notes and client tool results as blocks', async () => {
    server.control.script({ toolUse: { name: 'read_file', input: { path: 'x.md' } } });
    const params = buildAskParams({ question: 'read x' }, { ...settings(), workspaceTools: true });
    const s = new ResponseSession({
      id: 'tools', title: 'read x', params, queue, getClient: async () => client, maxTurns: 4, autoContinue: 0,
      notes: ['Workspace tools are off.'],
      tools: { handles: () => true, run: async () => ({ content: 'FILE TEXT', isError: false }) },
    });
    assert.equal(await s.start(), 'complete');
    const snap = s.snapshot();
    assert.deepEqual(snap.notes, ['Workspace tools are off.']);
    const kinds = snap.blocks.map((b) => b.block.kind);
    assert.ok(kinds.includes('toolUse') && kinds.includes('toolResult'), kinds.join());
    const result = snap.blocks.find((b) => b.block.kind === 'toolResult')!.block;
    assert.equal(result.kind === 'toolResult' && result.summary.output?.stdout, 'FILE TEXT');
    assert.deepEqual(server.control.toolResults().map((r) => r.content), ['FILE TEXT']);
  });
});
