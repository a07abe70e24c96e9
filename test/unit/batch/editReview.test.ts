import * as assert from 'node:assert/strict';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { applyEdits, parseEditResult } from '../../../src/batch/results/structuredResults';
import { REVIEW_PAGE_SIZE, ReviewStore } from '../../../src/batch/review/reviewStore';
import { nodeFsPort } from '../../../src/batch/store/nodeFs';
import type { ManifestEntry } from '../../../src/batch/requests/requestBuilder';
import { tempDir } from './helpers';

const line = (customId: string, text: string, stop: string = 'end_turn'): MessageBatchIndividualResponse => ({
  custom_id: customId,
  result: { type: 'succeeded', message: { content: [{ type: 'text', text }], stop_reason: stop, model: 'm', usage: { input_tokens: 1, output_tokens: 1 } } as never },
});
const entry = (customId: string): ManifestEntry => ({ customId, uri: `file:///w/${customId}.ts`, relPath: `${customId}.ts`, bytes: 1, sha256: 'ab' });

describe('batch/edit review', () => {
  it('applies exact edits; refuses missing, repeated and overlapping old_text without changing anything', () => {
    assert.deepEqual(applyEdits('a\nb\nc\n', [{ oldText: 'b\n', newText: 'B\n' }, { oldText: 'a', newText: '// h\na' }]), { ok: true, content: '// h\na\nB\nc\n' });
    assert.match((applyEdits('a\n', [{ oldText: 'x', newText: 'y' }]) as { reason: string }).reason, /not in the file/);
    assert.match((applyEdits('a a', [{ oldText: 'a', newText: 'b' }]) as { reason: string }).reason, /more than once/);
    assert.match((applyEdits('abc', [{ oldText: 'ab', newText: '' }, { oldText: 'bc', newText: '' }]) as { reason: string }).reason, /overlap/);
    assert.match((applyEdits('abc', [{ oldText: '', newText: 'x' }]) as { reason: string }).reason, /empty old_text/);
  });

  it('a result cut off by max_tokens, or not in the schema, fails with its reason and raw text', () => {
    const cut = parseEditResult(line('f0', '{"summary":"x","edits":[{"old_', 'max_tokens'));
    assert.equal(cut.ok, false);
    assert.match((cut as { reason: string }).reason, /max_tokens/);
    assert.equal((cut as { raw: string }).raw, '{"summary":"x","edits":[{"old_');
    assert.equal(parseEditResult(line('f1', 'Sorry, no JSON.')).ok, false);
    assert.deepEqual(parseEditResult(line('f2', '{"summary":"s","edits":[{"old_text":"a","new_text":"b"}]}')), { ok: true, value: { summary: 's', edits: [{ oldText: 'a', newText: 'b' }] } });
  });

  it('stores a review in pages and reads the first page without the rest; decisions persist', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = new ReviewStore(nodeFsPort(dir));
      const n = REVIEW_PAGE_SIZE * 2 + 5;
      const manifest = new Map(Array.from({ length: n }, (_, i) => [`f${i}`, entry(`f${i}`)] as const));
      async function* lines() {
        for (let i = 0; i < n; i++) {
          yield i === 3 ? line(`f${i}`, 'nope') : line(`f${i}`, JSON.stringify({ summary: '', edits: i % 2 ? [] : [{ old_text: 'a', new_text: 'b' }] }));
        }
      }
      const meta = await store.build('msgbatch_1', lines(), manifest);
      assert.equal(meta.total, n);
      assert.equal(meta.pages, 3);
      assert.deepEqual(meta.failedIds, ['f3']);
      assert.equal(meta.counts.failed, 1);
      const first = await store.page('msgbatch_1', 0);
      assert.equal(first.length, REVIEW_PAGE_SIZE);
      assert.equal(first[0]!.state, 'proposed');
      assert.equal(first[1]!.state, 'unchanged');
      assert.equal(first[3]!.state, 'failed');
      assert.equal((await store.page('msgbatch_1', 2)).length, 5);
      await store.decide('msgbatch_1', { f0: 'accepted' });
      await store.decide('msgbatch_1', { f2: 'rejected' });
      assert.deepEqual(await new ReviewStore(nodeFsPort(dir)).decisions('msgbatch_1'), { f0: 'accepted', f2: 'rejected' });
      assert.equal((await store.entry('msgbatch_1', `f${n - 1}`))?.relPath, `f${n - 1}.ts`);
    } finally {
      cleanup();
    }
  });
});
