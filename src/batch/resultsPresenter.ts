import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import * as vscode from 'vscode';
import { FolderResultsWriter } from './folderResultsWriter';
import type { WriteCounts } from './folderResultsWriter';
import { nodeFsPort } from './nodeFs';
import type { ManifestEntry } from './requestBuilder';
import { EAGER_OPEN_LIMIT, INDEX_FILE, mapResult, safeBatchDir, safeRelativeResultPath } from './results';
import type { MappedResult, ResultState } from './results';
import { editorIndexMarkdown } from './resultsIndex';

export interface EditorOutcome {
  total: number;
  opened: vscode.TextDocument[];
  index: vscode.TextDocument;
  counts: Record<ResultState, number>;
}

/** The untitled URI of one result document: titled after the file (`a.ts.md`), unique per batch. */
export function resultDocumentUri(batchId: string, mapped: Pick<MappedResult, 'relPath' | 'customId'>): vscode.Uri {
  return vscode.Uri.from({ scheme: 'untitled', path: `/${safeBatchDir(batchId)}/${safeRelativeResultPath(mapped.relPath, mapped.customId)}` });
}

/** Opens one mapped result as an untitled markdown document (reuses it when already open). */
export async function openResultDocument(batchId: string, mapped: MappedResult, show = true): Promise<vscode.TextDocument> {
  const uri = resultDocumentUri(batchId, mapped);
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.getText() === '') {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), mapped.markdown);
    await vscode.workspace.applyEdit(edit);
  }
  if (doc.languageId !== 'markdown') doc = await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  if (show) await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
  return doc;
}

/**
 * Editor mode: streams the results, opens the first `EAGER_OPEN_LIMIT` as documents and keeps
 * only ids and states of the rest; the index document lists every result, and the others open
 * from the tree or with Open Result.
 */
export async function presentInEditor(
  batchId: string,
  results: AsyncIterable<MessageBatchIndividualResponse>,
  manifest: ReadonlyMap<string, ManifestEntry>,
  options: { model?: string; token?: vscode.CancellationToken } = {},
): Promise<EditorOutcome> {
  const items: { customId: string; relPath?: string; state: ResultState; opened: boolean }[] = [];
  const opened: vscode.TextDocument[] = [];
  const counts: Record<ResultState, number> = { succeeded: 0, errored: 0, expired: 0, canceled: 0 };
  const seen = new Set<string>();
  for await (const line of results) {
    if (options.token?.isCancellationRequested) break;
    if (seen.has(line.custom_id)) continue;
    seen.add(line.custom_id);
    const mapped = mapResult(line, manifest.get(line.custom_id));
    counts[mapped.state] = (counts[mapped.state] ?? 0) + 1;
    const open = opened.length < EAGER_OPEN_LIMIT;
    if (open) opened.push(await openResultDocument(batchId, mapped));
    items.push({ customId: mapped.customId, state: mapped.state, opened: open, ...(mapped.relPath !== undefined ? { relPath: mapped.relPath } : {}) });
  }
  const markdown = editorIndexMarkdown(batchId, items, options.model);
  const indexUri = vscode.Uri.from({ scheme: 'untitled', path: `/${safeBatchDir(batchId)}/${INDEX_FILE}` });
  let index = await vscode.workspace.openTextDocument(indexUri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(indexUri, new vscode.Range(0, 0, index.lineCount, 0), markdown);
  await vscode.workspace.applyEdit(edit);
  if (index.languageId !== 'markdown') index = await vscode.languages.setTextDocumentLanguage(index, 'markdown');
  await vscode.window.showTextDocument(index, { preview: false });
  return { total: items.length, opened, index, counts };
}

/** The absolute results folder: `batch.resultsFolder` resolved against the first workspace folder. */
export function resultsRoot(setting: string): string {
  if (path.isAbsolute(setting)) return setting;
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (!ws) throw new Error('Open a folder to save batch results into it (or make claudeEvents.batch.resultsFolder absolute).');
  return path.join(ws.uri.fsPath, setting || '.claude-batches');
}

/**
 * Folder mode: `<root>/<batch id>/<relative path>.md` and `index.md` through the idempotent,
 * resumable writer; then reveals the index.
 */
export async function presentInFolder(
  root: string,
  batchId: string,
  results: AsyncIterable<MessageBatchIndividualResponse>,
  manifest: ReadonlyMap<string, ManifestEntry>,
  options: { model?: string; reveal?: boolean } = {},
): Promise<{ counts: WriteCounts; indexUri: vscode.Uri }> {
  const writer = new FolderResultsWriter({
    fs: nodeFsPort(root),
    batchId,
    manifest,
    ...(options.model ? { model: options.model } : {}),
  });
  const counts = await writer.write(results);
  const indexUri = vscode.Uri.file(path.join(root, safeBatchDir(batchId), INDEX_FILE));
  if (options.reveal !== false) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(indexUri), { preview: false });
  }
  return { counts, indexUri };
}
