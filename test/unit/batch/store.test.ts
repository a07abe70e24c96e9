import * as assert from 'node:assert/strict';
import { readdirSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { nodeFsPort } from '../../../src/batch/store/nodeFs';
import { BatchStore } from '../../../src/batch/store/batchStore';
import { ORPHAN_AFTER_MS } from '../../../src/batch/store/reconcile';
import type { SubmissionInput } from '../../../src/batch/store/batchStore';
import type { BatchRequestParams, ManifestEntry } from '../../../src/batch/requests/requestBuilder';
import { apiBatch, asAsync, fakeClock, tempDir } from './helpers';

const T0 = new Date('2026-05-01T10:00:00.000Z');

function submission(count: number, extra: Partial<SubmissionInput> = {}): SubmissionInput {
  const requests: BatchRequestParams[] = [];
  const manifest: ManifestEntry[] = [];
  for (let i = 0; i < count; i++) {
    const customId = `f${i.toString(36)}-file_ts`;
    requests.push({ custom_id: customId, params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: `file ${i}` }] } });
    manifest.push({ customId, uri: `file:///ws/src/${i}/file.ts`, relPath: `src/${i}/file.ts`, bytes: 6, sha256: 'ab'.repeat(32) });
  }
  return { model: 'claude-sonnet-4-5', instruction: 'Summarize.', requests, manifest, ...extra };
}

describe('batch/store', () => {
  let dir: string;
  let cleanup: () => void;
  let clock: ReturnType<typeof fakeClock>;
  let ids: number;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    clock = fakeClock(T0);
    ids = 0;
  });
  afterEach(() => cleanup());

  /** A store as a window would build it; a second call is a restart (or another window). */
  function openStore(): BatchStore {
    return new BatchStore(nodeFsPort(dir), { now: clock.now, newId: () => `local-${++ids}-${Math.random().toString(36).slice(2, 8)}` });
  }
  const recordFiles = () => (existsSync(path.join(dir, 'records')) ? readdirSync(path.join(dir, 'records')) : []);

  it('writes the record, manifest and params before create is called', async () => {
    const store = openStore();
    const record = await store.beginSubmission(submission(3));
    assert.equal(record.state, 'pending-create');
    assert.deepEqual(recordFiles(), [`${record.localId}.json`]);
    // What a restart would see before create returns:
    const [seen] = await openStore().list();
    assert.equal(seen!.localId, record.localId);
    assert.equal(seen!.state, 'pending-create');
    assert.equal(seen!.requestCount, 3);
    assert.equal((await openStore().readManifest(seen!)).length, 3);
  });

  it('marks a record created and finds it by batch id', async () => {
    const store = openStore();
    const record = await store.beginSubmission(submission(2));
    const batch = apiBatch('msgbatch_1', T0, 2);
    const created = await store.markCreated(record.localId, batch);
    assert.equal(created.state, 'created');
    const got = await openStore().get('msgbatch_1');
    assert.equal(got!.localId, record.localId);
    assert.equal(got!.lastKnown!.processing_status, 'in_progress');
    assert.equal(got!.apiCreatedAt, batch.created_at);
  });

  it('leaves no record, manifest or params after a failed create', async () => {
    const store = openStore();
    const record = await store.beginSubmission(submission(2));
    await store.markCreateFailed(record.localId, '400 invalid_request_error');
    assert.deepEqual(await openStore().list(), []);
    assert.deepEqual(recordFiles(), []);
    assert.deepEqual(readdirSync(path.join(dir, 'manifests')), []);
    assert.deepEqual(readdirSync(path.join(dir, 'requests')), []);
  });

  it('after a crash between write-ahead and create: drops the record once it is old, never before', async () => {
    await openStore().beginSubmission(submission(2));
    // Restart: nothing on the API side.
    clock.advance(60_000);
    let report = await openStore().reconcile(asAsync([]));
    assert.equal(report.dropped.length, 0, 'young records may still be being created');
    clock.advance(ORPHAN_AFTER_MS);
    report = await openStore().reconcile(asAsync([]));
    assert.equal(report.dropped.length, 1);
    assert.deepEqual(await openStore().list(), []);
  });

  it('after a crash between create and recording the id: adopts the batch exactly once', async () => {
    const record = await openStore().beginSubmission(submission(5));
    // The API created it 3 s later; we crashed before markCreated. Other batches exist too.
    const ours = apiBatch('msgbatch_ours', new Date(T0.getTime() + 3000), 5);
    const otherCount = apiBatch('msgbatch_other_count', new Date(T0.getTime() + 1000), 4);
    const tooOld = apiBatch('msgbatch_too_old', new Date(T0.getTime() - 3 * 60_000), 5);
    clock.advance(20 * 60_000);
    const list = () => asAsync([ours, otherCount, tooOld]);

    const first = await openStore().reconcile(list());
    assert.deepEqual(first.adopted.map((r) => [r.localId, r.batchId]), [[record.localId, 'msgbatch_ours']]);
    assert.deepEqual(first.dropped, []);
    assert.deepEqual(first.external.map((r) => r.batchId).sort(), ['msgbatch_other_count', 'msgbatch_too_old']);

    // Twice, and from a fresh store over the same directory: nothing new.
    for (const store of [openStore(), openStore()]) {
      const again = await store.reconcile(list());
      assert.deepEqual([again.adopted, again.dropped, again.external, again.updated], [[], [], [], []]);
    }
    const all = await openStore().list();
    assert.equal(all.length, 3);
    assert.equal(new Set(all.map((r) => r.batchId)).size, 3);
    assert.equal(recordFiles().length, 3);
    const adopted = all.find((r) => r.batchId === 'msgbatch_ours')!;
    assert.equal(adopted.origin, 'local');
    assert.equal((await openStore().readManifest(adopted)).length, 5);
  });

  it('matches two pending submissions of the same size to the nearest batches', async () => {
    const a = await openStore().beginSubmission(submission(2));
    clock.advance(60_000);
    const b = await openStore().beginSubmission(submission(2));
    const batchA = apiBatch('msgbatch_a', new Date(T0.getTime() + 2000), 2);
    const batchB = apiBatch('msgbatch_b', new Date(T0.getTime() + 62_000), 2);
    const report = await openStore().reconcile(asAsync([batchB, batchA]));
    const pairs = Object.fromEntries(report.adopted.map((r) => [r.localId, r.batchId]));
    assert.deepEqual(pairs, { [a.localId]: 'msgbatch_a', [b.localId]: 'msgbatch_b' });
  });

  it('an older submission whose create never happened does not take a newer one\'s batch', async () => {
    // The window died after A's write-ahead (no create); a minute later B was written and created.
    const a = await openStore().beginSubmission(submission(2));
    clock.advance(60_000);
    const b = await openStore().beginSubmission(submission(2));
    const batchB = apiBatch('msgbatch_b', new Date(T0.getTime() + 61_000), 2);
    const report = await openStore().reconcile(asAsync([batchB]));
    assert.deepEqual(report.adopted.map((r) => [r.localId, r.batchId]), [[b.localId, 'msgbatch_b']]);
    assert.deepEqual(report.dropped, [], 'A is still young: kept pending');
    clock.advance(ORPHAN_AFTER_MS);
    const later = await openStore().reconcile(asAsync([batchB]));
    assert.deepEqual(later.dropped.map((r) => r.localId), [a.localId]);
    assert.deepEqual((await openStore().list()).map((r) => [r.localId, r.batchId]), [[b.localId, 'msgbatch_b']]);
  });

  it('tracks external batches once, with no manifest, and updates their status', async () => {
    const ext = apiBatch('msgbatch_ext', T0, 7);
    const archived = apiBatch('msgbatch_archived', T0, 1, { archived_at: T0.toISOString() });
    const report = await openStore().reconcile(asAsync([ext, archived]));
    assert.deepEqual(report.external.map((r) => [r.batchId, r.origin, r.requestCount]), [['msgbatch_ext', 'external', 7]]);
    const record = (await openStore().get('msgbatch_ext'))!;
    assert.equal(record.manifestFile, undefined);
    assert.deepEqual(await openStore().manifestPage(record, 0, 10), { total: 0, entries: [] });

    const ended: MessageBatch = { ...ext, processing_status: 'ended', ended_at: T0.toISOString() };
    const again = await openStore().reconcile(asAsync([ended]));
    assert.deepEqual(again.external, []);
    assert.equal(again.updated.length, 1);
    assert.equal((await openStore().get('msgbatch_ext'))!.lastKnown!.processing_status, 'ended');
    assert.equal(recordFiles().length, 1);
  });

  it('replaces an external twin when the local create is recorded later (two windows)', async () => {
    const windowA = openStore();
    const record = await windowA.beginSubmission(submission(2));
    // Window B saw the batch with a skewed clock, outside the match window: tracked as external.
    const batch = apiBatch('msgbatch_twin', new Date(T0.getTime() + 11 * 60_000), 2);
    await openStore().reconcile(asAsync([batch]), {});
    await windowA.markCreated(record.localId, batch);
    const all = await openStore().list();
    assert.deepEqual(all.map((r) => [r.batchId, r.origin]), [['msgbatch_twin', 'local']]);
  });

  it('lists newest first and updates, gets and removes by batch id', async () => {
    const store = openStore();
    const first = await store.beginSubmission(submission(1));
    await store.markCreated(first.localId, apiBatch('msgbatch_old', T0, 1));
    clock.advance(5000);
    const second = await store.beginSubmission(submission(1, { parentBatchId: 'msgbatch_old' }));
    await store.markCreated(second.localId, apiBatch('msgbatch_new', new Date(T0.getTime() + 5000), 1));
    assert.deepEqual((await store.list()).map((r) => r.batchId), ['msgbatch_new', 'msgbatch_old']);
    assert.equal((await store.get('msgbatch_new'))!.parentBatchId, 'msgbatch_old');

    const ended = apiBatch('msgbatch_old', T0, 1, { processing_status: 'ended' });
    const updated = await store.update('msgbatch_old', ended);
    assert.equal(updated!.lastKnown!.processing_status, 'ended');
    assert.equal(await store.update('msgbatch_unknown', ended), undefined);

    assert.equal(await store.remove('msgbatch_old'), true);
    assert.deepEqual((await openStore().list()).map((r) => r.batchId), ['msgbatch_new']);
    assert.equal(readdirSync(path.join(dir, 'manifests')).length, 1);
  });

  it('ignores a corrupt record file instead of failing', async () => {
    const warnings: string[] = [];
    const store = new BatchStore(nodeFsPort(dir), { now: clock.now, onWarning: (w) => warnings.push(w) });
    await store.beginSubmission(submission(1));
    writeFileSync(path.join(dir, 'records', 'broken.json'), '{"localId": "bro');
    assert.equal((await store.list()).length, 1);
    assert.equal(warnings.length, 1);
  });

  it('pages a 100,000-entry manifest from a cold store', async () => {
    const record = await openStore().beginSubmission(submission(100_000, { keepRequests: false }));
    const cold = openStore();
    const page = await cold.manifestPage(record, 0, 100_000);
    assert.equal(page.total, 100_000);
    assert.equal(page.entries.length, 100_000);
    assert.deepEqual(page.entries[99_999], {
      customId: (99_999).toString(36).replace(/^/, 'f') + '-file_ts',
      uri: 'file:///ws/src/99999/file.ts',
      relPath: 'src/99999/file.ts',
      bytes: 6,
      sha256: 'ab'.repeat(32),
    });
    const later = await cold.manifestPage(record, 50_000, 10);
    assert.equal(later.entries[0]!.relPath, 'src/50000/file.ts');
    assert.equal(later.entries.length, 10);
  });

  it('serves the first pages from the manifest head, later ones and old records from the manifest', async () => {
    const record = await openStore().beginSubmission(submission(5_000, { keepRequests: false }));
    const cold = openStore();
    // The manifest itself unreadable: the first pages must come from the head alone.
    const manifestPath = path.join(dir, record.manifestFile!);
    const manifestText = readFileSync(manifestPath, 'utf8');
    writeFileSync(manifestPath, '{');
    const first = await cold.manifestPage(record, 0, 200);
    assert.equal(first.total, 5_000);
    assert.equal(first.entries.length, 200);
    assert.equal(first.entries[199]!.relPath, 'src/199/file.ts');
    assert.equal((await cold.manifestPage(record, 800, 200)).entries[199]!.relPath, 'src/999/file.ts');
    writeFileSync(manifestPath, manifestText);
    assert.equal((await cold.manifestPage(record, 900, 200)).entries[199]!.relPath, 'src/1099/file.ts');
    // A record written before heads existed (no head file) pages as before.
    rmSync(path.join(dir, 'manifest-heads'), { recursive: true });
    const old = await openStore().manifestPage(record, 0, 200);
    assert.deepEqual(old, first);
    // Removing the batch removes its head; a head no record names is garbage.
    const small = await openStore().beginSubmission(submission(3));
    assert.equal(readdirSync(path.join(dir, 'manifest-heads')).length, 1);
    writeFileSync(path.join(dir, 'manifest-heads', 'orphan.json'), '{}');
    assert.equal(await openStore().collectGarbage(), 1);
    assert.equal((await openStore().manifestPage(small, 0, 10)).total, 3);
  });

  it('keeps the params as sent and reads back a subset', async () => {
    const input = submission(4);
    const record = await openStore().beginSubmission(input);
    const back = await openStore().readRequests(record, new Set([input.requests[1]!.custom_id, input.requests[3]!.custom_id]));
    assert.deepEqual(back, [input.requests[1], input.requests[3]]);
  });

  it('collects manifests left behind by a crash mid-submission', async () => {
    const store = openStore();
    const record = await store.beginSubmission(submission(1));
    writeFileSync(path.join(dir, 'manifests', 'orphan.json'), '{}');
    assert.equal(await openStore().collectGarbage(), 1);
    assert.equal((await openStore().readManifest(record)).length, 1);
  });
});
