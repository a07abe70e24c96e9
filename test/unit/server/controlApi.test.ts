import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { RecordedRequest } from '../../server/types';
import { clientFor, useServer, userPrompt } from './serverHarness';

describe('local server: HTTP control API', () => {
  const server = useServer();

  async function post(route: string, body: unknown = {}): Promise<unknown> {
    const res = await fetch(`${server().url}/_control/${route}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200, `${route}: ${res.status}`);
    return res.json();
  }

  it('scripts a fault, then reports the requests it received', async () => {
    await post('script', { match: 'scripted', fault: { type: 'status', status: 500 } });
    const client = clientFor(server());
    await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: userPrompt('unrelated') });
    const err = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: userPrompt('scripted') }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.InternalServerError);
    const requests = (await (await fetch(`${server().url}/_control/requests`)).json()) as RecordedRequest[];
    assert.equal(requests.length, 2);
    await post('reset');
    assert.equal(server().control.requests().length, 0);
  });

  it('scripts text and a tool call', async () => {
    await post('script', [{ text: 'Scripted “text” ✓' }, { toolUse: { name: 'list_files', input: { dir: '.' } } }]);
    const client = clientFor(server());
    assert.equal(await client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: userPrompt('a') }).finalText(), 'Scripted “text” ✓');
    const message = await client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: userPrompt('b') }).finalMessage();
    const tool = message.content.find((b) => b.type === 'tool_use');
    assert.deepEqual(tool?.type === 'tool_use' && tool.input, { dir: '.' });
  });

  it('drives batches: end, expire, synthetic, fail-retrieve, drop-results, fail-create', async () => {
    const client = clientFor(server());
    const params = { model: 'claude-haiku-5-5', max_tokens: 5, messages: userPrompt('x') };
    const a = await client.messages.batches.create({ requests: [{ custom_id: 'a', params }, { custom_id: 'b', params }] });
    const ended = (await post(`batches/${a.id}/end`, { default: 'errored' })) as MessageBatch;
    assert.equal(ended.request_counts.errored, 2);
    const b = await client.messages.batches.create({ requests: [{ custom_id: 'a', params }] });
    assert.equal(((await post(`batches/${b.id}/expire`)) as MessageBatch).request_counts.expired, 1);
    const synthetic = (await post('synthetic-batch', { count: 10, bytesPerResult: 300 })) as MessageBatch;
    assert.equal(synthetic.request_counts.succeeded, 10);
    await post('fail-retrieve', { id: synthetic.id, times: 1 });
    await assert.rejects(client.messages.batches.retrieve(synthetic.id), Anthropic.InternalServerError);
    await post('drop-results', { id: synthetic.id, lines: 2 });
    await assert.rejects(async () => {
      for await (const _ of await client.messages.batches.results(synthetic.id)) void _;
    });
    await post('fail-create', { status: 413 });
    await assert.rejects(client.messages.batches.create({ requests: [{ custom_id: 'a', params }] }), (e: unknown) => e instanceof Anthropic.APIError && e.status === 413);
  });

  it('unknown control routes are 404 JSON errors', async () => {
    const res = await fetch(`${server().url}/_control/nope`, { method: 'POST' });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'not_found_error');
  });
});

describe('local server: CLI', () => {
  it('prints one line with its URL, serves, and exits cleanly on SIGTERM', async () => {
    const main = path.resolve(__dirname, '../../server/main.js');
    const child = spawn(process.execPath, [main, '--port', '0', '--batch-duration-ms', '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).once('line', resolve);
        child.once('error', reject);
      });
      const match = /^Local Anthropic server listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      assert.ok(match, line);
      const models = await new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: match[1], maxRetries: 0 }).models.list();
      assert.ok(models.data.length > 0);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
