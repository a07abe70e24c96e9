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
 * marking the ones opened now. Untitled documents cannot link to each other, so the rest are
 * named with how to open them: the batch's items in the Batches view, or Open Result.
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
  if (openedCount < items.length) {
    lines.push(
      `${openedCount} opened as documents. Open any other one from the batch in the **Batches** view ` +
        '(click its file) or with **Claude: Open Result** on the batch.',
      '',
    );
  }
  for (const item of sorted) {
    const mark = item.state === 'succeeded' ? '' : ` — **${item.state}**`;
    const opened = item.opened ? ' (open)' : '';
    lines.push(`- ${escapeMarkdownText(label(item))}${mark}${opened}`);
  }
  return lines.join('\n') + '\n';
}

function label(item: EditorIndexItem): string {
  return item.relPath ?? item.customId;
}

function rank(state: ResultState): number {
  return state === 'succeeded' ? 1 : 0;
}
