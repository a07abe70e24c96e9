import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { thinkingFor } from '../../server/answers';
import { clientFor, useServer, userPrompt } from './serverHarness';

describe('local server: thinking display and prompt caching, as the real API', () => {
  const server = useServer();
  const send = (model: string, extra: Partial<Anthropic.MessageCreateParams>, prompt = 'Think about streams') =>
    clientFor(server()).messages.stream({ model, max_tokens: 2048, messages: userPrompt(prompt), ...extra } as Anthropic.MessageStreamParams).finalMessage();

  it('adaptive thinking on a 5.x model without `display` streams no thinking text, only the signature', async () => {
    const m = await send('claude-sonnet-5-5', { thinking: { type: 'adaptive' } });
    const [thinking] = m.content;
    assert.equal(thinking.type, 'thinking');
    assert.equal(thinking.type === 'thinking' && thinking.thinking, '');
    assert.equal(thinking.type === 'thinking' && thinking.signature, thinkingFor('Think about streams').signature);
  });

  it("display: 'summarized' streams the thinking text; 'omitted' never does; older models default to showing it", async () => {
    const shown = await send('claude-sonnet-5-5', { thinking: { type: 'adaptive', display: 'summarized' } });
    assert.equal(shown.content[0].type === 'thinking' && shown.content[0].thinking, thinkingFor('Think about streams').thinking);
    const omitted = await send('claude-opus-4-6', { thinking: { type: 'adaptive', display: 'omitted' } });
    assert.equal(omitted.content[0].type === 'thinking' && omitted.content[0].thinking, '');
    const older = await send('claude-opus-4-6', { thinking: { type: 'adaptive' } });
    assert.notEqual(older.content[0].type === 'thinking' && older.content[0].thinking, '');
  });

  it('top-level cache_control writes the prefix; the next turn reads it back', async () => {
    const client = clientFor(server());
    const first = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, cache_control: { type: 'ephemeral' }, messages: userPrompt('A long question about caching '.repeat(200)) });
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 0);
    const text = first.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const second = await client.messages.create({
      model: 'claude-sonnet-5-5', max_tokens: 100, cache_control: { type: 'ephemeral' },
      messages: [...userPrompt('A long question about caching '.repeat(200)), { role: 'assistant', content: text }, { role: 'user', content: 'And a follow-up?' }],
    });
    assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens, 'the first turn is read from the cache');
    assert.ok((second.usage.cache_creation_input_tokens ?? 0) > 0, 'the new turn is written');
    const short = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, cache_control: { type: 'ephemeral' }, messages: userPrompt('Too short to cache') });
    assert.equal(short.usage.cache_creation_input_tokens, 0, 'under the minimum cacheable length nothing is written');
    assert.ok(short.usage.input_tokens > 0);
    const uncached = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: userPrompt('No cache_control here '.repeat(300)) });
    assert.equal(uncached.usage.cache_read_input_tokens, 0);
    assert.equal(uncached.usage.cache_creation_input_tokens, 0);
  });

  it('a follow-up is answered from its own question, not the first one', async () => {
    const client = clientFor(server());
    const a = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: userPrompt('First question') });
    const b = await client.messages.create({
      model: 'claude-sonnet-5-5', max_tokens: 100,
      messages: [...userPrompt('First question'), { role: 'assistant', content: a.content }, { role: 'user', content: 'Second question' }],
    });
    const textOf = (m: Anthropic.Message) => m.content.map((x) => (x.type === 'text' ? x.text : '')).join('');
    assert.match(textOf(b), /^# Second question/);
    assert.notEqual(textOf(a), textOf(b));
  });
});
