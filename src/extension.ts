import * as vscode from 'vscode';
import { clearApiKeyCommand, selectModelCommand, setApiKeyCommand } from './api/apiCommands';
import { ApiService } from './api/apiService';
import { ModelStatusBar } from './api/modelStatusBar';
import { Logger } from './log';
import type { Services } from './services';
import { JobQueue } from './stream/jobQueue';
import { QueueStatusBar } from './stream/queueStatusBar';
import { ResponseManager } from './stream/responseManager';
import { ResponsesTreeProvider } from './stream/responsesView';
import { askCommand, cancelCommand, retryCommand, summarizeCommand } from './stream/streamCommands';
import { Commands, CONFIG_SECTION, Views } from './constants';
import { registerBatches, type BatchHost } from './batch/batchCommands';
import { openWalkthrough, openWalkthroughOnFirstRun } from './walkthrough';

/** What `activate` returns: used by the integration tests to observe the running extension. */
export interface ExtensionApi {
  services: Services;
  /** Streamed answers: their sessions, panels and output-channel text. */
  responses: ResponseManager;
  batches?: BatchHost;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = new Logger();
  context.subscriptions.push(log);
  try {
    const api = new ApiService(context.secrets, log);
    log.setSecretSource(() => api.knownSecrets());
    context.subscriptions.push(api);
    // Not awaited: reading the secret is a round trip to the window, and nothing below needs
    // the key (requests read it through getKey(), which waits for it).
    void api.initialize().catch((e: unknown) => log.error(`Reading the API key failed: ${e instanceof Error ? e.message : String(e)}`));
    const queue = new JobQueue(vscode.workspace.getConfiguration(CONFIG_SECTION).get<number>('concurrency') ?? 4);
    context.subscriptions.push(
      { dispose: () => queue.dispose() },
      new QueueStatusBar(queue),
      api.onRateLimited((ms) => {
        log.warn(`Rate limited (429): holding new requests for ${Math.round(ms / 1000)} s`);
        queue.pauseFor(ms);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.concurrency`)) {
          queue.setConcurrency(vscode.workspace.getConfiguration(CONFIG_SECTION).get<number>('concurrency') ?? 4);
        }
      }),
    );
    const services: Services = { context, log, api, queue };

    const register = (id: string, handler: (...args: any[]) => unknown) =>
      context.subscriptions.push(vscode.commands.registerCommand(id, handler));
    register(Commands.setApiKey, setApiKeyCommand(services));
    register(Commands.clearApiKey, clearApiKeyCommand(services));
    register(Commands.selectModel, selectModelCommand(services));
    register(Commands.showLog, () => log.show());
    register(Commands.getStarted, openWalkthrough);

    const responses = new ResponseManager(services);
    const responsesTree = new ResponsesTreeProvider(responses);
    context.subscriptions.push(responses, responsesTree, vscode.window.registerTreeDataProvider(Views.responses, responsesTree));
    register(Commands.ask, askCommand(services, responses));
    register(Commands.summarize, summarizeCommand(services, responses));
    register(Commands.cancel, cancelCommand(responses));
    register(Commands.retry, retryCommand(responses));
    register(Commands.openResponse, (id: string) => {
      const session = responses.get(id);
      if (session) responses.show(session);
    });

    const batches = registerBatches(services);

    context.subscriptions.push(new ModelStatusBar(api));
    openWalkthroughOnFirstRun(context);
    log.info(`Claude Events activated (VS Code ${vscode.version})`);
    return { services, responses, batches };
  } catch (e) {
    // Surface activation failures on purpose: a silent failure leaves commands that do nothing.
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`Activation failed: ${msg}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Claude Events failed to start: {0}', msg));
    throw e;
  }
}

export function deactivate(): void {}
