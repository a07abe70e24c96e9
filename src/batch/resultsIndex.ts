import { escapeMarkdownText, inlineCode } from './results';
import type { ResultState } from './results';

export interface EditorIndexItem {
  customId: string;
  relPath?: string;
  state: ResultState;
  /** Opened as a document right away. */
  opened: boolean;
}

/**
 * The index of a batch's results in editor mode: counts, then every result (failures first),
 * marking the ones opened now. Each entry ends with its custom_id in an HTML comment, so the
 * index links (`parseEditorIndex`, a document link provider) can be rebuilt from the text alone,
 * also after a window reload restores the untitled document.
 */
export function editorIndexMarkdown(batchId: string, items: readonly EditorIndexItem[], model?: string): string {
  const counts = new Map<ResultState, number>();
  for (const item of items) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  const sorted = [...items].sort(
    (a, b) => rank(a.state) - rank(b.state) || label(a).localeCompare(label(b)),
  );
  const summary = (['succeeded', 'errored', 'expired', 'canceled'] as const)
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(' · ');
  const openedCount = items.filter((i) => i.opened).length;
  const lines = [`# Batch results: ${inlineCode(batchId)}`, ''];
  if (model) lines.push(`Model: ${inlineCode(model)}`, '');
  lines.push(`${items.length} results${summary ? `: ${summary}` : ''}`, '');
  if (items.length > 0) {
    lines.push(
      `Ctrl+click (Cmd+click on macOS) a file below to open its result` +
        (openedCount < items.length ? `; ${openedCount} opened as documents now, the others open on demand.` : '.'),
      '',
    );
  }
  for (const item of sorted) {
    const mark = item.state === 'succeeded' ? '' : ` — **${item.state}**`;
    const opened = item.opened ? ' (open)' : '';
    lines.push(`- ${escapeMarkdownText(label(item))}${mark}${opened} <!-- id: ${encodeURIComponent(item.customId)} -->`);
  }
  return lines.join('\n') + '\n';
}

/** A link of an editor-mode index: the label's range on its line, and the result it opens. */
export interface EditorIndexLink {
  line: number;
  start: number;
  end: number;
  customId: string;
  label: string;
}

const INDEX_HEADING = /^# Batch results: (`+) ?([^`]+?) ?\1\s*$/;
const INDEX_ENTRY = /^- (.+?)(?: — \*\*[a-z_]+\*\*)?(?: \(open\))? <!-- id: (\S+) -->\s*$/;

/**
 * The batch id and the entries of an editor-mode index document (`editorIndexMarkdown`), or
 * `undefined` when `text` is not one. Lines the user edited away simply have no link.
 */
export function parseEditorIndex(text: string): { batchId: string; links: EditorIndexLink[] } | undefined {
  const lines = text.split(/\r?\n/);
  const heading = INDEX_HEADING.exec(lines[0] ?? '');
  if (!heading) return undefined;
  const links: EditorIndexLink[] = [];
  lines.forEach((line, i) => {
    const m = INDEX_ENTRY.exec(line);
    if (!m) return;
    let customId: string;
    try {
      customId = decodeURIComponent(m[2]!);
    } catch {
      return;
    }
    links.push({ line: i, start: 2, end: 2 + m[1]!.length, customId, label: m[1]!.replace(/\\(.)/g, '$1') });
  });
  return { batchId: heading[2]!, links };
}

function label(item: EditorIndexItem): string {
  return item.relPath ?? item.customId;
}

function rank(state: ResultState): number {
  return state === 'succeeded' ? 1 : 0;
}
