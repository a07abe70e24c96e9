import { english, type Localizer } from '../../l10n';
import { escapeMarkdownText, inlineCode } from './mapResult';
import type { ResultState } from './mapResult';

/** An item of the results index. */
export interface IndexItem {
  customId: string;
  relPath?: string;
  state: ResultState;
  /** Folder mode: the result file's path relative to the index. */
  path?: string;
  /** Editor mode: opened as a document right away. */
  opened?: boolean;
}

export interface IndexOptions {
  /**
   * `folder`: entries are relative links to the result files. `editor`: results are untitled
   * documents with no path to link to, so entries are plain labels (the file's path) that a
   * document link provider (`parseEditorIndex`, plus the label → custom_id map kept in the result
   * cache) turns into links, also after a window reload restores the untitled index.
   */
  mode: 'folder' | 'editor';
  model?: string;
  /**
   * Words the summary lines (English by default). The heading and the entries stay as they are
   * in every language: `parseEditorIndex` reads them back, also after a change of language.
   */
  l10n?: Localizer;
}

/**
 * The index document of a batch's results, for both results modes: counts, then one line per
 * result sorted by path (failures first, so they are seen), each leading to its result.
 */
export function resultsIndexMarkdown(batchId: string, items: Iterable<IndexItem>, options: IndexOptions): string {
  const l10n = options.l10n ?? english;
  // Labels and ranks are computed once, not in the comparator: a folder of 100,000 results
  // would call labelOf ~3.4 million times.
  const all: { item: IndexItem; label: string; rank: number }[] = [];
  const counts = new Map<ResultState, number>();
  for (const item of items) {
    counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
    all.push({ item, label: labelOf(item), rank: stateRank(item.state) });
  }
  all.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  const summary = (['succeeded', 'errored', 'expired', 'canceled'] as const)
    .filter((s) => counts.get(s))
    .map((s) => stateCount(s, counts.get(s)!, l10n))
    .join(' · ');
  const lines = [`# Batch results: ${inlineCode(batchId)}`, ''];
  if (options.model) lines.push(l10n.t('Model: {0}', inlineCode(options.model)), '');
  lines.push(summary ? l10n.t('{0} results: {1}', all.length, summary) : l10n.t('{0} results', all.length), '');
  if (options.mode === 'editor' && all.length > 0) {
    const openedCount = all.filter((i) => i.item.opened).length;
    lines.push(
      openedCount < all.length
        ? l10n.t('Ctrl+click (Cmd+click on macOS) a file below to open its result; {0} opened as documents now, the others open on demand.', openedCount)
        : l10n.t('Ctrl+click (Cmd+click on macOS) a file below to open its result; all of them are open as documents.'),
      '',
    );
  }
  for (const { item, label: raw } of all) {
    const mark = item.state === 'succeeded' ? '' : ` — **${item.state}**`;
    const label = escapeMarkdownText(raw);
    if (options.mode === 'folder') {
      const target = item.path ? encodeLinkPath(item.path) : `#${resultAnchor(item.customId)}`;
      lines.push(`- [${label}](${target})${mark}`);
    } else {
      lines.push(`- ${label}${mark}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** "3 succeeded": a count of results in one state. */
function stateCount(state: 'succeeded' | 'errored' | 'expired' | 'canceled', n: number, l10n: Localizer): string {
  switch (state) {
    case 'succeeded':
      return l10n.t('{0} succeeded', n);
    case 'errored':
      return l10n.t('{0} errored', n);
    case 'expired':
      return l10n.t('{0} expired', n);
    case 'canceled':
      return l10n.t('{0} canceled', n);
  }
}

/** An entry of an editor-mode index: the label's range on its line, and the label itself. */
export interface EditorIndexLink {
  line: number;
  start: number;
  end: number;
  /** The result's file path (or custom_id), unescaped: the key of the label map. */
  label: string;
}

const INDEX_HEADING = /^# Batch results: (`+) ?([^`]+?) ?\1\s*$/;
const INDEX_ENTRY = /^- (.+?)(?: — \*\*[a-z_]+\*\*)?\s*$/;

/**
 * The batch id and the entries of an editor-mode index document, or `undefined` when `text` is
 * not one. Lines the user edited away simply have no link.
 */
export function parseEditorIndex(text: string): { batchId: string; links: EditorIndexLink[] } | undefined {
  const lines = text.split(/\r?\n/);
  const heading = INDEX_HEADING.exec(lines[0] ?? '');
  if (!heading) return undefined;
  const links: EditorIndexLink[] = [];
  lines.forEach((line, i) => {
    const m = INDEX_ENTRY.exec(line);
    if (!m) return;
    links.push({ line: i, start: 2, end: 2 + m[1]!.length, label: m[1]!.replace(/\\(.)/g, '$1') });
  });
  return { batchId: heading[2]!, links };
}

/** The label of an index entry (what `parseEditorIndex` gives back for it). */
export function indexLabel(item: Pick<IndexItem, 'relPath' | 'customId'>): string {
  return labelOf(item as IndexItem);
}

/** A stable fragment id for a result, independent of any document URI scheme. */
export function resultAnchor(customId: string): string {
  return `result-${customId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function labelOf(item: IndexItem): string {
  return item.relPath ?? item.customId;
}

function stateRank(state: ResultState): number {
  return state === 'succeeded' ? 1 : 0;
}

/** What encodeURIComponent leaves as it is, plus the separator: most paths need no encoding. */
const LINK_SAFE = /^[A-Za-z0-9\-_.!~*'()/]*$/;

function encodeLinkPath(path: string): string {
  if (LINK_SAFE.test(path)) return path;
  return path.split('/').map(encodeURIComponent).join('/');
}
