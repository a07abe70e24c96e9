import vscode = require('vscode');
import { Commands } from '../constants';
import type { Logger } from '../log';
import type { ClassifiedError, ErrorAction } from './errors';

/** Button labels, read when shown (the l10n bundle is loaded by then). */
const actionLabel = (a: ErrorAction): string => ({
  setApiKey: vscode.l10n.t('Set API Key'),
  selectModel: vscode.l10n.t('Select Model'),
  openSettings: vscode.l10n.t('Open Settings'),
  retry: vscode.l10n.t('Retry'),
  showLog: vscode.l10n.t('Show Log'),
})[a];

/**
 * Shows a classified error with its action buttons and runs the chosen action. It does not
 * wait for the user: commands finish while the notification stays. `retry` is handed back to
 * the caller, which knows what to retry.
 */
export function showClassifiedError(err: ClassifiedError, log: Logger, retry?: () => unknown): void {
  log.error(`${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}${err.requestId ? ` (request ${err.requestId})` : ''}`);
  const actions = err.actions.filter((a) => a !== 'retry' || retry);
  void vscode.window
    .showErrorMessage(err.message, ...actions.map(actionLabel))
    .then((picked) => runAction(actions.find((a) => actionLabel(a) === picked), log, retry));
}

async function runAction(action: ErrorAction | undefined, log: Logger, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(Commands.setApiKey);
      break;
    case 'selectModel':
      await vscode.commands.executeCommand(Commands.selectModel);
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'claudeEvents');
      break;
    case 'showLog':
      log.show();
      break;
    case 'retry':
      await retry?.();
      break;
  }
}
