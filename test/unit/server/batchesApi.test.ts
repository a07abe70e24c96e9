import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { BatchCreateParams, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { answerFor } from '../../server/answers';
import { startServer } from '../../server/server';
import { clientFor, useServer } from './serverHarness';

function request(customId: string, text: string): BatchCreateParams.Request {
  return { custom_id: customId, params: { model: 'claude-haiku-5-5', max_tokens: 256, messages: [{ role: 'user', content: text }] } };
}

async function collect(iterable: AsyncIterable<MessageBatchIndividualResponse>): Promise<MessageBatchIndividualResponse[]> {
  const out: MessageBatchIndividualResponse[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local server: message batches', () => {
  const server = useServer();
  const client = () => clientFor(server());

  it('creates an in_progress batch with every field, and records what it received', async () => {
    const batch = await client().messages.batches.create({ requests: [request('a', 'one'), request('b', 'two')] });
    assert.match(batch.id, /^msgbatch_/);
    assert.equal(batch.type, 'message_batch');
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(Date.parse(batch.expires_at) - Date.parse(batch.created_at), 24 * 3600 * 1000);
    assert.equal(batch.ended_at, null);
    assert.equal(batch.archived_at, null);
    assert.equal(batch.cancel_initiated_at, null);
    assert.equal(batch.results_url, null);
    assert.deepEqual(server().control.batchRequests(batch.id).map((r) => r.custom_id), ['a', 'b']);
    const again = await client().messages.batches.retrieve(batch.id);
    assert.deepEqual(again, batch);
  });

  it('results before the end are an error (SDK and server)', async () => {
    const batch = await client().messages.batches.create({ requests: [request('a', 'one')] });
    await assert.rejects(client().messages.batches.results(batch.id), Anthropic.AnthropicError);
    const res = await fetch(`${server().url}/v1/messages/batches/${batch.id}/results`, { headers: { 'x-api-key': 'k' } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
  });

  it('ends with mixed outcomes; results() decodes shuffled JSONL matched by custom_id', async () => {
    const requests = [
      request('ok-1', 'first'),
      request('ok-2', 'second'),
      request('err', 'please [[outcome:errored]]'),
      request('exp', 'please [[outcome:expired]]'),
      request('can', 'please [[outcome:canceled]]'),
      request('forced', 'would succeed'),
    ];
    const batch = await client().messages.batches.create({ requests });
    const ended = server().control.endBatch(batch.id, { outcomes: { forced: 'errored' } });
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 2, errored: 2, canceled: 1, expired: 1 });
    const retrieved = await client().messages.batches.retrieve(batch.id);
    assert.equal(retrieved.results_url, `${server().url}/v1/messages/batches/${batch.id}/results`);
    assert.ok(retrieved.ended_at);
    const results = await collect(await client().messages.batches.results(batch.id));
    assert.deepEqual(results.map((r) => r.custom_id).sort(), requests.map((r) => r.custom_id).sort());
    const byId = new Map(results.map((r) => [r.custom_id, r.result]));
    const ok = byId.get('ok-1');
    assert.equal(ok?.type, 'succeeded');
    if (ok?.type === 'succeeded') assert.deepEqual(ok.message.content, [{ type: 'text', text: answerFor(requests[0].params) }]);
    const err = byId.get('err');
    assert.ok(err?.type === 'errored' && err.error.type === 'error' && typeof err.error.error.type === 'string');
    assert.equal(byId.get('exp')?.type, 'expired');
    assert.equal(byId.get('can')?.type, 'canceled');
    assert.equal(byId.get('forced')?.type, 'errored');
    const res = await fetch(`${server().url}/v1/messages/batches/${batch.id}/results`, { headers: { 'x-api-key': 'k' } });
    assert.equal(res.headers.get('content-type'), 'application/binary');
  });

  it('lists newest first with limit, after_id and before_id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client().messages.batches.create({ requests: [request(`r${i}`, `n${i}`)] })).id);
    const newest = [...ids].reverse();
    const first = await client().messages.batches.list({ limit: 2 });
    assert.deepEqual(first.data.map((b) => b.id), newest.slice(0, 2));
    assert.equal(first.has_more, true);
    const second = await client().messages.batches.list({ limit: 2, after_id: first.last_id ?? '' });
    assert.deepEqual(second.data.map((b) => b.id), newest.slice(2, 4));
    const before = await client().messages.batches.list({ limit: 3, before_id: newest[3] });
    assert.deepEqual(before.data.map((b) => b.id), newest.slice(0, 3));
    assert.equal(before.has_more, false);
    const all: string[] = [];
    for await (const b of client().messages.batches.list({ limit: 2 })) all.push(b.id);
    assert.deepEqual(all, newest);
    const defaults = await client().messages.batches.list();
    assert.equal(defaults.data.length, 5);
    assert.equal(defaults.has_more, false);
  });

  it('cancel → canceling → ended with requests canceled', async () => {
    const batch = await client().messages.batches.create({ requests: [request('a', 'one'), request('b', 'two')] });
    const canceling = await client().messages.batches.cancel(batch.id);
    assert.equal(canceling.processing_status, 'canceling');
    assert.ok(canceling.cancel_initiated_at);
    await sleep(400);
    const ended = await client().messages.batches.retrieve(batch.id);
    assert.equal(ended.processing_status, 'ended');
    assert.equal(ended.request_counts.canceled, 2);
  });

  it('expireBatch turns unfinished requests into expired', async () => {
    const batch = await client().messages.batches.create({ requests: [request('a', 'one')] });
    assert.equal(server().control.expireBatch(batch.id).request_counts.expired, 1);
  });

  it('delete only once ended', async () => {
    const batch = await client().messages.batches.create({ requests: [request('a', 'one')] });
    const err = await client().messages.batches.delete(batch.id).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.BadRequestError);
    server().control.endBatch(batch.id);
    assert.deepEqual(await client().messages.batches.delete(batch.id), { id: batch.id, type: 'message_batch_deleted' });
    await assert.rejects(client().messages.batches.retrieve(batch.id), Anthropic.NotFoundError);
  });

  it('a dropped results download breaks the iteration; a second fetch is complete', async () => {
    const requests = Array.from({ length: 30 }, (_, i) => request(`q${i}`, `question ${i}`));
    const batch = await client().messages.batches.create({ requests });
    server().control.endBatch(batch.id);
    server().control.dropResultsAfter(batch.id, 5);
    const partial: string[] = [];
    await assert.rejects(async () => {
      for await (const r of await client().messages.batches.results(batch.id)) partial.push(r.custom_id);
    });
    assert.ok(partial.length <= 5);
    const complete = await collect(await client().messages.batches.results(batch.id));
    assert.equal(new Set(complete.map((r) => r.custom_id)).size, 30);
  });

  it('failRetrieve makes the next retrieves 500 (the SDK retries them)', async () => {
    const batch = await client().messages.batches.create({ requests: [request('a', 'one')] });
    server().control.failRetrieve(batch.id, 1);
    await assert.rejects(client().messages.batches.retrieve(batch.id), Anthropic.InternalServerError);
    server().control.failRetrieve(batch.id, 1);
    const ok = await clientFor(server(), { maxRetries: 1 }).messages.batches.retrieve(batch.id, {}, { maxRetries: 1 });
    assert.equal(ok.id, batch.id);
  });

  it('synthetic ended batch of 2,000 requests iterates via results()', async () => {
    const batch = server().control.createSyntheticBatch({ count: 2000, bytesPerResult: 1024, outcomes: { succeeded: 9, errored: 1 } });
    assert.equal(batch.processing_status, 'ended');
    assert.equal(batch.request_counts.succeeded + batch.request_counts.errored, 2000);
    const results = await collect(await client().messages.batches.results(batch.id));
    assert.equal(results.length, 2000);
    assert.equal(new Set(results.map((r) => r.custom_id)).size, 2000);
    assert.notEqual(results[0].custom_id, 'req-000000', 'results come back shuffled');
    const succeeded = results.filter((r) => r.result.type === 'succeeded').length;
    assert.equal(succeeded, batch.request_counts.succeeded);
    const res = await fetch(`${server().url}/v1/messages/batches/${batch.id}/results`, { headers: { 'x-api-key': 'k' } });
    const firstSucceeded = (await res.text()).split('\n').find((l) => l.includes('"succeeded"')) ?? '';
    assert.equal(Buffer.byteLength(firstSucceeded) + 1, 1024);
  });

  describe('create validation', () => {
    const bad = async (body: unknown): Promise<unknown> =>
      client().messages.batches.create(body as BatchCreateParams).catch((e: unknown) => e);

    it('rejects a bad custom_id, a duplicate id and an empty batch with 400', async () => {
      for (const body of [
        { requests: [request('has space', 'x')] },
        { requests: [request('x'.repeat(65), 'x')] },
        { requests: [request('dup', 'x'), request('dup', 'y')] },
        { requests: [] },
        { requests: [{ custom_id: 'no-params' }] },
      ]) {
        const err = await bad(body);
        assert.ok(err instanceof Anthropic.BadRequestError, JSON.stringify(body).slice(0, 60));
        assert.equal(err.type, 'invalid_request_error');
      }
    });

    it('failNextCreate: 413 request_too_large, then 500, then a dropped connection', async () => {
      server().control.failNextCreate(413);
      const tooLarge = await bad({ requests: [request('a', 'x')] });
      assert.ok(tooLarge instanceof Anthropic.APIError);
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.type, 'request_too_large');
      server().control.failNextCreate(500);
      assert.ok((await bad({ requests: [request('a', 'x')] })) instanceof Anthropic.InternalServerError);
      server().control.failNextCreate('drop');
      assert.ok((await bad({ requests: [request('a', 'x')] })) instanceof Anthropic.APIConnectionError);
      const ok = await client().messages.batches.create({ requests: [request('a', 'x')] });
      assert.equal(ok.processing_status, 'in_progress');
    });
  });
});

describe('local server: batches that end by themselves', () => {
  it('with batchDurationMs, a batch ends on its own with rule outcomes', async () => {
    const server = await startServer({ batchDurationMs: 150 });
    try {
      const client = clientFor(server);
      const batch = await client.messages.batches.create({ requests: [request('a', 'fine'), request('b', '[[outcome:errored]]')] });
      await sleep(250);
      const ended = await client.messages.batches.retrieve(batch.id);
      assert.equal(ended.processing_status, 'ended');
      assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 0 });
    } finally {
      await server.close();
    }
  });
});
