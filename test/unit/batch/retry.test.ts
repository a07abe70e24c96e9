import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { nodeFsPort } from '../../../src/batch/store/nodeFs';
import { buildBatchRequests } from '../../../src/batch/requests/requestBuilder';
import type { BuildOptions, CandidateFile } from '../../../src/batch/requests/requestBuilder';
import { buildRetrySubmission, selectRetryIds, selectRetryIdsFromStates } from '../../../src/batch/requests/retry';
import { BatchStore } from '../../../src/batch/store/batchStore';
import { apiBatch, asAsync, fixtureLines, readByPath, tempDir } from './helpers';

const OPTIONS: BuildOptions = { model: 'claude-haiku-4-5', maxTokens: 100, instruction: 'Review.', maxFileBytes: 10_000 };

describe('batch/retry', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('selects exactly the errored, expired and canceled results', async () => {
    const lines = [...fixtureLines('04-results.jsonl'), ...fixtureLines('05-results-nonsuccess.SYNTHESIZED.jsonl')];
    assert.deepEqual(await selectRetryIds(asAsync(lines)), ['file-003', 'file-004', 'file-005', 'file-006']);
    assert.deepEqual(
      selectRetryIdsFromStates([
        ['a', 'succeeded'],
        ['b', 'expired'],
        ['c', 'canceled'],
      ]),
      ['b', 'c'],
    );
  });

  async function submitted(keepRequests: boolean) {
    const files: CandidateFile[] = ['a.ts', 'b.ts', 'c.ts'].map((name) => {
      const abs = path.join(dir, name);
      writeFileSync(abs, `content of ${name}`);
      return { uri: abs, relPath: name, size: 13 };
    });
    const built = await buildBatchRequests(files, readByPath, OPTIONS);
    const store = new BatchStore(nodeFsPort(path.join(dir, 'store')));
    const pending = await store.beginSubmission({ model: OPTIONS.model, instruction: OPTIONS.instruction, requests: built.requests, manifest: built.manifest, keepRequests });
    const record = await store.markCreated(pending.localId, apiBatch('msgbatch_parent', new Date(), 3));
    return { store, record, built, files };
  }

  it('resends exactly the stored params, even if the files changed since', async () => {
    const { store, record, built, files } = await submitted(true);
    writeFileSync(files[1]!.uri, 'edited afterwards');
    const ids = [built.requests[1]!.custom_id, built.requests[2]!.custom_id, 'unknown-id'];
    const plan = await buildRetrySubmission(store, record, ids);
    assert.equal(plan.source, 'stored');
    assert.equal(plan.parentBatchId, 'msgbatch_parent');
    assert.deepEqual(plan.requests, [built.requests[1], built.requests[2]]);
    assert.deepEqual(plan.manifest, [built.manifest[1], built.manifest[2]]);
    assert.deepEqual(plan.missing, ['unknown-id']);

    const retry = await store.beginSubmission({ model: OPTIONS.model, instruction: OPTIONS.instruction, ...plan });
    assert.equal(retry.parentBatchId, 'msgbatch_parent');
  });

  it('re-reads the files when params were not kept, keeping custom_ids and reporting changes', async () => {
    const { store, record, built, files } = await submitted(false);
    writeFileSync(files[0]!.uri, 'edited afterwards');
    const ids = [built.requests[0]!.custom_id, built.requests[2]!.custom_id];
    await assert.rejects(buildRetrySubmission(store, record, ids), /not kept/);
    const plan = await buildRetrySubmission(store, record, ids, { readFile: readByPath, options: OPTIONS });
    assert.equal(plan.source, 'reread');
    assert.deepEqual(plan.requests.map((r) => r.custom_id), ids);
    assert.deepEqual(plan.changed, [ids[0]]);
    assert.deepEqual(plan.requests[1], built.requests[2]);
  });
});
