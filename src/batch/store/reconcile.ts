import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { totalRequests, type BatchRecord } from './records';

/** A pending record matches API batches created from 2 min before to 10 min after it. */
export const MATCH_BEFORE_MS = 2 * 60_000;
export const MATCH_AFTER_MS = 10 * 60_000;
/** A pending record older than this with no matching batch is a create that never happened. */
export const ORPHAN_AFTER_MS = 10 * 60_000;

/**
 * Pairs pending records with untracked batches of the same request count created within
 * [createdAt - 2 min, createdAt + 10 min], closest pairs first. Closest-first over all pairs
 * (not record by record, oldest first): an older record whose create never happened must not
 * take the batch of a newer record that was created seconds after it was written.
 */
export function matchPending(records: readonly BatchRecord[], candidates: readonly MessageBatch[]): Map<string, MessageBatch> {
  const pairs: { record: BatchRecord; batch: MessageBatch; distance: number }[] = [];
  for (const record of records) {
    const t = Date.parse(record.createdAt);
    for (const batch of candidates) {
      if (totalRequests(batch.request_counts) !== record.requestCount) continue;
      const created = Date.parse(batch.created_at);
      if (created < t - MATCH_BEFORE_MS || created > t + MATCH_AFTER_MS) continue;
      pairs.push({ record, batch, distance: Math.abs(created - t) });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance || a.record.createdAt.localeCompare(b.record.createdAt));
  const byRecord = new Map<string, MessageBatch>();
  const taken = new Set<string>();
  for (const { record, batch } of pairs) {
    if (byRecord.has(record.localId) || taken.has(batch.id)) continue;
    byRecord.set(record.localId, batch);
    taken.add(batch.id);
  }
  return byRecord;
}
