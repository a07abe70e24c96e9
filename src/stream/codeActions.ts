import * as path from 'node:path';
import vscode = require('vscode');
import { ContextKeys } from '../constants';
import type { Logger } from '../log';
import type { CodeActionMessage } from '../protocol';
import { languageIdFor } from './codeLanguages';

/** Scheme of the read-only "proposed" side of an Apply diff. */
export const PROPOSED_SCHEME = 'claude-events-proposed';

interface PendingApply {
  target: vscode.Uri;
  range: vscode.Range;
  code: string;
  /** Document version the diff was computed from: a change since then is a conflict. */
  version: number;
  proposed: vscode.Uri;
  settle: (accepted: boolean) => void;
}

export type ApplyOutcome = 'accepted' | 'rejected' | 'conflict' | 'noTarget' | 'superseded';

/**
 * What a code block's buttons do in the editor. Insert at Cursor edits the last active text
 * editor; Apply to File shows a diff and writes only after Accept, as one undoable WorkspaceEdit;
 * New File opens an untitled document. Nothing in the workspace changes without the user.
 */
export class CodeActions implements vscode.Disposable {
  private lastEditor: vscode.TextEditor | undefined;
  private pending: PendingApply | undefined;
  private readonly proposals = new Map<string, string>();
  private nextProposal = 1;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: Logger) {
    this.lastEditor = usable(vscode.window.activeTextEditor);
    this.disposables.push(
      // A webview panel takes focus from the editor: remember the last real one.
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (usable(e)) this.lastEditor = e;
      }),
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
        provideTextDocumentContent: (uri) => this.proposals.get(uri.toString()) ?? '',
      }),
    );
  }

  /** The editor Insert and Apply act on: the last active one, if its document is still open. */
  get targetEditor(): vscode.TextEditor | undefined {
    const last = this.lastEditor;
    if (last && !last.document.isClosed) return last;
    return usable(vscode.window.visibleTextEditors.find((e) => usable(e)));
  }

  run(m: CodeActionMessage): Promise<unknown> {
    switch (m.action) {
      case 'insert': return this.insert(m.code);
      case 'apply': return this.apply(m.code, m.fileHint);
      case 'newFile': return this.newFile(m.code, m.language);
    }
  }

  /** Inserts the code (without the fence's final newline) at every cursor of the last active editor. */
  async insert(code: string): Promise<boolean> {
    const last = this.targetEditor;
    if (!last) {
      void vscode.window.showInformationMessage('Open a file first: Insert at Cursor inserts into the last active editor.');
      return false;
    }
    const selections = last.selections;
    // A hidden editor cannot be edited: show it again (with focus, so the user sees the insert).
    const editor = vscode.window.visibleTextEditors.includes(last)
      ? last
      : await vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn, preserveFocus: false });
    const text = code.endsWith('\n') ? code.slice(0, -1) : code;
    const ok = await editor.edit((b) => {
      for (const s of selections) b.replace(s, text);
    });
    if (!ok) void vscode.window.showWarningMessage('Insert at Cursor: the editor refused the edit.');
    return ok;
  }

  /**
   * Shows a diff of the target with the code applied: the whole file, or the selection when the
   * last active editor has one. Settles when the user accepts or rejects it (or applies another).
   */
  async apply(code: string, fileHint?: string): Promise<ApplyOutcome> {
    const target = await this.resolveTarget(fileHint);
    if (!target) {
      void vscode.window.showInformationMessage('Apply to File: open the file to apply the code to (or name it after the fence language, e.g. ```ts src/a.ts).');
      return 'noTarget';
    }
    this.pending?.settle(false);
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const editor = this.targetEditor;
    const useSelection = !fileHint && editor?.document.uri.toString() === doc.uri.toString() && !editor.selection.isEmpty;
    const range = useSelection ? editor.selection : new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const original = doc.getText();
    const proposedText = original.slice(0, doc.offsetAt(range.start)) + code + original.slice(doc.offsetAt(range.end));
    const proposed = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${this.nextProposal++}/${path.basename(doc.uri.path)}` });
    this.proposals.set(proposed.toString(), proposedText);
    let settle!: (accepted: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (settle = resolve));
    const pending: PendingApply = { target: doc.uri, range, code, version: doc.version, proposed, settle };
    this.pending = pending;
    const name = vscode.workspace.asRelativePath(doc.uri, false);
    await vscode.commands.executeCommand('setContext', ContextKeys.applyPending, true);
    // Not awaited on its own: the user (or a test) may decide before the diff editor reports that it
    // opened, and closing it first can leave that promise pending.
    const opened = Promise.resolve(vscode.commands.executeCommand('vscode.diff', doc.uri, proposed, `${name} ↔ Claude's code (Accept or Reject)`, { preview: true }));
    opened.catch((e: unknown) => this.log.warn(`Apply to File: the diff did not open (${String(e)})`));
    await Promise.race([opened, outcome]);
    // The notification is a second way to decide; the diff editor's title has Accept/Reject too.
    void vscode.window.showInformationMessage(`Apply Claude's code to ${name}?`, 'Accept', 'Reject').then((choice) => {
      if (choice === 'Accept') void this.accept();
      else if (choice === 'Reject') void this.reject();
    });
    const accepted = await outcome;
    if (this.pending === pending) this.pending = undefined;
    this.proposals.delete(proposed.toString());
    await vscode.commands.executeCommand('setContext', ContextKeys.applyPending, !!this.pending);
    if (!accepted) return pending.version === -1 ? 'conflict' : 'rejected';
    return 'accepted';
  }

  /** Writes the pending Apply as one WorkspaceEdit (undoable) and saves a file that had no unsaved changes. */
  async accept(): Promise<boolean> {
    const p = this.pending;
    if (!p) return false;
    if (!this.diffTab(p)) {
      // Never write what the user has not seen: the diff must be on screen.
      void vscode.window.showWarningMessage('Apply to File: the diff is not open, so nothing was written. Apply again to see it.');
      return false;
    }
    this.pending = undefined;
    const doc = await vscode.workspace.openTextDocument(p.target);
    if (doc.version !== p.version) {
      void vscode.window.showWarningMessage(`${path.basename(p.target.path)} changed since the diff was shown: nothing was written. Apply again.`);
      p.version = -1;
      p.settle(false);
      await this.closeDiff(p);
      return false;
    }
    const wasDirty = doc.isDirty;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(p.target, p.range, p.code);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok && !wasDirty && !(await doc.save())) {
      void vscode.window.showWarningMessage(`Apply to File: the change is in ${path.basename(p.target.path)} but it was not saved.`);
    }
    if (!ok) void vscode.window.showWarningMessage('Apply to File: VS Code refused the edit; nothing was written.');
    else this.log.info(`Applied a code block to ${vscode.workspace.asRelativePath(p.target, false)}`);
    p.settle(ok);
    await this.closeDiff(p);
    return ok;
  }

  async reject(): Promise<boolean> {
    const p = this.pending;
    if (!p) return false;
    this.pending = undefined;
    p.settle(false);
    await this.closeDiff(p);
    return true;
  }

  /** An untitled document in the block's language. */
  async newFile(code: string, language?: string): Promise<vscode.TextDocument> {
    const languageId = languageIdFor(language, await vscode.languages.getLanguages());
    const doc = await vscode.workspace.openTextDocument({ language: languageId, content: code });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  /** The file named by the fence when exactly one workspace file matches it, else the last active editor's. */
  private async resolveTarget(fileHint?: string): Promise<{ uri: vscode.Uri } | undefined> {
    if (fileHint && !path.isAbsolute(fileHint) && !fileHint.split(/[\\/]/).includes('..')) {
      const direct: vscode.Uri[] = [];
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const uri = vscode.Uri.joinPath(folder.uri, fileHint);
        try {
          await vscode.workspace.fs.stat(uri);
          direct.push(uri);
        } catch {
          // not in this folder
        }
      }
      const found = direct.length ? direct : await vscode.workspace.findFiles(`**/${fileHint}`, '**/node_modules/**', 2);
      if (found.length === 1) return { uri: found[0] };
      this.log.info(`Apply to File: "${fileHint}" matches ${found.length} files; using the active editor`);
    }
    const editor = this.targetEditor;
    return editor ? { uri: editor.document.uri } : undefined;
  }

  private diffTab(p: PendingApply): vscode.Tab | undefined {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === p.proposed.toString());
  }

  private async closeDiff(p: PendingApply): Promise<void> {
    const tab = this.diffTab(p);
    if (tab) await vscode.window.tabGroups.close(tab).then(undefined, () => undefined);
  }

  dispose(): void {
    this.pending?.settle(false);
    for (const d of this.disposables) d.dispose();
  }
}

function usable(e: vscode.TextEditor | undefined): vscode.TextEditor | undefined {
  if (!e) return undefined;
  const scheme = e.document.uri.scheme;
  return scheme === PROPOSED_SCHEME || scheme === 'output' || scheme === 'vscode-userdata' ? undefined : e;
}
