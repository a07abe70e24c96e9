import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import vscode = require('vscode');
import { applyEdits, type ApplyOutcome } from '../results/structuredResults';
import type { ReviewEntry } from './reviewStore';
import { textChange } from './textChange';

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

/** What an accepted edit writes: the file's text as checked (`fileNow`) and its new content. */
export interface ContentWrite {
  uri: string;
  current: string;
  content: string;
}

/**
 * Files per WorkspaceEdit: a review page. The window opens a model for each file of an edit
 * at once, so this bounds the memory; an Accept All of many pages is one edit per page.
 */
export const WRITE_CHUNK = 200;

/**
 * Documents opened and saved at once on the path that saves them itself. The window keeps at
 * most 50 documents that an extension opened but no editor shows, closing older ones (`save()`
 * then throws "Document has been closed"), so a batch must stay below that.
 */
const SAVE_BATCH = 32;

/**
 * Writes new contents, a chunk of files per WorkspaceEdit (one undo step per file in its editor,
 * or one "undo across files" per chunk), and saves them so the files on disk hold exactly them.
 * Each file gets one replacement of what changed (`textChange`), at positions in `current`: the
 * text that was checked against the manifest's hash, which is what the window loads. A document
 * already open with other text (a model not yet reloaded) is replaced whole, as it always was.
 * Returns how many items, from the first, were written: fewer than all when VS Code refused an
 * edit (nothing of that chunk or after it is written then).
 */
export async function writeContents(items: readonly ContentWrite[]): Promise<number> {
  // A refactoring: with files.refactoring.autoSave (on by default) the window saves the files of
  // a multi-file edit itself, in one go, instead of a round trip per document from here.
  const autoSave = vscode.workspace.getConfiguration('files').get<boolean>('refactoring.autoSave') === true;
  for (let start = 0; start < items.length; start += WRITE_CHUNK) {
    const chunk = items.slice(start, start + WRITE_CHUNK);
    const edit = new vscode.WorkspaceEdit();
    const uris = chunk.map((item) => vscode.Uri.parse(item.uri));
    // A few files (an Accept of one) are opened here first, as before: the model that takes the
    // edit, and its undo, then stays alive after the save. Many are left to the window to load.
    if (chunk.length <= SAVE_BATCH) await Promise.all(uris.map((uri) => vscode.workspace.openTextDocument(uri)));
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const [i, item] of chunk.entries()) {
      const uri = uris[i]!;
      const doc = open.get(uri.toString());
      if (doc && doc.getText() !== item.current) {
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), item.content);
        continue;
      }
      const change = textChange(item.current, item.content);
      const range = new vscode.Range(change.start.line, change.start.character, change.end.line, change.end.character);
      edit.replace(uri, range, change.text);
    }
    if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: true }))) return start;
    await saveWritten(uris, autoSave && chunk.length > 1);
  }
  return items.length;
}

/** Saves what an edit left dirty: only the documents this host knows of when the window saved. */
async function saveWritten(uris: readonly vscode.Uri[], savedByWindow: boolean): Promise<void> {
  const wanted = new Set(uris.map((u) => u.toString()));
  if (savedByWindow) {
    await Promise.all(vscode.workspace.textDocuments.filter((d) => d.isDirty && wanted.has(d.uri.toString())).map((d) => d.save()));
    return;
  }
  for (let i = 0; i < uris.length; i += SAVE_BATCH) {
    const docs = await Promise.all(uris.slice(i, i + SAVE_BATCH).map((uri) => vscode.workspace.openTextDocument(uri)));
    await Promise.all(docs.map((doc) => (doc.isDirty ? doc.save() : true)));
  }
}
