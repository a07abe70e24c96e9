import * as assert from 'node:assert/strict';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { answerFor } from '../../server/answers';
import { clientFor, useServer } from './serverHarness';

const params = (text: string) => ({ model: 'claude-haiku-5-5', max_tokens: 256, messages: [{ role: 'user' as const, content: text }] });

async function texts(iterable: AsyncIterable<MessageBatchIndividualResponse>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const line of iterable) {
    out[line.custom_id] = line.result.type === 'succeeded' ? line.result.message.content.map((b) => (b.type === 'text' ? b.text : '')).join('') : line.result.type;
  }
  return out;
}

describe('local server: control scripts answer batch requests', () => {
  const server = useServer();

  it('a script with match and text answers the matching batch request, the same on every download, once', async () => {
    const client = clientFor(server());
    server().control.script({ match: 'marker-7', text: '{"findings":[]}' });
    server().control.script({ text: 'no match: left for /v1/messages' });
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'a', params: params('File: a.ts marker-7') },
        { custom_id: 'b', params: params('File: b.ts marker-7') },
        { custom_id: 'c', params: params('File: c.ts') },
      ],
    });
    server().control.endBatch(batch.id);
    const first = await texts(await client.messages.batches.results(batch.id));
    assert.deepEqual(first, { a: '{"findings":[]}', b: answerFor(params('File: b.ts marker-7')), c: answerFor(params('File: c.ts')) });
    assert.deepEqual(await texts(await client.messages.batches.results(batch.id)), first);
    // The script without `match` is still queued for a plain message.
    const message = await client.messages.create(params('hello'));
    assert.deepEqual(message.content.map((b) => (b.type === 'text' ? b.text : '')), ['no match: left for /v1/messages']);
  });
});
