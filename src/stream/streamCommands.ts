import * as path from 'node:path';
import vscode = require('vscode');
import { gateEffort } from '../api/modelInfoCache';
import type { Services } from '../services';
import { buildAskParams, buildSummarizeParams, titleFor, type PromptContext, type StreamSettings } from './promptBuilder';
import { ensureClient, type ResponseManager } from './responseManager';
import type { ResponseSession } from './responseSession';
import type { ToolExecutor } from './streamRunner';
import { checkFileBytes, checkText, SUMMARIZE_MAX_BYTES, tooLargeMessage } from './summarizeInput';
import { WORKSPACE_TOOL_NAMES, WorkspaceToolRunner, workspaceToolPolicy } from './workspaceTools';

/** Settings for one request, with workspace tools only in a trusted workspace. */
function readSettings(services: Services): { settings: StreamSettings; notes: string[]; tools?: ToolExecutor } {
  const c = services.settings();
  const { model, maxTokens } = services.api.settings();
  const { workspaceTools, notes } = workspaceToolPolicy({
    wanted: c['tools.workspace'],
    trusted: vscode.workspace.isTrusted,
  });
  const folders = vscode.workspace.workspaceFolders ?? [];
  const settings: StreamSettings = {
    model,
    maxTokens,
    systemPrompt: c.systemPrompt,
    thinking: c.thinking,
    thinkingBudget: c.thinkingBudget,
    webSearch: c['tools.webSearch'],
    workspaceTools,
  };
  let tools: ToolExecutor | undefined;
  if (workspaceTools) {
    const runner = new WorkspaceToolRunner(folders.map((f) => ({ name: f.name, path: f.uri.fsPath })));
    tools = { handles: (name) => WORKSPACE_TOOL_NAMES.has(name), run: (name, input) => runner.run(name, input) };
  }
  return { settings, notes, tools };
}

/** Workspace tools as a new answer would get them (answers restored from history get these). */
export function sessionTools(services: Services): ToolExecutor | undefined {
  return readSettings(services).tools;
}

/** `claudeEvents.effort`, sent only where the Models API says the model supports that level. */
async function withEffort(services: Services, settings: StreamSettings, notes: string[]): Promise<StreamSettings> {
  const wanted = services.settings().effort;
  if (wanted === 'default') return settings;
  const info = await services.models.get(await services.api.getClient(), settings.model);
  const gated = gateEffort(wanted, settings.model, info);
  if (gated.note) notes.push(gated.note);
  return gated.effort ? { ...settings, effort: gated.effort } : settings;
}

function displayName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false) || path.basename(uri.fsPath);
}

/** `claudeEvents.ask`: a question (input box, or a string argument), with the editor selection as context. */
export function askCommand(services: Services, manager: ResponseManager) {
  return async (arg?: unknown): Promise<ResponseSession | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const question = typeof arg === 'string'
      ? arg
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Ask Claude'),
          prompt: vscode.l10n.t('Ask Claude…'),
          placeHolder: editor && !editor.selection.isEmpty ? vscode.l10n.t('A question about the selection') : vscode.l10n.t('A question'),
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type a question.')),
        });
    if (question === undefined) return undefined;
    if (!question.trim()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Ask Claude: the question is empty.'));
      return undefined;
    }
    if (!(await ensureClient(services))) return undefined;
    let context: PromptContext | undefined;
    if (editor && !editor.selection.isEmpty) {
      context = {
        fileName: displayName(editor.document.uri),
        languageId: editor.document.languageId,
        text: editor.document.getText(editor.selection),
        isSelection: true,
      };
    }
    const { settings: base, notes, tools } = readSettings(services);
    const settings = await withEffort(services, base, notes);
    return manager.start({ title: titleFor(question), params: buildAskParams({ question, context }, settings), tools, notes });
  };
}

/**
 * `claudeEvents.summarize`: the selection, else the whole document; from the explorer, the file
 * (its text is read here: binary, huge and empty files are refused before any request).
 */
export function summarizeCommand(services: Services, manager: ResponseManager) {
  return async (arg?: unknown): Promise<ResponseSession | undefined> => {
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    const editor = vscode.window.activeTextEditor;
    let ctx: PromptContext;
    if (editor && (!uri || editor.document.uri.toString() === uri.toString())) {
      const doc = editor.document;
      const isSelection = !editor.selection.isEmpty;
      const name = displayName(doc.uri);
      const checked = checkText(name, isSelection ? doc.getText(editor.selection) : doc.getText(), isSelection);
      if (!checked.ok) return refuse(checked.message);
      ctx = { fileName: name, languageId: doc.languageId, text: checked.text, isSelection };
    } else if (uri) {
      const name = displayName(uri);
      let stat: vscode.FileStat;
      try {
        stat = await vscode.workspace.fs.stat(uri);
      } catch {
        return refuse(vscode.l10n.t('{0} could not be read.', name));
      }
      if (stat.type & vscode.FileType.Directory) return refuse(vscode.l10n.t('{0} is a folder: Summarize works on one file.', name));
      // Refuse huge files from their size, before reading them.
      if (stat.size > SUMMARIZE_MAX_BYTES) return refuse(tooLargeMessage(name, stat.size));
      const checked = checkFileBytes(name, await vscode.workspace.fs.readFile(uri));
      if (!checked.ok) return refuse(checked.message);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      ctx = { fileName: name, languageId: open?.languageId ?? (path.extname(uri.path).slice(1) || undefined), text: checked.text, isSelection: false };
    } else {
      return refuse(vscode.l10n.t('Open a file, select text, or right-click a file in the explorer to summarize it.'));
    }
    if (!(await ensureClient(services))) return undefined;
    const notes: string[] = [];
    const settings = await withEffort(services, readSettings(services).settings, notes);
    const instruction = services.settings()['prompts.summarize'].trim();
    const title = vscode.l10n.t('Summary: {0}', ctx.isSelection ? vscode.l10n.t('selection in {0}', path.basename(ctx.fileName)) : path.basename(ctx.fileName));
    // Summarize runs without tools: the text is in the prompt.
    return manager.start({ title: titleFor(title), params: buildSummarizeParams(ctx, instruction, { ...settings, workspaceTools: false, webSearch: false }), notes });
  };
}

function refuse(message: string): undefined {
  void vscode.window.showInformationMessage(message);
  return undefined;
}

/** `claudeEvents.cancel`: the answer in the active panel, else the newest running one (or by id). */
export function cancelCommand(manager: ResponseManager) {
  return (id?: unknown): ResponseSession | undefined => {
    const session = typeof id === 'string' ? manager.get(id) : manager.cancelTarget();
    if (!session?.isRunning) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Claude answer is streaming.'));
      return undefined;
    }
    session.cancel();
    return session;
  };
}

/** `claudeEvents.retry`: continues the newest failed or cancelled answer (or by id). */
export function retryCommand(manager: ResponseManager) {
  return (id?: unknown): ResponseSession | undefined => {
    const session = typeof id === 'string' ? manager.get(id) : manager.retryTarget();
    if (!session || !session.retry()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No failed or cancelled Claude answer to retry.'));
      return undefined;
    }
    if (manager.panels.has(session.id)) manager.show(session);
    return session;
  };
}

/** `claudeEvents.internal.openResponse`: the Responses view's items reopen their answer. */
export function openResponseCommand(manager: ResponseManager) {
  return (id: string) => {
    const session = manager.get(id);
    if (session) manager.show(session);
  };
}
