import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import vscode = require('vscode');
import { FolderResultsWriter } from './folderResultsWriter';
import type { WriteCounts } from './folderResultsWriter';
import { nodeFsPort } from '../store/nodeFs';
import type { ManifestEntry } from '../requests/requestBuilder';
import { EAGER_OPEN_LIMIT, mapResult } from './mapResult';
import type { MappedResult, ResultState } from './mapResult';
import { INDEX_FILE, safeBatchDir, safeRelativeResultPath } from './resultPaths';
import { indexLabel, parseEditorIndex, resultsIndexMarkdown } from './resultsIndex';
import { BatchCommands } from '../../constants';

export interface EditorOutcome {
  total: number;
  opened: vscode.TextDocument[];
  index: vscode.TextDocument;
  counts: Record<ResultState, number>;
}

/**
 * The untitled URI of one result document: titled after the file (`a.ts.md`; a markdown file's
 * result is `README.result.md`, not `README.md.md`), unique per batch.
 */
export function resultDocumentUri(batchId: string, mapped: Pick<MappedResult, 'relPath' | 'customId'>): vscode.Uri {
  const name = safeRelativeResultPath(mapped.relPath, mapped.customId).replace(/\.md\.md$/i, '.result.md');
  return vscode.Uri.from({ scheme: 'untitled', path: `/${safeBatchDir(batchId)}/${name}` });
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

/** Where editor-mode results are kept for opening on demand (see `ResultCacheStore`). */
export interface ResultCache {
  put(batchId: string, result: MappedResult): Promise<void>;
  putIndex(batchId: string, labels: ReadonlyMap<string, string>): Promise<void>;
  getIndex(batchId: string): Promise<Map<string, string>>;
}

/**
 * Editor mode: streams the results, opens the first `EAGER_OPEN_LIMIT` as documents as they
 * arrive, and writes each one to `cache` (when given) instead of keeping it: the index document
 * lists every result and links each to `openResult`, which opens it on demand.
 */
export async function presentInEditor(
  batchId: string,
  results: AsyncIterable<MessageBatchIndividualResponse>,
  manifest: ReadonlyMap<string, ManifestEntry>,
  options: {
    model?: string;
    token?: vscode.CancellationToken;
    cache?: ResultCache;
    /** After each result (for progress): how many so far and the latest one. */
    onResult?: (count: number, mapped: MappedResult) => void;
  } = {},
): Promise<EditorOutcome> {
  const items: { customId: string; relPath?: string; state: ResultState; opened: boolean }[] = [];
  const opened: vscode.TextDocument[] = [];
  const counts: Record<ResultState, number> = { succeeded: 0, errored: 0, expired: 0, canceled: 0 };
  const seen = new Set<string>();
  for await (const line of results) {
    if (options.token?.isCancellationRequested) break;
    if (seen.has(line.custom_id)) continue;
    seen.add(line.custom_id);
    const mapped = mapResult(line, manifest.get(line.custom_id), vscode.l10n);
    counts[mapped.state] = (counts[mapped.state] ?? 0) + 1;
    await options.cache?.put(batchId, mapped);
    const open = opened.length < EAGER_OPEN_LIMIT;
    if (open) opened.push(await openResultDocument(batchId, mapped));
    items.push({ customId: mapped.customId, state: mapped.state, opened: open, ...(mapped.relPath !== undefined ? { relPath: mapped.relPath } : {}) });
    options.onResult?.(items.length, mapped);
  }
  await options.cache?.putIndex(batchId, new Map(items.map((i) => [indexLabel(i), i.customId])));
  const markdown = resultsIndexMarkdown(batchId, items, { mode: 'editor', l10n: vscode.l10n, ...(options.model ? { model: options.model } : {}) });
  const indexUri = indexDocumentUri(batchId);
  let index = await vscode.workspace.openTextDocument(indexUri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(indexUri, new vscode.Range(0, 0, index.lineCount, 0), markdown);
  await vscode.workspace.applyEdit(edit);
  if (index.languageId !== 'markdown') index = await vscode.languages.setTextDocumentLanguage(index, 'markdown');
  await vscode.window.showTextDocument(index, { preview: false });
  return { total: items.length, opened, index, counts };
}

/** The untitled URI of a batch's (or run's) index document. */
export function indexDocumentUri(batchId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'untitled', path: `/${safeBatchDir(batchId)}/${INDEX_FILE}` });
}

/** The `command:` URI that opens one result (what the index links to). */
export function openResultCommandUri(batchId: string, customId: string): vscode.Uri {
  return vscode.Uri.parse(`command:${BatchCommands.openResult}?${encodeURIComponent(JSON.stringify([{ batchId, customId }]))}`);
}

/**
 * Makes each entry of an editor-mode index document a link that opens its result. Untitled
 * documents cannot link to each other with markdown links, and most results are not open yet:
 * command links (which the editor runs on Ctrl+click) open them on demand.
 */
export function indexLinkProvider(cache: Pick<ResultCache, 'getIndex'>): vscode.DocumentLinkProvider {
  return {
    async provideDocumentLinks(document) {
      const parsed = parseEditorIndex(document.getText());
      if (!parsed) return [];
      const ids = await cache.getIndex(parsed.batchId);
      return parsed.links.flatMap((l) => {
        const customId = ids.get(l.label);
        if (!customId) return [];
        const link = new vscode.DocumentLink(new vscode.Range(l.line, l.start, l.line, l.end), openResultCommandUri(parsed.batchId, customId));
        link.tooltip = vscode.l10n.t('Open the result of {0}', l.label);
        return [link];
      });
    },
  };
}

/** The absolute results folder: `batch.resultsFolder` resolved against the first workspace folder. */
export function resultsRoot(setting: string): string {
  if (path.isAbsolute(setting)) return setting;
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (!ws) throw new Error(vscode.l10n.t('Open a folder to save batch results into it (or make claudeEvents.batch.resultsFolder absolute).'));
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
    l10n: vscode.l10n,
    ...(options.model ? { model: options.model } : {}),
  });
  const counts = await writer.write(results);
  const indexUri = vscode.Uri.file(path.join(root, safeBatchDir(batchId), INDEX_FILE));
  if (options.reveal !== false) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(indexUri), { preview: false });
  }
  return { counts, indexUri };
}
