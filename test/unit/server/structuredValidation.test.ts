import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { clientFor, useServer } from './serverHarness';
import { EDIT_SCHEMA, MODEL, batchRequest, onlyText, resultsById, structuredParams, succeeded } from './structuredRequests';

const FILE = { relPath: 'src/a.ts', content: 'export const a = 1;\n' };
/** Long enough (≥ 1024 estimated tokens) for the system prefix to be cached. */
const LONG_INSTRUCTION = `Add a header comment. ${'Keep the style of the surrounding code. '.repeat(110)}`;

function withSchema(schema: Record<string, unknown>): Anthropic.MessageCreateParamsNonStreaming {
  return structuredParams('Add a header comment.', FILE, schema);
}

/** The edit schema with its items' additionalProperties removed (a nested object left open). */
function openItemsSchema(): Record<string, unknown> {
  const schema = JSON.parse(JSON.stringify(EDIT_SCHEMA)) as { properties: { edits: { items: Record<string, unknown> } } };
  delete schema.properties.edits.items['additionalProperties'];
  return schema;
}

/** ceil(chars / 4) of the system blocks, as the server estimates the cached prefix. */
function prefixTokens(params: Anthropic.MessageCreateParamsNonStreaming): number {
  return Math.ceil(JSON.stringify(params.system).length / 4);
}

describe('local server: structured outputs validation', () => {
  const server = useServer();
  const client = () => clientFor(server());

  async function badRequest(params: unknown): Promise<InstanceType<typeof Anthropic.BadRequestError>> {
    const err = await client().messages.create(params as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.BadRequestError, String(err));
    assert.equal(err.type, 'invalid_request_error');
    return err;
  }

  it('400 when an object schema, even a nested one, lacks additionalProperties: false', async () => {
    const nested = await badRequest(withSchema(openItemsSchema()));
    assert.match(nested.message, /output_config\.format\.schema\.properties\.edits\.items: For 'object' type, 'additionalProperties' must be explicitly set to false/);
    const top = await badRequest(withSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }));
    assert.match(top.message, /output_config\.format\.schema: For 'object' type/);
  });

  it('400 for a format type other than json_schema, and for a missing schema', async () => {
    const params = withSchema(EDIT_SCHEMA);
    const wrongType = await badRequest({ ...params, output_config: { format: { type: 'json_object', schema: EDIT_SCHEMA } } });
    assert.match(wrongType.message, /output_config\.format\.type: Input should be 'json_schema'/);
    const noSchema = await badRequest({ ...params, output_config: { format: { type: 'json_schema' } } });
    assert.match(noSchema.message, /output_config\.format\.schema/);
  });

  it('400 for a cache_control ttl other than 5m or 1h', async () => {
    const params = withSchema(EDIT_SCHEMA);
    const err = await badRequest({ ...params, system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '2h' } }] });
    assert.match(err.message, /system\.0\.cache_control\.ephemeral\.ttl: Input should be '5m' or '1h'/);
  });

  it('400 for a model without structured outputs (Opus 4.1 in this catalogue)', async () => {
    const err = await badRequest({ ...withSchema(EDIT_SCHEMA), model: 'claude-opus-4-1' });
    assert.match(err.message, /structured outputs are not supported by model claude-opus-4-1/);
    const retired = await client().messages.create({ ...withSchema(EDIT_SCHEMA), model: 'claude-3-opus-20240229' }).catch((e: unknown) => e);
    assert.ok(retired instanceof Anthropic.NotFoundError, 'a retired model stays a 404');
  });

  it('count_tokens accepts output_config and counts system + messages as without it; rejects a bad schema', async () => {
    const { output_config, max_tokens: _unused, ...rest } = withSchema(EDIT_SCHEMA);
    const withConfig = await client().messages.countTokens({ ...rest, output_config });
    const without = await client().messages.countTokens(rest);
    assert.equal(withConfig.input_tokens, without.input_tokens);
    assert.equal(without.input_tokens, Math.ceil((JSON.stringify(rest.system).length + JSON.stringify(rest.messages).length) / 4));
    const err = await client()
      .messages.countTokens({ ...rest, output_config: { format: { type: 'json_schema', schema: openItemsSchema() } } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.BadRequestError);
  });

  it('in a batch, a malformed request is accepted at create and only that request ends errored (invalid_request_error)', async () => {
    const good = batchRequest('good', withSchema(EDIT_SCHEMA));
    const open = batchRequest('open', withSchema(openItemsSchema()));
    const ttl = batchRequest('ttl', { ...withSchema(EDIT_SCHEMA), system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '10m' as '1h' } }] });
    const batch = await client().messages.batches.create({ requests: [good, open, ttl] });
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(server().control.endBatch(batch.id).request_counts, { processing: 0, succeeded: 1, errored: 2, canceled: 0, expired: 0 });
    const results = await resultsById(await client().messages.batches.results(batch.id));
    JSON.parse(onlyText(succeeded(results.get('good'))));
    for (const [id, pattern] of [['open', /additionalProperties/], ['ttl', /ttl: Input should be '5m' or '1h'/]] as const) {
      const result = results.get(id);
      assert.ok(result?.type === 'errored', id);
      assert.equal(result.error.error.type, 'invalid_request_error');
      assert.match(result.error.error.message, pattern);
    }
  });
});

describe('local server: prompt-cache usage', () => {
  const server = useServer();
  const client = () => clientFor(server());

  it('a batch sharing a 1h-cached system prefix: the first request writes it, the others read it', async () => {
    const files = ['a', 'b', 'c'].map((n) => ({ relPath: `src/${n}.ts`, content: `export const ${n} = 1;\n` }));
    const paramsList = files.map((f) => structuredParams(LONG_INSTRUCTION, f, EDIT_SCHEMA));
    const cached = prefixTokens(paramsList[0]);
    assert.ok(cached >= 1024, `prefix ${cached} tokens`);
    const batch = await client().messages.batches.create({ requests: paramsList.map((p, i) => batchRequest(`r${i}`, p)) });
    server().control.endBatch(batch.id);
    // Downloaded twice: the numbers depend on the submission index, not on the shuffled order.
    for (let download = 0; download < 2; download++) {
      const results = await resultsById(await client().messages.batches.results(batch.id));
      const usages = ['r0', 'r1', 'r2'].map((id) => succeeded(results.get(id)).usage);
      assert.deepEqual(usages.map((u) => [u.cache_creation_input_tokens, u.cache_read_input_tokens]), [[cached, 0], [0, cached], [0, cached]]);
      assert.deepEqual(usages[0].cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: cached });
      assert.deepEqual(usages[1].cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
      for (let i = 0; i < 3; i++) {
        // input_tokens is the uncached rest, so the three add up to what count_tokens reports.
        const { max_tokens: _unused, ...countable } = paramsList[i];
        const total = (await client().messages.countTokens(countable)).input_tokens;
        const u = usages[i];
        assert.equal(u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), total);
        assert.equal(u.service_tier, 'batch');
      }
    }
  });

  it('the first succeeded request writes: an errored first request does not', async () => {
    const paramsList = ['a', 'b'].map((n) => structuredParams(LONG_INSTRUCTION, { relPath: `${n}.ts`, content: `${n}\n` }, EDIT_SCHEMA));
    const batch = await client().messages.batches.create({ requests: paramsList.map((p, i) => batchRequest(`r${i}`, p)) });
    server().control.endBatch(batch.id, { outcomes: { r0: 'errored' } });
    const results = await resultsById(await client().messages.batches.results(batch.id));
    assert.equal(succeeded(results.get('r1')).usage.cache_creation_input_tokens, prefixTokens(paramsList[1]));
  });

  it('a prefix under 1024 tokens is not cached; nor is one without cache_control', async () => {
    const short = structuredParams('Add a header comment.', FILE, EDIT_SCHEMA);
    const plain = { ...structuredParams(LONG_INSTRUCTION, FILE, EDIT_SCHEMA), system: LONG_INSTRUCTION };
    const batch = await client().messages.batches.create({ requests: [batchRequest('s1', short), batchRequest('s2', short), batchRequest('p1', plain), batchRequest('p2', plain)] });
    server().control.endBatch(batch.id);
    const results = await resultsById(await client().messages.batches.results(batch.id));
    for (const id of ['s1', 's2', 'p1', 'p2']) {
      const u = succeeded(results.get(id)).usage;
      assert.deepEqual([u.cache_creation_input_tokens, u.cache_read_input_tokens, u.cache_creation], [0, 0, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }], id);
    }
  });

  it('streamed requests share a per-server cache: write, then read; a 5m breakpoint reports ephemeral_5m', async () => {
    const params = structuredParams(LONG_INSTRUCTION, FILE, EDIT_SCHEMA);
    const cached = prefixTokens(params);
    const first = await client().messages.stream(params).finalMessage();
    assert.equal(first.usage.cache_creation_input_tokens, cached);
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.deepEqual(first.usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: cached });
    const other = structuredParams(LONG_INSTRUCTION, { relPath: 'src/other.ts', content: 'x\n' }, EDIT_SCHEMA);
    const second = await client().messages.stream(other).finalMessage();
    assert.equal(second.usage.cache_creation_input_tokens, 0);
    assert.equal(second.usage.cache_read_input_tokens, cached);
    const fiveMinutes = { ...params, system: [{ type: 'text' as const, text: `${LONG_INSTRUCTION}!`, cache_control: { type: 'ephemeral' as const } }] };
    const third = await client().messages.create(fiveMinutes);
    assert.deepEqual(third.usage.cache_creation, { ephemeral_5m_input_tokens: prefixTokens(fiveMinutes), ephemeral_1h_input_tokens: 0 });
    assert.equal(third.model, MODEL);
  });

  it('control.reset() empties the per-server cache', async () => {
    const params = structuredParams(LONG_INSTRUCTION, FILE, EDIT_SCHEMA);
    await client().messages.create(params);
    server().control.reset();
    const again = await client().messages.create(params);
    assert.equal(again.usage.cache_creation_input_tokens, prefixTokens(params));
  });
});
