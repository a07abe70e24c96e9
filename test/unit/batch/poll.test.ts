import * as assert from 'node:assert/strict';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { MAX_ERROR_DELAY_MS, MAX_POLL_DELAY_MS, nextPollDelay, shouldPoll } from '../../../src/batch/poll';
import { describeBatch, describePendingRecord, describeRequest, formatDuration } from '../../../src/batch/tree/labels';
import type { BatchRecord } from '../../../src/batch/store/records';
import { fixtureJson } from './helpers';

describe('batch/poll', () => {
  it('backs off by 1.5x while nothing changes, capped at 10 minutes', () => {
    const d = (unchangedPolls: number) => nextPollDelay({ baseSeconds: 30, unchangedPolls, consecutiveErrors: 0 });
    assert.equal(d(0), 30_000);
    assert.equal(d(1), 45_000);
    assert.equal(d(2), 67_500);
    assert.equal(d(50), MAX_POLL_DELAY_MS);
  });

  it('backs off exponentially on errors with injected jitter, capped at 5 minutes', () => {
    const d = (consecutiveErrors: number, r: number) => nextPollDelay({ baseSeconds: 10, unchangedPolls: 0, consecutiveErrors }, () => r);
    assert.equal(d(1, 0.5), 20_000);
    assert.equal(d(1, 0), 16_000);
    assert.equal(d(1, 1), 24_000);
    assert.equal(d(3, 0.5), 80_000);
    assert.equal(d(20, 1), MAX_ERROR_DELAY_MS);
  });

  it('polls only batches still working', () => {
    assert.equal(shouldPoll('in_progress'), true);
    assert.equal(shouldPoll('canceling'), true);
    assert.equal(shouldPoll('ended'), false);
    assert.equal(shouldPoll(undefined), false);
  });

  const inProgress = fixtureJson<MessageBatch>('02-message-batch-in_progress.json');
  const canceling = fixtureJson<MessageBatch>('03-message-batch-canceling.json');
  const ended = fixtureJson<MessageBatch>('06-message-batch-ended.SYNTHESIZED.json');

  it('describes an in-progress batch', () => {
    const now = new Date(Date.parse(inProgress.created_at) + 19 * 3600_000);
    const record: Partial<BatchRecord> = { origin: 'local', requestCount: 2, model: 'claude-opus-5' };
    const d = describeBatch(inProgress, now, record);
    assert.equal(d.label, '2 files · 2024-09-24 18:37 UTC');
    assert.equal(d.description, '2/2 processing · ends in 5h');
    assert.equal(d.icon, 'sync~spin');
    assert.equal(d.contextValue, 'claudeEvents:batch:in_progress');
    assert.ok(d.tooltip.includes('msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d'));
    assert.ok(d.tooltip.includes('Model: claude-opus-5'));
    assert.ok(d.tooltip.includes('Requests: 2'));
    assert.ok(d.tooltip.includes('Created: 2024-09-24 18:37 UTC'), d.tooltip);
    assert.match(d.tooltip, /Expires: .+ UTC \(in 5h, if not done by then\)/);
    assert.ok(!d.tooltip.includes('Open Results'));
  });

  it('describes canceling and ended batches', () => {
    const now = new Date(Date.parse(ended.ended_at!) + 2 * 3600_000);
    const c = describeBatch(canceling, now);
    assert.equal(c.description, '2/2 processing · canceling');
    assert.equal(c.contextValue, 'claudeEvents:batch:canceling');
    assert.equal(c.label, 'msgbatch_013Zva2CMHLNnXjNJJKqJ2EF');
    const e = describeBatch(ended, now, { origin: 'external' });
    assert.equal(e.description, '2/5 succeeded · 1 errored · 1 expired · 1 canceled · ended 2h ago');
    assert.equal(e.icon, 'error');
    assert.equal(e.contextValue, 'claudeEvents:batch:ended');
    assert.ok(e.tooltip.includes('no manifest'));
    assert.match(e.tooltip, /Ended: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.ok(e.tooltip.includes('Open Results or Save Results'));
    const clean = { ...ended, request_counts: { processing: 0, succeeded: 3, errored: 0, expired: 0, canceled: 0 } };
    assert.equal(describeBatch(clean, now).icon, 'check');
    assert.equal(describeBatch(clean, now).description, '3/3 succeeded · ended 2h ago');
  });

  it('describes pending records and requests', () => {
    const pending = describePendingRecord({ localId: 'l', state: 'pending-create', createdAt: '2026-05-01T10:00:00.000Z', model: 'm', instruction: '', requestCount: 1, origin: 'local' });
    assert.equal(pending.icon, 'clock');
    assert.equal(pending.label, '1 file · 2026-05-01 10:00 UTC');
    const r = describeRequest({ customId: 'f1-app_ts', relPath: 'src/app.ts' }, 'errored');
    assert.deepEqual([r.label, r.description, r.icon, r.contextValue], ['app.ts', 'src · errored', 'error', 'claudeEvents:request:errored']);
    const p = describeRequest({ customId: 'f1-app_ts' });
    assert.deepEqual([p.label, p.contextValue], ['f1-app_ts', 'claudeEvents:request:processing']);
    assert.deepEqual([formatDuration(-5), formatDuration(90_000), formatDuration(3 * 86400_000)], ['0s', '1m', '3d']);
  });
});
