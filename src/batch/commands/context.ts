import vscode = require('vscode');
import { classifyError, type ClassifiedError } from '../../api/errors';
import { showClassifiedError } from '../../api/errorUi';
import type { Services } from '../../services';
import type { BatchesModel } from '../batchesModel';
import type { FindingsPresenter } from '../findings/findingsPresenter';
import type { ResultCacheStore } from '../results/resultCache';
import type { ReviewStore } from '../review/reviewStore';
import type { ReviewTreeProvider } from '../review/reviewTreeProvider';
import type { BatchStore } from '../store/batchStore';
import type { BatchRecord } from '../store/records';
import type { BatchNode, BatchTreeProvider } from '../tree/batchTreeProvider';

/**
 * What every batch command is built from (`(ctx) => handler`): the shared services plus the
 * batch feature's own parts, assembled once by `createBatchFeature`.
 */
export interface BatchContext {
  services: Services;
  store: BatchStore;
  model: BatchesModel;
  tree: BatchTreeProvider;
  cache: ResultCacheStore;
  /** Edit batches: parsed proposals and decisions, and the Batch Edits view. */
  reviews: ReviewStore;
  reviewTree: ReviewTreeProvider;
  /** Review batches' findings: the Problems panel, quick fixes and their store. */
  findings: FindingsPresenter;
  /** Root of the batch feature's files in global storage. */
  storageDir: string;
}

/** A command's batch argument: a tree node, a record, a batch id, or nothing (then a quick pick). */
export type RecordArg = BatchNode | BatchRecord | string | undefined;

export function classify(ctx: BatchContext, err: unknown): ClassifiedError {
  const { api } = ctx.services;
  return classifyError(err, { baseUrl: api.baseUrl().url, model: api.settings().model, secrets: api.knownSecrets() });
}

/** Shows `err` classified, with Retry when `retry` is given. */
export function fail(ctx: BatchContext, err: unknown, retry?: () => unknown): void {
  showClassifiedError(classify(ctx, err), ctx.services.log, retry);
}

/** The record a command acts on; asks with a quick pick (of those passing `filter`) when none is given. */
export async function resolveRecord(ctx: BatchContext, arg: RecordArg, filter?: (r: BatchRecord) => boolean): Promise<BatchRecord | undefined> {
  const { model } = ctx;
  if (typeof arg === 'string') return model.get(arg);
  if (arg && 'record' in arg) return (await model.get(arg.record.batchId ?? '')) ?? arg.record;
  if (arg && 'localId' in arg) return arg;
  const candidates = (await model.list()).filter((r) => r.batchId && (!filter || filter(r)));
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({ label: r.batchId!, description: vscode.l10n.t('{0} · {1} requests', r.lastKnown?.processing_status ?? '', r.requestCount), record: r })),
    { title: vscode.l10n.t('Claude: choose a batch') },
  );
  return picked?.record;
}

/** Reconciles the store with the API; only an interactive refresh shows a failure. */
export async function reconcile(ctx: BatchContext, interactive: boolean): Promise<void> {
  try {
    await ctx.model.reconcile();
  } catch (err) {
    if (interactive) fail(ctx, err);
    else ctx.services.log.info(`Batches not reconciled yet: ${classify(ctx, err).message}`);
  }
}
