import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { ReadFilePort } from '../store/fsPort';
import { buildBatchRequests } from './requestBuilder';
import type { BatchRequestParams, BuildOptions, CandidateFile, ManifestEntry, SkippedFile } from './requestBuilder';
import type { ResultState } from '../results/mapResult';
import type { BatchStore } from '../store/batchStore';
import type { BatchRecord } from '../store/records';

/** Result states worth retrying: everything but success. */
export const RETRYABLE_STATES: ReadonlySet<ResultState> = new Set(['errored', 'expired', 'canceled']);

/** The custom_ids of the errored, expired and canceled results, in the order they came. */
export async function selectRetryIds(
  results: AsyncIterable<MessageBatchIndividualResponse> | Iterable<MessageBatchIndividualResponse>,
): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  for await (const line of results) {
    if (RETRYABLE_STATES.has(line.result.type) && !seen.has(line.custom_id)) {
      seen.add(line.custom_id);
      ids.push(line.custom_id);
    }
  }
  return ids;
}

/** Same selection from remembered states (custom_id → state). */
export function selectRetryIdsFromStates(states: Iterable<readonly [string, ResultState]>): string[] {
  const ids: string[] = [];
  for (const [id, state] of states) if (RETRYABLE_STATES.has(state)) ids.push(id);
  return ids;
}

/** A ready-to-submit retry: pass to `BatchStore.beginSubmission` with `parentBatchId`. */
export interface RetryPlan {
  parentBatchId: string;
  requests: BatchRequestParams[];
  manifest: ManifestEntry[];
  /** `stored`: the exact params sent before; `reread`: rebuilt from the files. */
  source: 'stored' | 'reread';
  /** Ids that could not be rebuilt (not in the manifest, or their file is now unusable). */
  missing: string[];
  /** Rebuilt from files whose content differs from what was sent the first time. */
  changed: string[];
  skipped: SkippedFile[];
}

export interface RereadFallback {
  readFile: ReadFilePort;
  options: BuildOptions;
}

/**
 * Builds the retry of `ids` from `record`. Prefers the params stored at submission (so the
 * retry sends exactly what was sent, even if files changed since); without them, re-reads the
 * files through `fallback`, keeps the original custom_ids and reports files that changed.
 */
export async function buildRetrySubmission(
  store: BatchStore,
  record: BatchRecord,
  ids: readonly string[],
  fallback?: RereadFallback,
): Promise<RetryPlan> {
  if (!record.batchId) throw new Error('Only a created batch can be retried');
  const wanted = new Set(ids);
  const lookup = await store.manifestLookup(record);
  const stored = await store.readRequests(record, wanted);
  if (stored) {
    const requests = stored.filter((r) => lookup.has(r.custom_id));
    const found = new Set(requests.map((r) => r.custom_id));
    return {
      parentBatchId: record.batchId,
      requests,
      manifest: requests.map((r) => lookup.get(r.custom_id) as ManifestEntry),
      source: 'stored',
      missing: ids.filter((id) => !found.has(id)),
      changed: [],
      skipped: [],
    };
  }
  if (!fallback) throw new Error('The requests of this batch were not kept; re-reading the files needs a reader');
  const entries = ids.flatMap((id) => lookup.get(id) ?? []);
  const candidates: CandidateFile[] = entries.map((e) => ({ uri: e.uri, relPath: e.relPath, size: e.bytes }));
  const built = await buildBatchRequests(candidates, fallback.readFile, {
    ...fallback.options,
    customIdFor: (_file, index) => (entries[index] as ManifestEntry).customId,
  });
  const found = new Set(built.manifest.map((m) => m.customId));
  return {
    parentBatchId: record.batchId,
    requests: built.requests,
    manifest: built.manifest,
    source: 'reread',
    missing: ids.filter((id) => !found.has(id)),
    changed: built.manifest.filter((m) => lookup.get(m.customId)?.sha256 !== m.sha256).map((m) => m.customId),
    skipped: built.skipped,
  };
}
