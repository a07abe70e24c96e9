import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import vscode = require('vscode');
import type { ManifestEntry } from '../requests/requestBuilder';
import { fail, type BatchContext } from '../commands/context';
import type { BatchRecord } from '../store/records';
import { collectFindings } from './collectFindings';
import { countFindings, failedMarkdown, findingsSource, insideWorkspace, lineLengths, summaryMessage, type FailedReview } from './findings';

/** What Open Results of a review batch returns (tests read it). */
export interface ReviewOutcome {
  location: 'problems';
  results: number;
  findings: number;
  files: number;
  failed: number;
  /** What the notification's Show Failed runs: the failed results as a markdown document. */
  showFailed(): Promise<vscode.TextDocument>;
}

/**
 * Open Results of a review batch: streams its results, parses each into findings, keeps them
 * (they survive a reload until cleared) and shows them in the Problems panel under the batch's
 * source, then reveals the panel with a summary. Failed results are listed on demand.
 */
export async function presentReview(ctx: BatchContext, record: BatchRecord): Promise<ReviewOutcome | undefined> {
  const batchId = record.batchId!;
  try {
    return await presentFindings(ctx, {
      id: batchId,
      instruction: record.instruction,
      total: record.requestCount,
      manifest: await ctx.store.manifestLookup(record),
      lines: await ctx.model.resultsRecordingStates(batchId),
    });
  } catch (err) {
    fail(ctx, err, () => presentReview(ctx, record));
    return undefined;
  }
}

/** The results of a review batch or of a review Run now (`id` is the run's then), as findings. */
export async function presentFindings(
  ctx: BatchContext,
  input: { id: string; instruction: string; total: number; manifest: ReadonlyMap<string, ManifestEntry>; lines: AsyncIterable<MessageBatchIndividualResponse> },
): Promise<ReviewOutcome> {
  const batchId = input.id;
  const collected = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: reading the findings of {0}', batchId) },
    async (progress) => {
      const manifest = input.manifest;
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
      const total = input.total;
      let shown = 0;
      return collectFindings(
        input.lines,
        {
          manifest,
          inWorkspace: (uri) => insideWorkspace(vscode.Uri.parse(uri).toString(), roots),
          lineLengths: readLineLengths,
          l10n: vscode.l10n,
        },
        (n) => {
          // At most ~100 updates, whatever the batch size.
          if (total && n - shown < total / 100 && n !== total) return;
          progress.report({ message: total ? `${n}/${total}` : `${n}`, ...(total ? { increment: ((n - shown) / total) * 100 } : {}) });
          shown = n;
        },
      );
    },
  );
  await ctx.findings.show({ batchId, source: findingsSource(batchId, input.instruction, vscode.l10n), files: collected.files });
  ctx.tree.refresh();
  const findings = countFindings(collected.files);
  for (const f of collected.failed.filter((x) => x.refused)) {
    ctx.services.log.warn(`Review ${batchId}: ${f.relPath ?? f.customId}: ${f.reason}`);
  }
  await vscode.commands.executeCommand('workbench.actions.view.problems').then(undefined, () => undefined);
  const outcome: ReviewOutcome = {
    location: 'problems',
    results: collected.results,
    findings,
    files: collected.files.length,
    failed: collected.failed.length,
    showFailed: () => showFailed(batchId, collected.failed),
  };
  const message = vscode.l10n.t('Claude: {0} (batch {1}).', summaryMessage(findings, collected.files.length, collected.failed.length, vscode.l10n), batchId);
  const showFailedLabel = vscode.l10n.t('Show Failed');
  void Promise.resolve(vscode.window.showInformationMessage(message, ...(collected.failed.length ? [showFailedLabel] : []))).then((pick) => {
    if (pick === showFailedLabel) void outcome.showFailed();
  });
  return outcome;
}

/** The failed results as an untitled markdown document (nothing is written to the workspace). */
export async function showFailed(batchId: string, failed: readonly FailedReview[]): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: failedMarkdown(batchId, failed, vscode.l10n) });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Line lengths of the file as the editor has it (an open document may have unsaved changes). */
async function readLineLengths(uri: string): Promise<readonly number[] | undefined> {
  const target = vscode.Uri.parse(uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (open) return Array.from({ length: open.lineCount }, (_, i) => open.lineAt(i).text.length);
  try {
    return lineLengths(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)));
  } catch {
    return undefined;
  }
}
