import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startServer, type LocalAnthropicServer } from '../../server/server';
import { answerFor } from '../../server/answers';
import { isHostToWebviewMessage } from '../../../src/protocol';
import { JobQueue } from '../../../src/stream/jobQueue';
import { buildAskParams } from '../../../src/stream/promptBuilder';
import { ResponseSession } from '../../../src/stream/responseSession';
import { TranscriptReducer } from '../../../src/stream/transcript';

type Wire = { role: string; content: unknown };

describe('conversations: follow-ups and answers restored after a reload (real SDK, local server)', () => {
  let server: LocalAnthropicServer;
  let client: Anthropic;
  let queue: JobQueue;
  let n = 0;
  const bodies = () => server.control.requests().filter((r) => r.path === '/v1/messages').map((r) => r.body as { messages: Wire[] });

  before(async () => {
    server = await startServer({ seed: 21 });
    client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: server.url, maxRetries: 0 });
  });
  after(() => server.close());
  beforeEach(() => {
    server.control.reset();
    queue = new JobQueue(2);
  });
  afterEach(() => queue.dispose());

  const make = (question: string, model = 'claude-sonnet-5-5') => {
    const params = buildAskParams({ question }, { model, maxTokens: 1024, systemPrompt: '', thinking: 'adaptive', thinkingBudget: 1024, webSearch: false, workspaceTools: false });
    return new ResponseSession({ id: `c${++n}`, title: question, params, queue, getClient: async () => client, maxTurns: 4, autoContinue: 0 });
  };

  it('a follow-up streams below the answer in the same transcript; three turns keep every earlier block', async () => {
    const s = make('What is a stream?');
    assert.equal(await s.start(), 'complete');
    const firstText = s.text;
    assert.equal(await s.followUp('And a batch?'), 'complete');
    assert.equal(await s.followUp('And both?'), 'complete');
    const [, second, third] = bodies();
    assert.deepEqual(third.messages.slice(0, 3), second.messages);
    assert.deepEqual(third.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    const snap = s.snapshot();
    assert.ok(isHostToWebviewMessage(snap));
    assert.deepEqual(snap.blocks.filter((b) => b.block.kind === 'userTurn').map((b) => b.content), ['And a batch?', 'And both?']);
    assert.equal(s.text, firstText + answerFor(second) + answerFor(third));
    assert.equal(s.followUp('   '), undefined, 'an empty question is not sent');
  });

  it('a record restored in a new window shows the answer as saved and Retry continues it exactly', async () => {
    server.control.script({ fault: { type: 'drop', afterEvent: 40 } });
    const s = make('Explain restoring after a reload', 'claude-sonnet-4-5');
    assert.equal(await s.start(), 'error');
    const record = JSON.parse(JSON.stringify(s.toRecord())) as ReturnType<ResponseSession['toRecord']>;
    // As if the window had gone away while it streamed.
    record.state = 'streaming';
    const revived = new ResponseSession({
      id: record.id, title: record.title, params: record.conversation.params, queue, getClient: async () => client, maxTurns: 4, autoContinue: 0, restored: record,
    });
    assert.equal(revived.state, 'error');
    assert.equal(revived.text, s.text, 'the saved text is shown');
    assert.equal(revived.snapshot().status.state, 'error');
    assert.equal(await revived.retry(), 'complete');
    assert.equal(revived.text, answerFor(bodies()[0]));
    assert.deepEqual(bodies()[1].messages.map((m) => m.role), ['user', 'assistant'], 'a prefill continuation on 4.5');
  });

  it('a refusal shows its stop_details; the footer carries the context tokens', () => {
    const r = new TranscriptReducer({ requestId: 'x', model: 'claude-sonnet-5-5' });
    r.apply({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 90, cache_creation_input_tokens: 0 } } } as never);
    const patches = r.apply({ type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: { category: 'cyber', explanation: 'Could enable malware.' } }, usage: { output_tokens: 3 } } as never);
    const footer = patches.find((p) => p.type === 'footer');
    assert.ok(footer && footer.type === 'footer');
    assert.equal(footer.footer.refusalCategory, 'cyber');
    assert.equal(footer.footer.refusalExplanation, 'Could enable malware.');
    assert.equal(footer.footer.contextTokens, 100);
    r.setContextLimit(200_000);
    assert.equal(r.footer().contextLimit, 200_000);
  });
});
