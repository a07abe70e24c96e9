import { english, type Localizer } from '../../l10n';
import type { ManifestEntry } from '../requests/requestBuilder';
import type { ResultState } from '../results/mapResult';
import type { BatchRecord, BatchSnapshot } from '../store/records';

/** Wording of the Batches view and its notifications, computed without `vscode` (the host passes `vscode.l10n`). */

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
export function describeBatch(batch: BatchLike, now: Date, record?: Partial<BatchRecord>, l10n: Localizer = english): ItemDescription {
  const id = batch.id ?? record?.batchId ?? '';
  const c = batch.request_counts;
  const total = c.processing + c.succeeded + c.errored + c.canceled + c.expired;
  const status = batch.processing_status;
  const parts: string[] = [];
  if (status === 'ended') {
    parts.push(l10n.t('{0}/{1} succeeded', c.succeeded, total));
  } else if (c.processing > 0) {
    parts.push(l10n.t('{0}/{1} processing', c.processing, total));
  }
  if (c.errored) parts.push(l10n.t('{0} errored', c.errored));
  if (c.expired) parts.push(l10n.t('{0} expired', c.expired));
  if (c.canceled) parts.push(l10n.t('{0} canceled', c.canceled));
  if (status === 'in_progress') parts.push(l10n.t('ends in {0}', formatDuration(Date.parse(batch.expires_at) - now.getTime(), l10n)));
  else if (status === 'canceling') parts.push(l10n.t('canceling'));
  else if (batch.ended_at) parts.push(l10n.t('ended {0} ago', formatDuration(now.getTime() - Date.parse(batch.ended_at), l10n)));

  const label = record?.origin === 'local' && record.requestCount !== undefined
    ? filesLabel(record.requestCount, batch.created_at, l10n)
    : id;
  const instruction = record?.instruction?.trim().replace(/\s+/g, ' ');
  const tooltip = [
    id,
    record?.model ? l10n.t('Model: {0}', record.model) : undefined,
    instruction ? l10n.t('Instruction: {0}', instruction.length > 80 ? `${instruction.slice(0, 79)}…` : instruction) : undefined,
    l10n.t('Requests: {0}', total),
    l10n.t('Created: {0}', formatLocal(batch.created_at)),
    l10n.t('Status: {0}', statusText(status, l10n)),
    status === 'ended' && batch.ended_at
      ? l10n.t('Ended: {0}', formatLocal(batch.ended_at))
      : l10n.t('Expires: {0} (in {1}, if not done by then)', formatLocal(batch.expires_at), formatDuration(Date.parse(batch.expires_at) - now.getTime(), l10n)),
    record?.parentBatchId ? l10n.t('Retry of {0}', record.parentBatchId) : undefined,
    record?.origin === 'external' ? l10n.t('Created outside this extension (no manifest)') : undefined,
    status === 'ended' ? l10n.t('Open Results or Save Results from the context menu') : undefined,
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

/** "3 files · 2026-05-01 10:00 UTC": a local batch's label. */
function filesLabel(count: number, createdAt: string, l10n: Localizer): string {
  return count === 1 ? l10n.t('{0} file · {1}', count, formatLocal(createdAt)) : l10n.t('{0} files · {1}', count, formatLocal(createdAt));
}

/** A batch's processing status in words ("in progress"). */
function statusText(status: string, l10n: Localizer): string {
  if (status === 'in_progress') return l10n.t('in progress');
  if (status === 'canceling') return l10n.t('canceling');
  if (status === 'ended') return l10n.t('ended');
  return status.replace('_', ' ');
}

/** A request's result state in words, for the tree and the result pick ("succeeded", "processing"). */
export function resultStateText(state: string, l10n: Localizer = english): string {
  switch (state) {
    case 'succeeded':
      return l10n.t('succeeded');
    case 'errored':
      return l10n.t('errored');
    case 'expired':
      return l10n.t('expired');
    case 'canceled':
      return l10n.t('canceled');
    case 'processing':
      return l10n.t('processing');
    default:
      return state;
  }
}

/** A submission not yet confirmed by the API (write-ahead record). */
export function describePendingRecord(record: BatchRecord, l10n: Localizer = english): ItemDescription {
  return {
    label: filesLabel(record.requestCount, record.createdAt, l10n),
    description: l10n.t('submitting…'),
    tooltip: l10n.t('Submitting {0} requests to {1}', record.requestCount, record.model),
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
  l10n: Localizer = english,
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
    description: [folder, resultState && resultStateText(resultState, l10n)].filter(Boolean).join(' · '),
    tooltip: [
      rel ?? entry.customId,
      `custom_id: ${entry.customId}`,
      resultStateText(state, l10n),
      resultState ? l10n.t('Click to open its result') : l10n.t('Its result opens here once the batch has ended'),
    ].join('\n'),
    icon,
    contextValue: `claudeEvents:request:${state}`,
  };
}

/** "45s", "12m", "5h", "2d": the largest whole unit, never negative. */
export function formatDuration(ms: number, l10n: Localizer = english): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return l10n.t('{0}s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return l10n.t('{0}m', m);
  const h = Math.floor(m / 60);
  if (h < 48) return l10n.t('{0}h', h);
  return l10n.t('{0}d', Math.floor(h / 24));
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
  l10n: Localizer = english,
): string {
  const parts = [l10n.t('{0} succeeded', counts.succeeded)];
  if (counts.errored > 0) parts.push(l10n.t('{0} errored', counts.errored));
  if (counts.expired > 0) parts.push(l10n.t('{0} expired', counts.expired));
  if (counts.canceled > 0) parts.push(l10n.t('{0} canceled', counts.canceled));
  return whileClosed
    ? l10n.t('Batch {0} ended while VS Code was closed: {1}', batchId, parts.join(', '))
    : l10n.t('Batch {0} ended: {1}', batchId, parts.join(', '));
}
