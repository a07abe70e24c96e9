import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { clientFor, useServer } from './serverHarness';

describe('local server: models', () => {
  const server = useServer();

  async function all(params: Anthropic.ModelListParams = {}): Promise<ModelInfo[]> {
    const out: ModelInfo[] = [];
    for await (const model of clientFor(server()).models.list(params)) out.push(model);
    return out;
  }

  it('lists active and deprecated models by default, newest first, with full ModelInfo', async () => {
    const models = await all();
    const ids = models.map((m) => m.id);
    assert.ok(ids.includes('claude-sonnet-5-5') && ids.includes('claude-opus-5-5') && ids.includes('claude-haiku-5-5'));
    assert.ok(ids.includes('claude-sonnet-4-5') && ids.includes('claude-opus-4-1'));
    assert.ok(!ids.includes('claude-3-opus-20240229'));
    const created = models.map((m) => Date.parse(m.created_at));
    assert.deepEqual(created, [...created].sort((a, b) => b - a));
    const deprecated = models.find((m) => m.id === 'claude-opus-4-1');
    assert.equal(deprecated?.lifecycle, 'deprecated');
    assert.ok(deprecated?.retires_at);
    for (const m of models) {
      assert.equal(m.type, 'model');
      assert.ok(m.capabilities?.thinking.types && m.capabilities.server_tools && m.capabilities.effort);
    }
  });

  it('pages with limit, after_id and before_id', async () => {
    const client = clientFor(server());
    const first = await client.models.list({ limit: 2 });
    assert.equal(first.data.length, 2);
    assert.equal(first.has_more, true);
    assert.equal(first.first_id, first.data[0].id);
    assert.equal(first.last_id, first.data[1].id);
    const second = await client.models.list({ limit: 2, after_id: first.last_id ?? '' });
    assert.notEqual(second.data[0].id, first.data[1].id);
    const back = await client.models.list({ limit: 2, before_id: second.first_id ?? '' });
    assert.deepEqual(back.data.map((m) => m.id), first.data.map((m) => m.id));
    assert.equal(back.has_more, false);
    const everything = await all({ limit: 2 });
    assert.equal(everything.length, 6);
  });

  it('filters by lifecycle', async () => {
    assert.deepEqual((await all({ lifecycle: ['retired'] })).map((m) => m.id), ['claude-3-opus-20240229']);
    assert.deepEqual((await all({ lifecycle: ['deprecated'] })).map((m) => m.id), ['claude-opus-4-1']);
    assert.equal((await all({ lifecycle: ['active', 'deprecated', 'retired'] })).length, 7);
  });

  it('retrieves one model, 404 for unknown ids', async () => {
    const client = clientFor(server());
    const model = await client.models.retrieve('claude-haiku-5-5');
    assert.equal(model.display_name, 'Claude Haiku 5.5');
    const err = await client.models.retrieve('claude-unknown').catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.NotFoundError);
  });

  it('retired models cannot be called', async () => {
    const err = await clientFor(server()).messages.create({ model: 'claude-3-opus-20240229', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.NotFoundError);
  });
});
