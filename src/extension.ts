import vscode = require('vscode');
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
import { askCommand, cancelCommand, openResponseCommand, retryCommand, sessionTools, summarizeCommand } from './stream/streamCommands';
import { CodeActions } from './stream/codeActions';
import {
  clearResponsesFilterCommand, deleteResponseCommand, filterResponsesCommand, followUpCommand, newConversationCommand,
  openAsMarkdownCommand, panelActions, saveConversationAsCommand,
} from './stream/conversationCommands';
import { BatchCommands, Commands, CONFIG_SECTION, Views } from './constants';
import type { BatchHost } from './batch/batchFeature';
import { BatchLoader } from './batch/batchLoader';
import { openWalkthrough, openWalkthroughOnFirstRun } from './walkthrough';

/** What `activate` returns: used by the integration tests to observe the running extension. */
export interface ExtensionApi {
  services: Services;
  /** Streamed answers: their sessions, panels and output-channel text. */
  responses: ResponseManager;
  /** Code block actions (Insert at Cursor, Apply to File, New File). */
  code: CodeActions;
  /** The batch feature, loaded on first access (as by its first command). */
  readonly batches: BatchHost;
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

    const code = new CodeActions(log);
    const responses = new ResponseManager(services, { tools: () => sessionTools(services), actions: (m) => panelActions(m, code) });
    const responsesTree = new ResponsesTreeProvider(responses);
    responsesTree.view = vscode.window.createTreeView(Views.responses, { treeDataProvider: responsesTree });
    context.subscriptions.push(code, responses, responsesTree, responsesTree.view);
    const batch = new BatchLoader(services);

    // Every command, in one table: each handler is a factory over the services it needs.
    const commands: [string, (...args: any[]) => unknown][] = [
      [Commands.setApiKey, setApiKeyCommand(services)],
      [Commands.clearApiKey, clearApiKeyCommand(services)],
      [Commands.selectModel, selectModelCommand(services)],
      [Commands.showLog, () => log.show()],
      [Commands.getStarted, openWalkthrough],
      [Commands.ask, askCommand(services, responses)],
      [Commands.summarize, summarizeCommand(services, responses)],
      [Commands.cancel, cancelCommand(responses)],
      [Commands.retry, retryCommand(responses)],
      [Commands.openResponse, openResponseCommand(responses)],
      [Commands.followUp, followUpCommand(responses)],
      [Commands.acceptApply, () => code.accept()],
      [Commands.rejectApply, () => code.reject()],
      [Commands.openAsMarkdown, openAsMarkdownCommand(responses)],
      [Commands.saveConversationAs, saveConversationAsCommand(responses)],
      [Commands.newConversationFromAnswer, newConversationCommand(responses)],
      [Commands.deleteResponse, deleteResponseCommand(responses)],
      [Commands.filterResponses, filterResponsesCommand(responsesTree)],
      [Commands.clearResponsesFilter, clearResponsesFilterCommand(responsesTree)],
      [BatchCommands.submit, batch.command('submitCommand')],
      [BatchCommands.refresh, batch.command('refreshCommand')],
      [BatchCommands.cancel, batch.command('cancelBatchCommand')],
      [BatchCommands.delete, batch.command('deleteBatchCommand')],
      [BatchCommands.openResults, batch.command('openResultsCommand')],
      [BatchCommands.saveResults, batch.command('openResultsCommand', 'folder')],
      [BatchCommands.openResult, batch.command('openResultCommand')],
      [BatchCommands.retryFailed, batch.command('retryFailedCommand')],
      [BatchCommands.copyId, batch.command('copyIdCommand')],
      [BatchCommands.loadMore, batch.command('loadMoreCommand')],
      [BatchCommands.showEdit, batch.command('showEditCommand')],
      [BatchCommands.acceptEdit, batch.command('acceptEditCommand')],
      [BatchCommands.rejectEdit, batch.command('rejectEditCommand')],
      [BatchCommands.acceptAllEdits, batch.command('acceptAllEditsCommand')],
      [BatchCommands.closeReview, batch.command('closeReviewCommand')],
      [BatchCommands.reviewLoadMore, batch.command('reviewLoadMoreCommand')],
      [BatchCommands.clearFindings, batch.command('clearFindingsCommand')],
      [BatchCommands.findingApplied, batch.command('findingAppliedCommand')],
    ];
    for (const [id, handler] of commands) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

    context.subscriptions.push(new ModelStatusBar(api));
    openWalkthroughOnFirstRun(context);
    log.info(`Claude Events activated (VS Code ${vscode.version})`);
    return { services, responses, code, get batches() { return batch.host(); } };
  } catch (e) {
    // Surface activation failures on purpose: a silent failure leaves commands that do nothing.
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`Activation failed: ${msg}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Claude Events failed to start: {0}', msg));
    throw e;
  }
}

export function deactivate(): void {}
