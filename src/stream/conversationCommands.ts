import vscode = require('vscode');
import { Commands, ContextKeys } from '../constants';
import { conversationMarkdown, type MarkdownOptions } from '../history/conversationMarkdown';
import { fenceFor } from '../markdownFence';
import type { CodeActionMessage } from '../protocol';
import type { CodeActions } from './codeActions';
import type { PanelActions } from './responsePanel';
import { firstUserText, type ResponseManager } from './responseManager';
import type { ResponseSession } from './responseSession';
import type { ResponsesTreeProvider } from './responsesView';

/** The answer a palette command acts on: by id, else the one in the active panel, else the newest. */
function target(manager: ResponseManager, id?: unknown): ResponseSession | undefined {
  if (typeof id === 'string') return manager.get(id);
  if (id && typeof id === 'object' && typeof (id as { id?: unknown }).id === 'string') return manager.get((id as { id: string }).id);
  const active = [...manager.panels.values()].find((p) => p.panel.active)?.source;
  return (active && manager.get(active.id)) ?? manager.sessions[manager.sessions.length - 1];
}

/** What the panels' buttons do: follow-ups, code blocks, export, a new conversation. */
export function panelActions(manager: ResponseManager, code: CodeActions): PanelActions {
  const guard = (what: string, work: () => unknown) => Promise.resolve().then(work).catch((e: unknown) => {
    manager.services.log.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  return {
    followUp: (id, text) => guard('Follow-up', () => followUpCommand(manager)(id, text)),
    codeAction: (m: CodeActionMessage) => guard('Code action', () => code.run(m)),
    exportConversation: (id, where) => guard('Export', () => (where === 'open' ? openAsMarkdownCommand(manager)(id) : saveConversationAsCommand(manager)(id))),
    newConversation: (id) => guard('New conversation', () => newConversationCommand(manager)(id)),
  };
}

/** `claudeEvents.followUp`: asks a follow-up question about an answer, in the same panel. */
export function followUpCommand(manager: ResponseManager) {
  return async (id?: unknown, text?: unknown): Promise<ResponseSession | undefined> => {
    const session = target(manager, id);
    if (!session) {
      void vscode.window.showInformationMessage('No Claude answer to follow up on. Ask a question first.');
      return undefined;
    }
    if (session.isRunning) {
      void vscode.window.showInformationMessage('Claude is still answering: ask the follow-up when it finishes (or cancel it).');
      return undefined;
    }
    const question = typeof text === 'string' ? text : await vscode.window.showInputBox({
      title: `Follow up: ${session.title}`,
      prompt: 'A follow-up question (the whole conversation is sent with it)',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Type a question.'),
    });
    if (!question?.trim()) return undefined;
    if (!session.followUp(question)) return undefined;
    manager.show(session);
    return session;
  };
}

async function markdownOptions(opts?: unknown): Promise<MarkdownOptions | undefined> {
  if (opts && typeof opts === 'object') {
    const o = opts as Partial<MarkdownOptions>;
    return { thinking: o.thinking !== false, tools: o.tools !== false };
  }
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Include thinking and tool calls', description: 'as collapsible sections', value: { thinking: true, tools: true } },
      { label: 'Questions and answers only', value: { thinking: false, tools: false } },
    ],
    { title: 'Export the conversation as markdown' },
  );
  return pick?.value;
}

function markdownOf(session: ResponseSession, options: MarkdownOptions): string {
  return conversationMarkdown(session.snapshot(), firstUserText(session.conversationParams), options);
}

/** `claudeEvents.openAsMarkdown`: the conversation as an untitled markdown document. */
export function openAsMarkdownCommand(manager: ResponseManager) {
  return async (id?: unknown, opts?: unknown): Promise<vscode.TextDocument | undefined> => {
    const session = target(manager, id);
    if (!session) return undefined;
    const options = await markdownOptions(opts);
    if (!options) return undefined;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdownOf(session, options) });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };
}

/** `claudeEvents.saveConversationAs`: writes that markdown to a file the user picks. */
export function saveConversationAsCommand(manager: ResponseManager) {
  return async (id?: unknown, opts?: unknown): Promise<vscode.Uri | undefined> => {
    const session = target(manager, id);
    if (!session) return undefined;
    const given = opts && typeof opts === 'object' ? (opts as { uri?: unknown }).uri : undefined;
    const options = await markdownOptions(opts);
    if (!options) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${session.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'conversation'}.md`;
    const uri = given instanceof vscode.Uri ? given : await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { Markdown: ['md'] },
      saveLabel: 'Save Conversation',
    });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdownOf(session, options)));
    manager.services.log.info(`Saved the conversation "${session.title}" to ${uri.fsPath}`);
    return uri;
  };
}

/** `claudeEvents.newConversationFromAnswer`: a new conversation that starts from the last answer's text. */
export function newConversationCommand(manager: ResponseManager) {
  return async (id?: unknown): Promise<ResponseSession | undefined> => {
    const session = target(manager, id);
    if (!session) return undefined;
    const blocks = session.snapshot().blocks;
    const lastTurn = blocks.map((b) => b.block.kind).lastIndexOf('userTurn');
    const answer = blocks.slice(lastTurn + 1).filter((b) => b.block.kind === 'text').map((b) => b.content).join('').trim();
    const fence = fenceFor(answer);
    const question = `We continue an earlier conversation that became too long. Its last answer was:\n\n${fence}markdown\n${answer}\n${fence}\n\nWhat should we look at next?`;
    return vscode.commands.executeCommand<ResponseSession | undefined>(Commands.ask, question);
  };
}

/** `claudeEvents.deleteResponse`: removes an answer from the Responses view and from history. */
export function deleteResponseCommand(manager: ResponseManager) {
  return async (item?: unknown): Promise<boolean> => {
    const id = typeof item === 'string' ? item : (item as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') return false;
    return manager.delete(id);
  };
}

/** `claudeEvents.filterResponses` / `clearResponsesFilter`: the Responses view's search. */
export function filterResponsesCommand(tree: ResponsesTreeProvider) {
  return async (text?: unknown): Promise<string | undefined> => {
    const filter = typeof text === 'string' ? text : await vscode.window.showInputBox({
      title: 'Filter Responses', prompt: 'Show answers whose title or question contains…', value: tree.filter,
    });
    if (filter === undefined) return undefined;
    tree.setFilter(filter);
    await vscode.commands.executeCommand('setContext', ContextKeys.responsesFiltered, !!filter.trim());
    return filter;
  };
}

export function clearResponsesFilterCommand(tree: ResponsesTreeProvider) {
  return async (): Promise<void> => {
    tree.setFilter('');
    await vscode.commands.executeCommand('setContext', ContextKeys.responsesFiltered, false);
  };
}
