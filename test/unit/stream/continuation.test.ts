import * as assert from 'node:assert/strict';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import { buildContinuationRequest, continuationSuffix, joinContinuation, supportsPrefill } from '../../../src/stream/continuation';

const original: MessageCreateParamsBase = {
  model: 'x',
  max_tokens: 1000,
  messages: [{ role: 'user', content: 'Explain streams.' }],
};

describe('continuation', () => {
  it('supportsPrefill: up to 4.5 yes, 4.6+ and unknown no', () => {
    for (const m of ['claude-sonnet-4-5', 'claude-opus-4-5-20251101', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4-20250514', 'claude-3-7-sonnet-latest', 'claude-3-5-haiku-20241022', 'claude-3-opus-20240229']) {
      assert.equal(supportsPrefill(m), true, m);
    }
    for (const m of ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-7', 'claude-opus-4-8', 'claude-sonnet-5', 'claude-sonnet-5-5', 'claude-fable-5-2', 'claude-mythos-preview', 'gpt-x', 'claude-opus-4-10']) {
      assert.equal(supportsPrefill(m), false, m);
    }
  });

  it('prefill form: assistant turn with the partial text, trailing whitespace trimmed, thinking dropped', () => {
    const { params, mode } = buildContinuationRequest({ ...original, thinking: { type: 'enabled', budget_tokens: 2048 } }, 'Streams are \n\n', 'claude-sonnet-4-5');
    assert.equal(mode, 'prefill');
    assert.deepEqual(params.messages, [...original.messages, { role: 'assistant', content: 'Streams are' }]);
    assert.equal('thinking' in params, false);
    assert.equal(params.max_tokens, 1000);
  });

  it('prefill form merges with an original string prefill', () => {
    const { params } = buildContinuationRequest({ ...original, messages: [...original.messages, { role: 'assistant', content: '{' }] }, '"a": 1', 'claude-haiku-4-5');
    assert.deepEqual(params.messages.at(-1), { role: 'assistant', content: '{"a": 1' });
  });

  it('user-turn form: [user, assistant partial, user continue] with the quoted tail', () => {
    const partial = 'x'.repeat(500) + 'END OF PARTIAL';
    const { params, mode } = buildContinuationRequest(original, partial + '  ', 'claude-opus-4-8');
    assert.equal(mode, 'userTurn');
    assert.deepEqual(params.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(params.messages[1].content, partial);
    const ask = params.messages[2].content as string;
    assert.ok(ask.startsWith('Your previous response was interrupted. It ended with:\n\n```\n'));
    assert.ok(ask.endsWith('END OF PARTIAL\n```\n\nContinue exactly from where it ended, without repeating anything.'));
    const quoted = ask.split('```\n')[1].replace(/\n$/, '');
    assert.equal(quoted.length, 300);
  });

  it('user-turn form uses a longer fence when the tail contains a code fence', () => {
    const { params } = buildContinuationRequest(original, 'Code:\n```js\nlet a', 'claude-opus-4-7');
    assert.match(params.messages[2].content as string, /\n````\nCode:\n```js\nlet a\n````\n/);
  });

  it('nothing shown yet: restart with the original request', () => {
    const { params, mode } = buildContinuationRequest(original, '  \n', 'claude-opus-4-8');
    assert.equal(mode, 'restart');
    assert.deepEqual(params, original);
  });

  it('joinContinuation drops an overlap of ≥ 20 characters, also after leading whitespace', () => {
    const partial = 'The quick brown fox jumps over the lazy dog and keeps running';
    assert.equal(joinContinuation(partial, ' towards the river.'), partial + ' towards the river.');
    assert.equal(joinContinuation(partial, 'over the lazy dog and keeps running towards the river.'), partial + ' towards the river.');
    assert.equal(joinContinuation(partial, '\n\njumps over the lazy dog and keeps running.'), partial + '.');
    // Short coincidental repeats are kept.
    assert.equal(continuationSuffix(partial, 'running fast'), 'running fast');
    assert.equal(joinContinuation('', 'abc'), 'abc');
  });
});
