import vscode = require('vscode');
import { CONFIG_SECTION } from '../constants';
import type { Services } from '../services';
import { validateApiKeyInput } from './config';
import { showClassifiedError } from './errorUi';
import { classifyError } from './errors';
import { fetchModelChoices } from './modelCatalog';

/**
 * Set API Key. With no argument it asks in a password box; an argument (from another
 * extension or a test) is validated the same way. The key only ever goes to SecretStorage.
 */
export function setApiKeyCommand(s: Services) {
  return async (key?: unknown): Promise<boolean> => {
    let value: string | undefined;
    if (typeof key === 'string') {
      const problem = validateApiKeyInput(key);
      if (problem) {
        void vscode.window.showErrorMessage(vscode.l10n.t('API key not saved: {0}', problem));
        return false;
      }
      value = key;
    } else {
      value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Claude: Set API Key'),
        prompt: vscode.l10n.t('Your Anthropic API key. It is kept in VS Code secret storage, never in settings.'),
        placeHolder: 'sk-ant-…',
        password: true,
        ignoreFocusOut: true,
        validateInput: validateApiKeyInput,
      });
    }
    if (value === undefined) return false;
    await s.api.setKey(value);
    s.log.info('API key saved to secret storage');
    void vscode.window.showInformationMessage(vscode.l10n.t('Claude: API key saved in VS Code secret storage.'));
    return true;
  };
}

export function clearApiKeyCommand(s: Services) {
  return async (): Promise<void> => {
    await s.api.clearKey();
    const { source } = await s.api.getKey();
    s.log.info('API key cleared from secret storage');
    void vscode.window.showInformationMessage(
      source === 'env'
        ? vscode.l10n.t('Claude: API key cleared from secret storage. ANTHROPIC_API_KEY from the environment is still used.')
        : vscode.l10n.t('Claude: API key cleared from secret storage.'),
    );
  };
}

/** Select Model: lists `models.list()` (active first, deprecated marked, retired hidden). */
export function selectModelCommand(s: Services) {
  return async (): Promise<string | undefined> => {
    const current = s.api.settings().model;
    let choices;
    try {
      const client = await s.api.getClient();
      choices = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Claude: loading models') },
        () => fetchModelChoices(client, current),
      );
    } catch (e) {
      showClassifiedError(classifyError(e, { baseUrl: s.api.baseUrl().url, secrets: s.api.knownSecrets() }), s.log);
      return undefined;
    }
    if (!choices.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude: the API listed no models.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({ ...c, picked: c.id === current })),
      {
        title: vscode.l10n.t('Claude: Select Model'), placeHolder: vscode.l10n.t('Current: {0}', current), matchOnDescription: true, matchOnDetail: true,
        // Run from the walkthrough, the step is checked off as the command runs and the walkthrough
        // takes the focus back: the picker must not close on that (the e2e test caught it).
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    await vscode.workspace.getConfiguration(CONFIG_SECTION).update('model', picked.id, vscode.ConfigurationTarget.Global);
    s.log.info(`Model set to ${picked.id}`);
    return picked.id;
  };
}
