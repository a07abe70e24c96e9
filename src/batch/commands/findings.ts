import vscode = require('vscode');
import { countFindings } from '../findings/findings';
import type { BatchContext, RecordArg } from './context';

/**
 * `batch.clearFindings`: removes a review batch's findings from the Problems panel and from
 * storage. From the tree (an ended review batch), with a batch id, or from the palette (a quick
 * pick of the batches that have findings).
 */
export function clearFindingsCommand(ctx: BatchContext) {
  return async (arg?: RecordArg): Promise<boolean> => {
    let batchId: string | undefined;
    if (typeof arg === 'string') batchId = arg;
    else if (arg && 'record' in arg) batchId = arg.record.batchId;
    else if (arg && 'localId' in arg) batchId = arg.batchId;
    else {
      const all = await ctx.findings.list();
      if (all.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Claude: no batch has findings to clear.'));
        return false;
      }
      const picked = await vscode.window.showQuickPick(
        all.map((b) => ({ label: b.source, description: vscode.l10n.t('{0} findings in {1} files', countFindings(b.files), b.files.length), batchId: b.batchId })),
        { title: vscode.l10n.t('Claude: clear the findings of a batch') },
      );
      batchId = picked?.batchId;
    }
    if (!batchId) return false;
    const cleared = await ctx.findings.clear(batchId);
    if (cleared) ctx.services.log.info(`Cleared the findings of ${batchId}`);
    else void vscode.window.showInformationMessage(vscode.l10n.t('Claude: batch {0} has no findings to clear.', batchId));
    return cleared;
  };
}

/** The quick fix's follow-up (internal): the applied finding leaves the Problems panel. */
export function findingAppliedCommand(ctx: BatchContext) {
  return (batchId: string, uri: string, index: number, message: string) => ctx.findings.findingApplied(batchId, uri, index, message);
}
