import type { MessageBatch, MessageBatchRequestCounts } from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchKind } from '../requests/kinds';

export type RecordState = 'pending-create' | 'created' | 'failed-create';

/** What we last heard from the API about a batch (wire names kept). */
export interface BatchSnapshot {
  processing_status: MessageBatch['processing_status'];
  request_counts: MessageBatchRequestCounts;
  created_at: string;
  ended_at: string | null;
  expires_at: string;
  cancel_initiated_at: string | null;
  archived_at: string | null;
  results_url: string | null;
}

export interface BatchRecord {
  localId: string;
  state: RecordState;
  batchId?: string;
  /** Local clock, written before `batches.create` is called. */
  createdAt: string;
  /** The API's `created_at`. */
  apiCreatedAt?: string;
  /** Empty for external batches (unknown). */
  model: string;
  instruction: string;
  requestCount: number;
  /** Store-relative path of the manifest; absent for external batches. */
  manifestFile?: string;
  /** Store-relative path of the request params as sent (JSONL); absent when not kept. */
  requestsFile?: string;
  /** The batch this one retries. */
  parentBatchId?: string;
  /** What the batch does; absent means `answer`. */
  kind?: BatchKind;
  origin: 'local' | 'external';
  lastKnown?: BatchSnapshot;
  /** Local time of the last `lastKnown` change. */
  updatedAt?: string;
}

/** Sum of a batch's request counts: its total number of requests at any stage. */
export function totalRequests(counts: MessageBatchRequestCounts): number {
  return counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
}

/** The fields of a `MessageBatch` worth keeping. */
export function snapshotOf(batch: MessageBatch): BatchSnapshot {
  return {
    processing_status: batch.processing_status,
    request_counts: { ...batch.request_counts },
    created_at: batch.created_at,
    ended_at: batch.ended_at ?? null,
    expires_at: batch.expires_at,
    cancel_initiated_at: batch.cancel_initiated_at ?? null,
    archived_at: batch.archived_at ?? null,
    results_url: batch.results_url ?? null,
  };
}

/** Deterministic local id for an external batch (file-name safe). */
export function externalLocalId(batchId: string): string {
  return `ext-${batchId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
