import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import vscode = require('vscode');
import { presentReview } from '../findings/reviewResults';
import type { ManifestEntry } from '../requests/requestBuilder';
import { mapResult, type MappedResult } from '../results/mapResult';
import { openResultDocument, presentInEditor, presentInFolder, resultsRoot } from '../results/resultsPresenter';
import type { ResultsLocation } from '../../settings';
import type { BatchRecord } from '../store/records';
import type { BatchNode } from '../tree/batchTreeProvider';
import { resultStateText } from '../tree/labels';
import { fail, resolveRecord, type BatchContext, type RecordArg } from './context';
import { openEditReview } from './review';

/** Writes or opens a stream of results where `location` says; shared by batches and Run now. */
export async function presentResults(
  ctx: BatchContext,
  id: string,
  source: AsyncIterable<MessageBatchIndividualResponse>,
  manifest: ReadonlyMap<string, ManifestEntry>,
  location: ResultsLocation,
  modelName?: string,
  onResult?: (count: number, mapped: MappedResult) => void,
) {
  if (location === 'folder') {
    const root = resultsRoot(ctx.services.settings()['batch.resultsFolder']);
    const { counts } = await presentInFolder(root, id, source, manifest, modelName ? { model: modelName } : {});
    return { location, written: counts.written, unchanged: counts.unchanged };
  }
  const out = await presentInEditor(id, source, manifest, { cache: ctx.cache, ...(modelName ? { model: modelName } : {}), ...(onResult ? { onResult } : {}) });
  return { location, total: out.total, opened: out.opened.length };
}

/** `batch.openResults` (and, with `forced` = folder, `batch.saveResults`): every result of an ended batch. */
export function openResultsCommand(ctx: BatchContext, forced?: ResultsLocation) {
  const run = async (arg: RecordArg) => {
    const { model, store, tree } = ctx;
    const record = await resolveRecord(ctx, arg, (r) => r.lastKnown?.processing_status === 'ended');
    if (!record?.batchId) return undefined;
    if (record.lastKnown?.processing_status !== 'ended') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Batch {0} has not ended yet; results are available once it has.', record.batchId));
      return undefined;
    }
    // An edit batch's results are proposals to review, not documents (Save to Folder keeps the documents).
    if (record.kind === 'edit' && !forced) return openEditReview(ctx, record);
    // Review findings go to the Problems panel (Save Results still writes the raw answers).
    if (record.kind === 'review' && !forced) return presentReview(ctx, record);
    const location = forced ?? ctx.services.settings()['batch.resultsLocation'];
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: fetching results of {0}', record.batchId) },
        async (progress) => {
          const manifest = await store.manifestLookup(record);
          const total = record.requestCount > 0 ? record.requestCount : 0;
          let shown = 0;
          const counted = countResults(await model.resultsRecordingStates(record.batchId!), (n) => {
            // At most ~100 updates, whatever the batch size.
            if (total && n - shown < total / 100 && n !== total) return;
            progress.report({ message: total ? `${n}/${total}` : `${n}`, ...(total ? { increment: ((n - shown) / total) * 100 } : {}) });
            shown = n;
          });
          const out = await presentResults(ctx, record.batchId!, counted, manifest, location, record.model || undefined);
          tree.refresh();
          return out;
        },
      );
    } catch (err) {
      fail(ctx, err, () => run(record));
      return undefined;
    }
  };
  return run;
}

/** `batch.openResult`: one result, from the cache or fetched (the JSONL is scanned, not held). */
export function openResultCommand(ctx: BatchContext) {
  return async (arg?: BatchNode | { batchId: string; customId: string }) => {
    const { model, store, cache } = ctx;
    let record: BatchRecord | undefined;
    let customId: string | undefined;
    if (arg && 'kind' in arg) {
      record = arg.record;
      if (arg.kind === 'request') customId = arg.customId;
    } else if (arg && 'batchId' in arg) {
      // "Run now" results (and cached batch results) open from the cache, with no record.
      const cached = await cache.get(arg.batchId, arg.customId).catch(() => undefined);
      if (cached) return openResultDocument(arg.batchId, cached);
      record = await model.get(arg.batchId);
      customId = arg.customId;
      if (!record) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The result {0} of {1} is no longer available.', arg.customId, arg.batchId));
        return undefined;
      }
    } else {
      record = await resolveRecord(ctx, undefined, (r) => r.lastKnown?.processing_status === 'ended');
    }
    if (!record?.batchId) return undefined;
    if (!customId) {
      const page = await model.requestPage(record, 0, Number.MAX_SAFE_INTEGER);
      const picked = await vscode.window.showQuickPick(
        page.rows.map((r) => ({ label: r.relPath ?? r.customId, description: r.state ? resultStateText(r.state, vscode.l10n) : '', id: r.customId })),
        { title: vscode.l10n.t('Claude: open a result of {0}', record.batchId), matchOnDescription: true },
      );
      if (!picked) return undefined;
      customId = picked.id;
    }
    try {
      const cached = await cache.get(record.batchId, customId);
      if (cached) return await openResultDocument(record.batchId, cached);
      const manifest = await store.manifestLookup(record);
      const wanted = customId;
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Claude: fetching the result of {0}', manifest.get(wanted)?.relPath ?? wanted) },
        async () => {
          for await (const line of await model.results(record!.batchId!)) {
            if (line.custom_id === wanted) return mapResult(line, manifest.get(wanted), vscode.l10n);
          }
          return undefined;
        },
      );
      if (found) {
        await cache.put(record.batchId, found);
        return await openResultDocument(record.batchId, found);
      }
      void vscode.window.showWarningMessage(vscode.l10n.t('No result for {0} in batch {1}.', customId, record.batchId));
    } catch (err) {
      fail(ctx, err);
    }
    return undefined;
  };
}

/** Passes `source` through, calling `onEach` with the running count after each item. */
export async function* countResults<T>(source: AsyncIterable<T>, onEach: (count: number, item: T) => void): AsyncGenerator<T> {
  let n = 0;
  for await (const item of source) {
    yield item;
    onEach(++n, item);
  }
}
