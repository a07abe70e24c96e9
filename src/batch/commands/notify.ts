import vscode = require('vscode');
import type { BatchesModel } from '../batchesModel';
import type { BatchRecord } from '../store/records';
import { endedMessage } from '../tree/labels';

export type ShowMessage = (message: string, ...items: string[]) => Thenable<string | undefined>;

/**
 * One notification per batch that ends, with Open Results: seen by polling, or at startup for a
 * batch that ended while VS Code was closed (the record said in progress, the API says ended).
 */
export function notifyWhenEnded(
  model: BatchesModel,
  openResults: (record: BatchRecord) => void,
  show: ShowMessage = (message, ...items) => vscode.window.showInformationMessage(message, ...items),
): () => void {
  return model.onDidEnd((record, info) => {
    const counts = record.lastKnown!.request_counts;
    // Worded when shown, not at load: the l10n bundle may not be loaded yet then.
    const openLabel = vscode.l10n.t('Open Results');
    void Promise.resolve(show(endedMessage(record.batchId!, counts, info.whileClosed, vscode.l10n), openLabel)).then((pick) => {
      if (pick === openLabel) openResults(record);
    });
  });
}
