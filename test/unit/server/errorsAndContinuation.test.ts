import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { answerFor, offsetAfterTail, quotedTailOf } from '../../server/answers';
import { clientFor, collectStream, useServer, userPrompt } from './serverHarness';

describe('local server: HTTP errors', () => {
  const server = useServer();

  it('429 with retry-after is retried by the SDK, then succeeds', async () => {
    server().control.script({ fault: { type: 'status', status: 429, retryAfter: 1, retryAfterMs: 20 }, times: 1 });
    const client = clientFor(server(), { maxRetries: 2 });
    const text = await client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 50, messages: userPrompt('retry me') }).finalText();
    assert.equal(text, answerFor({ messages: userPrompt('retry me') }));
    const seen = server().control.requests().filter((r) => r.path === '/v1/messages');
    assert.equal(seen.length, 2);
    assert.equal(seen[1].headers['x-stainless-retry-count'], '1');
  });

  it('429 carries retry-after, retry-after-ms, request-id and the error JSON', async () => {
    server().control.script({ fault: { type: 'status', status: 429, retryAfter: 3, retryAfterMs: 3000 } });
    const res = await fetch(`${server().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: userPrompt('x') }),
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    assert.equal(res.headers.get('retry-after-ms'), '3000');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const requestId = res.headers.get('request-id') ?? '';
    assert.match(requestId, /^req_/);
    assert.deepEqual(await res.json(), { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' }, request_id: requestId });
  });

  it('529 is an overloaded_error (maxRetries 0)', async () => {
    server().control.script({ fault: { type: 'status', status: 529 } });
    const err = await clientFor(server()).messages.create({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: userPrompt('x') }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.APIError);
    assert.equal(err.status, 529);
    assert.equal(err.type, 'overloaded_error');
  });

  it('401 for a bad key', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-bad-key', baseURL: server().url, maxRetries: 0 });
    const err = await client.models.list().catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.AuthenticationError);
    assert.equal(err.type, 'authentication_error');
    assert.equal(err.apiMessage, 'invalid x-api-key');
  });

  it('401 without any key', async () => {
    const res = await fetch(`${server().url}/v1/models`);
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { type: string } };
    assert.equal(body.error.type, 'authentication_error');
  });

  it('404 for an unknown model, naming it', async () => {
    const err = await clientFor(server()).messages.create({ model: 'claude-nope-9', max_tokens: 5, messages: userPrompt('x') }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.NotFoundError);
    assert.equal(err.type, 'not_found_error');
    assert.equal(err.apiMessage, 'model: claude-nope-9');
  });

  it('400 for missing max_tokens or messages', async () => {
    for (const body of [{ model: 'claude-sonnet-5-5', messages: userPrompt('x') }, { model: 'claude-sonnet-5-5', max_tokens: 5 }]) {
      const res = await fetch(`${server().url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'k' }, body: JSON.stringify(body) });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
    }
  });

  it('prefill to a 4.6+ model is a 400; 4.5 accepts it', async () => {
    const messages: Anthropic.MessageParam[] = [...userPrompt('x'), { role: 'assistant', content: 'Sure' }];
    for (const model of ['claude-sonnet-5-5', 'claude-opus-4-6']) {
      const err = await clientFor(server()).messages.create({ model, max_tokens: 5, messages }).catch((e: unknown) => e);
      assert.ok(err instanceof Anthropic.BadRequestError, model);
      assert.match(err.apiMessage ?? '', /does not support assistant message prefill/);
    }
    const ok = await clientFor(server()).messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages });
    assert.equal(ok.role, 'assistant');
  });

  it('count_tokens is about a quarter of the characters', async () => {
    const system = 'You are terse.';
    const messages = userPrompt('x'.repeat(400));
    const { input_tokens } = await clientFor(server()).messages.countTokens({ model: 'claude-sonnet-5-5', system, messages });
    assert.equal(input_tokens, Math.ceil((system.length + JSON.stringify(messages).length) / 4));
  });
});

describe('local server: continuation after an interrupted stream', () => {
  const server = useServer();
  const prompt = 'Write a long explanation of streaming parsers, with code, for continuation tests.';
  const full = answerFor({ messages: userPrompt(prompt) });

  async function interrupted(model: string, afterEvent: number): Promise<string> {
    server().control.script({ fault: { type: 'drop', afterEvent } });
    const { text, error } = await collectStream(clientFor(server()).messages.stream({ model, max_tokens: 4096, messages: userPrompt(prompt) }));
    assert.ok(error instanceof Error);
    assert.ok(text.length > 0 && full.startsWith(text) && text.length < full.length);
    return text;
  }

  async function finish(model: string, messages: Anthropic.MessageParam[]): Promise<string> {
    return clientFor(server()).messages.stream({ model, max_tokens: 4096, messages }).finalText();
  }

  it('prefill (≤ 4.5): partial + remainder is exactly the full answer', async () => {
    const partial = await interrupted('claude-sonnet-4-5', 40);
    // The API rejects a prefill ending in whitespace; the remainder then starts with it.
    const prefill = partial.trimEnd();
    const rest = await finish('claude-sonnet-4-5', [...userPrompt(prompt), { role: 'assistant', content: prefill }]);
    assert.equal(prefill + rest, full);
    assert.equal(partial + rest.slice(partial.length - prefill.length), full);
  });

  it('prefill ending in whitespace is a 400', async () => {
    const err = await clientFor(server()).messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [...userPrompt(prompt), { role: 'assistant', content: 'Hello ' }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.BadRequestError);
  });

  for (const format of ['fence', 'quotes'] as const) {
    it(`user-turn continuation (≥ 4.6), tail quoted with ${format}: 0 characters lost`, async () => {
      const partial = await interrupted('claude-sonnet-5-5', 120);
      const tail = partial.slice(-300);
      const quoted = format === 'fence' ? '````\n' + tail + '\n````' : `“${tail}”`;
      const note = `Your previous response was interrupted. It ended with:\n${quoted}\nPlease continue exactly from where it stopped.`;
      const rest = await finish('claude-sonnet-5-5', [...userPrompt(prompt), { role: 'assistant', content: partial.trimEnd() }, { role: 'user', content: note }]);
      assert.equal(partial + rest, full);
    });
  }

  it('quoted-tail parsing: last fenced block wins, greedy quotes, last occurrence of the final 200 chars', () => {
    const msg = (content: string) => ({ role: 'user', content });
    assert.equal(quotedTailOf(msg('Interrupted.\n```\nfirst\n```\nand\n```\nsecond\nline\n```\ncontinue')), 'second\nline');
    assert.equal(quotedTailOf(msg('It was interrupted at "say "hi" there" — continue')), 'say "hi" there');
    assert.equal(quotedTailOf(msg('no hint here "x"')), undefined);
    assert.equal(offsetAfterTail('abc abc abc', 'abc'), 11);
    const long = 'y'.repeat(500);
    assert.equal(offsetAfterTail('x' + long + 'z', 'q'.repeat(50) + long.slice(-250)), 501);
  });
});
