import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyEdits, type ApplyOutcome } from '../results/structuredResults';
import type { ReviewEntry } from './reviewStore';

/** The file of an entry now: as submitted (same hash), changed since, or gone. */
export type FileNow =
  | { status: 'same'; text: string }
  | { status: 'changed'; text: string; why: string }
  | { status: 'deleted' }
  | { status: 'unreadable'; why: string }
  | { status: 'outside'; why: string };

/**
 * True when `uri` is a file inside an open workspace folder, symlinks resolved: a result (or a
 * tampered manifest) naming a path elsewhere is never read for a diff nor written.
 */
export function insideWorkspace(uri: vscode.Uri): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return false;
  if (uri.scheme !== 'file') return true;
  try {
    const rel = path.relative(realPath(folder.uri.fsPath), realPath(uri.fsPath));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

/**
 * The path with symlinks resolved, also for a file that no longer exists: its nearest existing
 * ancestor is resolved and the rest appended. (Resolving only what exists would put a deleted
 * file of a workspace opened through a symlink outside that workspace.)
 */
function realPath(p: string): string {
  const abs = path.resolve(p);
  let dir = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(dir), ...rest.reverse());
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return abs;
      rest.push(path.basename(dir));
      dir = parent;
    }
  }
}

/**
 * Reads the file an entry was submitted from and compares it with the manifest's hash. An open
 * document with unsaved changes counts as changed: those changes are what the user sees, and
 * the edits were made against the saved bytes.
 */
export async function fileNow(entry: ReviewEntry): Promise<FileNow> {
  if (!entry.uri) return { status: 'unreadable', why: vscode.l10n.t('the batch has no manifest entry for it') };
  const uri = vscode.Uri.parse(entry.uri);
  if (!insideWorkspace(uri)) return { status: 'outside', why: vscode.l10n.t('{0} is outside the open workspace', uri.scheme === 'file' ? uri.fsPath : uri.toString()) };
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return { status: 'deleted' };
    return { status: 'unreadable', why: err instanceof Error ? err.message : String(err) };
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) return { status: 'changed', text: open.getText(), why: vscode.l10n.t('it has unsaved changes') };
  const text = new TextDecoder('utf-8').decode(bytes);
  const hash = createHash('sha256').update(bytes).digest('hex');
  return hash === entry.sha256 ? { status: 'same', text } : { status: 'changed', text, why: vscode.l10n.t('it changed on disk since the batch was submitted') };
}

/** The proposed content of an entry, from the file's text now. */
export function proposedContent(entry: ReviewEntry, current: string): ApplyOutcome {
  if (entry.state !== 'proposed' || !entry.edits) return { ok: false, reason: entry.reason ?? vscode.l10n.t('no edits proposed') };
  return applyEdits(current, entry.edits, vscode.l10n);
}

/**
 * Writes new contents as one WorkspaceEdit (one undo step per file in its editor, or one
 * "undo across files"), then saves those documents so the files on disk hold exactly them.
 * Returns false when VS Code refused the edit (nothing is written then).
 */
export async function writeContents(items: readonly { uri: string; content: string }[]): Promise<boolean> {
  if (items.length === 0) return true;
  const edit = new vscode.WorkspaceEdit();
  const docs: vscode.TextDocument[] = [];
  for (const item of items) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(item.uri));
    docs.push(doc);
    const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    edit.replace(doc.uri, all, item.content);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  for (const doc of docs) await doc.save();
  return true;
}
