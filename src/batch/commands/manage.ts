import vscode = require('vscode');
import { showClassifiedError } from '../../api/errorUi';
import { Views } from '../../constants';
import { BatchesModel } from '../batchesModel';
import { buildRetrySubmission } from '../requests/retry';
import type { BatchNode } from '../tree/batchTreeProvider';
import { classify, fail, reconcile, resolveRecord, type BatchContext, type RecordArg } from './context';
import { readWorkspaceFile } from './files';
import type { SubmitResult } from './submit';

/** `batch.refresh`: settles the store against the API, with progress on the view. */
export function refreshCommand(ctx: BatchContext) {
  return () => vscode.window.withProgress({ location: { viewId: Views.batches } }, () => reconcile(ctx, true));
}

/** `batch.cancel`: only a batch in progress. */
export function cancelBatchCommand(ctx: BatchContext) {
  return async (arg: RecordArg): Promise<boolean> => {
    const record = await resolveRecord(ctx, arg, (r) => r.lastKnown?.processing_status === 'in_progress');
    if (!record?.batchId) return false;
    if (record.lastKnown?.processing_status !== 'in_progress') {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Batch {0} is {1}; only a batch in progress can be canceled.', record.batchId, record.lastKnown?.processing_status ?? vscode.l10n.t('not created')),
      );
      return false;
    }
    try {
      await ctx.model.cancel(record.batchId);
      return true;
    } catch (err) {
      fail(ctx, err);
      return false;
    }
  };
}

/** `batch.delete`: only an ended batch, after a modal confirmation (skipped with `confirmed`). */
export function deleteBatchCommand(ctx: BatchContext) {
  return async (arg: RecordArg, opts?: { confirmed?: boolean }): Promise<boolean> => {
    const { model, cache } = ctx;
    const record = await resolveRecord(ctx, arg, (r) => r.lastKnown?.processing_status === 'ended');
    if (!record?.batchId) return false;
    if (record.lastKnown?.processing_status !== 'ended') {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Batch {0} is still {1}; cancel it first, then delete it once it has ended.', record.batchId, String(record.lastKnown?.processing_status)),
      );
      return false;
    }
    if (!opts?.confirmed) {
      const deleteLabel = vscode.l10n.t('Delete');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete batch {0}?', record.batchId),
        { modal: true, detail: vscode.l10n.t('Its results are deleted from the API and it leaves this list. Results already saved stay.') },
        deleteLabel,
      );
      if (ok !== deleteLabel) return false;
    }
    try {
      await model.delete(record.batchId);
      await cache.remove(record.batchId).catch(() => undefined);
      return true;
    } catch (err) {
      if (classify(ctx, err).kind === 'notFound') {
        // Already gone from the API (deleted elsewhere): just forget it here.
        await model.forget(record.batchId);
        await cache.remove(record.batchId).catch(() => undefined);
        return true;
      }
      fail(ctx, err);
      return false;
    }
  };
}

/** `batch.retryFailed`: a new batch of the errored, expired and canceled requests, exactly as sent. */
export function retryFailedCommand(ctx: BatchContext) {
  return async (arg: RecordArg): Promise<SubmitResult | undefined> => {
    const { model, store } = ctx;
    const record = await resolveRecord(ctx, arg, (r) => BatchesModel.hasRetryable(r));
    if (!record?.batchId) return undefined;
    try {
      // An edit result that came back but cannot be applied (cut off, unparseable) failed too.
      const reviewFailed = record.kind === 'edit' ? (await ctx.reviews.meta(record.batchId))?.failedIds ?? [] : [];
      const ids = [...new Set([...(await model.retryIds(record)), ...reviewFailed])];
      if (ids.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Batch {0} has nothing to retry.', record.batchId));
        return undefined;
      }
      const request = ctx.services.api.settings();
      const settings = ctx.services.settings();
      const plan = await buildRetrySubmission(store, record, ids, {
        readFile: (uri) => readWorkspaceFile(uri),
        options: {
          model: record.model || request.model,
          maxTokens: request.maxTokens,
          instruction: record.instruction || settings['prompts.summarize'],
          maxFileBytes: settings['batch.maxFileBytes'],
        },
      });
      if (plan.requests.length === 0) {
        void vscode.window.showWarningMessage(
          record.origin === 'external'
            ? vscode.l10n.t('Batch {0} was created elsewhere: its requests are unknown here, so it cannot be retried.', record.batchId)
            : vscode.l10n.t('Nothing to retry in {0}: {1} requests could not be rebuilt.', record.batchId, plan.missing.length),
        );
        return undefined;
      }
      const outcome = await model.submit({
        model: record.model || request.model,
        instruction: record.instruction,
        requests: plan.requests,
        manifest: plan.manifest,
        parentBatchId: record.batchId,
        ...(record.kind ? { kind: record.kind } : {}),
      });
      const batchIds = outcome.created.map((r) => r.batchId!);
      if (outcome.failure) {
        const c = classify(ctx, outcome.failure);
        showClassifiedError({ ...c, message: vscode.l10n.t('Retry batch not created: {0}', c.message) }, ctx.services.log);
        return { status: 'failed', message: c.message, batchIds };
      }
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude: retrying {0} requests of {1} in {2}.', plan.requests.length, record.batchId, batchIds.join(', ')));
      return { status: 'submitted', batchIds, requests: plan.requests.length, skipped: plan.skipped };
    } catch (err) {
      fail(ctx, err);
      return undefined;
    }
  };
}

/** `batch.copyId`. */
export function copyIdCommand(ctx: BatchContext) {
  return async (arg: RecordArg): Promise<string | undefined> => {
    const record = await resolveRecord(ctx, arg);
    if (!record?.batchId) return undefined;
    await vscode.env.clipboard.writeText(record.batchId);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', record.batchId), 3000);
    return record.batchId;
  };
}

/** The tree's "Load more" row. */
export function loadMoreCommand(ctx: BatchContext) {
  return (node: BatchNode) => ctx.tree.loadMore(node);
}
