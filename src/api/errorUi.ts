import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Logger } from '../log';
import type { ClassifiedError, ErrorAction } from './errors';

const ACTION_LABELS: Record<ErrorAction, string> = {
  setApiKey: 'Set API Key',
  selectModel: 'Select Model',
  openSettings: 'Open Settings',
  retry: 'Retry',
  showLog: 'Show Log',
};

/**
 * Shows a classified error with its action buttons and runs the chosen action. It does not
 * wait for the user: commands finish while the notification stays. `retry` is handed back to
 * the caller, which knows what to retry.
 */
export function showClassifiedError(err: ClassifiedError, log: Logger, retry?: () => unknown): void {
  log.error(`${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}${err.requestId ? ` (request ${err.requestId})` : ''}`);
  const actions = err.actions.filter((a) => a !== 'retry' || retry);
  void vscode.window
    .showErrorMessage(err.message, ...actions.map((a) => ACTION_LABELS[a]))
    .then((picked) => runAction(actions.find((a) => ACTION_LABELS[a] === picked), log, retry));
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
