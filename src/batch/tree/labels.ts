import type { ManifestEntry } from '../requests/requestBuilder';
import type { ResultState } from '../results/mapResult';
import type { BatchRecord, BatchSnapshot } from '../store/records';

/** Wording of the Batches view and its notifications, computed without `vscode`. */

export type BatchIcon = 'sync~spin' | 'check' | 'error' | 'circle-slash' | 'clock';

/** Everything a tree item needs, computed without `vscode`. */
export interface ItemDescription {
  label: string;
  description: string;
  tooltip: string;
  icon: BatchIcon;
  contextValue: string;
}

type BatchLike = Pick<BatchSnapshot, 'processing_status' | 'request_counts' | 'created_at' | 'ended_at' | 'expires_at'> & {
  id?: string;
};

/**
 * The tree item of a batch: label (files and model, or the id for external batches), a count
 * line such as "3/5 succeeded · 1 errored · ends in 5h", an icon and a `contextValue` that
 * gates the menus (`claudeEvents:batch:in_progress|canceling|ended`).
 */
export function describeBatch(batch: BatchLike, now: Date, record?: Partial<BatchRecord>): ItemDescription {
  const id = batch.id ?? record?.batchId ?? '';
  const c = batch.request_counts;
  const total = c.processing + c.succeeded + c.errored + c.canceled + c.expired;
  const status = batch.processing_status;
  const parts: string[] = [];
  if (status === 'ended') {
    parts.push(`${c.succeeded}/${total} succeeded`);
  } else if (c.processing > 0) {
    parts.push(`${c.processing}/${total} processing`);
  }
  if (c.errored) parts.push(`${c.errored} errored`);
  if (c.expired) parts.push(`${c.expired} expired`);
  if (c.canceled) parts.push(`${c.canceled} canceled`);
  if (status === 'in_progress') parts.push(`ends in ${formatDuration(Date.parse(batch.expires_at) - now.getTime())}`);
  else if (status === 'canceling') parts.push('canceling');
  else if (batch.ended_at) parts.push(`ended ${formatDuration(now.getTime() - Date.parse(batch.ended_at))} ago`);

  const label = record?.origin === 'local' && record.requestCount !== undefined
    ? `${record.requestCount} ${record.requestCount === 1 ? 'file' : 'files'} · ${formatLocal(batch.created_at)}`
    : id;
  const instruction = record?.instruction?.trim().replace(/\s+/g, ' ');
  const tooltip = [
    id,
    record?.model ? `Model: ${record.model}` : undefined,
    instruction ? `Instruction: ${instruction.length > 80 ? `${instruction.slice(0, 79)}…` : instruction}` : undefined,
    `Requests: ${total}`,
    `Created: ${formatLocal(batch.created_at)}`,
    `Status: ${status.replace('_', ' ')}`,
    status === 'ended' && batch.ended_at
      ? `Ended: ${formatLocal(batch.ended_at)}`
      : `Expires: ${formatLocal(batch.expires_at)} (in ${formatDuration(Date.parse(batch.expires_at) - now.getTime())}, if not done by then)`,
    record?.parentBatchId ? `Retry of ${record.parentBatchId}` : undefined,
    record?.origin === 'external' ? 'Created outside this extension (no manifest)' : undefined,
    status === 'ended' ? 'Open Results or Save Results from the context menu' : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    label,
    description: parts.join(' · '),
    tooltip,
    icon: batchIcon(batch),
    contextValue: `claudeEvents:batch:${status}`,
  };
}

/** A submission not yet confirmed by the API (write-ahead record). */
export function describePendingRecord(record: BatchRecord): ItemDescription {
  return {
    label: `${record.requestCount} ${record.requestCount === 1 ? 'file' : 'files'} · ${formatLocal(record.createdAt)}`,
    description: 'submitting…',
    tooltip: `Submitting ${record.requestCount} requests to ${record.model}`,
    icon: 'clock',
    contextValue: 'claudeEvents:batch:pending',
  };
}

function batchIcon(batch: BatchLike): BatchIcon {
  if (batch.processing_status !== 'ended') return 'sync~spin';
  const c = batch.request_counts;
  if (c.errored > 0) return 'error';
  if (c.canceled > 0) return 'circle-slash';
  if (c.expired > 0) return 'clock';
  return 'check';
}

/**
 * The child item of a request: the file name, its folder and result state
 * (`claudeEvents:request:<succeeded|errored|expired|canceled|processing>`).
 */
export function describeRequest(
  entry: Pick<ManifestEntry, 'customId'> & Partial<Pick<ManifestEntry, 'relPath'>>,
  resultState?: ResultState,
): ItemDescription {
  const rel = entry.relPath;
  const slash = rel ? rel.lastIndexOf('/') : -1;
  const label = rel ? rel.slice(slash + 1) : entry.customId;
  const folder = rel && slash > 0 ? rel.slice(0, slash) : '';
  const state = resultState ?? 'processing';
  const icon: BatchIcon =
    state === 'succeeded' ? 'check' : state === 'errored' ? 'error' : state === 'canceled' ? 'circle-slash' : state === 'expired' ? 'clock' : 'sync~spin';
  return {
    label,
    description: [folder, resultState].filter(Boolean).join(' · '),
    tooltip: `${rel ?? entry.customId}\ncustom_id: ${entry.customId}\n${state}` +
      (resultState ? '\nClick to open its result' : '\nIts result opens here once the batch has ended'),
    icon,
    contextValue: `claudeEvents:request:${state}`,
  };
}

/** "45s", "12m", "5h", "2d": the largest whole unit, never negative. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function formatLocal(iso: string): string {
  // ISO date and minutes: locale-independent so tests and screenshots are stable.
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** "Batch msgbatch_… ended: 3 succeeded, 1 errored". */
export function endedMessage(
  batchId: string,
  counts: { succeeded: number; errored: number; expired: number; canceled: number },
  whileClosed = false,
): string {
  const parts = (['succeeded', 'errored', 'expired', 'canceled'] as const)
    .filter((k) => counts[k] > 0 || k === 'succeeded')
    .map((k) => `${counts[k]} ${k}`);
  return `Batch ${batchId} ended${whileClosed ? ' while VS Code was closed' : ''}: ${parts.join(', ')}`;
}
