import * as vscode from 'vscode';
import { clearApiKeyCommand, selectModelCommand, setApiKeyCommand } from './api/apiCommands';
import { ApiService } from './api/apiService';
import { ModelInfoCache } from './api/modelInfoCache';
import { ModelStatusBar } from './api/modelStatusBar';
import { Logger } from './log';
import { readSettings } from './settings';
import type { Services } from './services';
import { JobQueue } from './stream/jobQueue';
import { QueueStatusBar } from './stream/queueStatusBar';
import { ResponseManager } from './stream/responseManager';
import { ResponsesTreeProvider } from './stream/responsesView';
import { askCommand, cancelCommand, retryCommand, sessionTools, summarizeCommand } from './stream/streamCommands';
import { CodeActions } from './stream/codeActions';
import {
  clearResponsesFilterCommand, deleteResponseCommand, filterResponsesCommand, followUpCommand, newConversationCommand,
  openAsMarkdownCommand, panelActions, saveConversationAsCommand,
} from './stream/conversationCommands';
import { Commands, CONFIG_SECTION, Views } from './constants';
import { registerBatches, type BatchHost } from './batch/batchCommands';

/** What `activate` returns: used by the integration tests to observe the running extension. */
export interface ExtensionApi {
  services: Services;
  /** Streamed answers: their sessions, panels and output-channel text. */
  responses: ResponseManager;
  /** Code block actions (Insert at Cursor, Apply to File, New File). */
  code: CodeActions;
  batches?: BatchHost;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const log = new Logger();
  context.subscriptions.push(log);
  try {
    const api = new ApiService(context.secrets, log);
    log.setSecretSource(() => api.knownSecrets());
    context.subscriptions.push(api);
    await api.initialize();
    const settings = () => readSettings(vscode.workspace.getConfiguration(CONFIG_SECTION));
    const queue = new JobQueue(settings().concurrency);
    context.subscriptions.push(
      { dispose: () => queue.dispose() },
      new QueueStatusBar(queue),
      api.onRateLimited((ms) => {
        log.warn(`Rate limited (429): holding new requests for ${Math.round(ms / 1000)} s`);
        queue.pauseFor(ms);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.concurrency`)) {
          queue.setConcurrency(settings().concurrency);
        }
      }),
    );
    const services: Services = { context, log, api, queue, settings, models: new ModelInfoCache() };

    const register = (id: string, handler: (...args: any[]) => unknown) =>
      context.subscriptions.push(vscode.commands.registerCommand(id, handler));
    register(Commands.setApiKey, setApiKeyCommand(services));
    register(Commands.clearApiKey, clearApiKeyCommand(services));
    register(Commands.selectModel, selectModelCommand(services));
    register(Commands.showLog, () => log.show());

    const code = new CodeActions(log);
    const responses = new ResponseManager(services, { tools: () => sessionTools(services), actions: (m) => panelActions(m, code) });
    const responsesTree = new ResponsesTreeProvider(responses);
    responsesTree.view = vscode.window.createTreeView(Views.responses, { treeDataProvider: responsesTree });
    context.subscriptions.push(code, responses, responsesTree, responsesTree.view);
    register(Commands.ask, askCommand(services, responses));
    register(Commands.summarize, summarizeCommand(services, responses));
    register(Commands.cancel, cancelCommand(responses));
    register(Commands.retry, retryCommand(responses));
    register(Commands.openResponse, (id: string) => {
      const session = responses.get(id);
      if (session) responses.show(session);
    });
    register(Commands.followUp, followUpCommand(responses));
    register(Commands.acceptApply, () => code.accept());
    register(Commands.rejectApply, () => code.reject());
    register(Commands.openAsMarkdown, openAsMarkdownCommand(responses));
    register(Commands.saveConversationAs, saveConversationAsCommand(responses));
    register(Commands.newConversationFromAnswer, newConversationCommand(responses));
    register(Commands.deleteResponse, deleteResponseCommand(responses));
    register(Commands.filterResponses, filterResponsesCommand(responsesTree));
    register(Commands.clearResponsesFilter, clearResponsesFilterCommand(responsesTree));

    const batches = registerBatches(services);

    context.subscriptions.push(new ModelStatusBar(api));
    log.info(`Claude Events activated (VS Code ${vscode.version})`);
    return { services, responses, code, batches };
  } catch (e) {
    // Surface activation failures on purpose: a silent failure leaves commands that do nothing.
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`Activation failed: ${msg}`);
    void vscode.window.showErrorMessage(`Claude Events failed to start: ${msg}`);
    throw e;
  }
}

export function deactivate(): void {}
