// Token-level decisions of the incremental renderer (no DOM): which children of an open block can
// no longer change, and which blocks it can stream into. Everything here reads markdown-it's own
// tokens and line maps of one parsed window; nothing re-implements markdown parsing.

import type { Token } from 'markdown-it';
import { closeOf } from './tokenHtml';

/**
 * The open blocks the renderer streams into. `root`, `quote` and `item` hold blocks, `list` holds
 * items, `fence` holds lines, `table` holds rows. A quote's lines carry their own context
 * (blockquote markers); an item's do not, so its windows start with a line that re-opens it
 * (`itemReopenLine`), and it holds only fences and tables as levels of its own.
 */
export type LevelKind = 'root' | 'quote' | 'list' | 'item' | 'fence' | 'table';

/** One parse of the source from a level's resume point, with that level's header lines in front. */
export interface ParsedWindow {
  src: string;
  tokens: Token[];
  env: Record<string, unknown>;
  /** Line start offsets in `src`. */
  lines: number[];
  /** Length of the header lines in front of the resumed source. */
  headerLen: number;
}

/** A line is complete once a line break follows it; only then is markdown-it's decision about it final. */
export const isComplete = (w: ParsedWindow, line: number): boolean => line + 1 < w.lines.length;

export function lineText(w: ParsedWindow, line: number): string {
  return w.src.slice(w.lines[line], w.lines[line + 1] ?? w.src.length);
}

/** The level a block can be streamed into, if any. Tables only once they have a body (a `<tbody>` to grow). */
export function streamKind(tokens: readonly Token[], i: number): LevelKind | undefined {
  switch (tokens[i].type) {
    // An empty quote renders as `<blockquote></blockquote>`: only one with content can grow.
    case 'blockquote_open': return tokens[i + 1]?.type !== 'blockquote_close' ? 'quote' : undefined;
    case 'bullet_list_open':
    case 'ordered_list_open': return 'list';
    case 'fence': return 'fence';
    case 'table_open': return tbodyOf(tokens, i, closeOf(tokens, i)) >= 0 ? 'table' : undefined;
    default: return undefined;
  }
}

/** Start indices of the blocks at `level` in `tokens[from..to)`. */
export function childStarts(tokens: readonly Token[], from: number, to: number, level: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.level === level && t.nesting !== -1) starts.push(i);
  }
  return starts;
}

/**
 * Index (into `starts`) of the last child B where the blocks before it can be committed, or -1.
 * B must be preceded by a blank line (so it does not continue a paragraph, table or heading
 * before it) and its first line must be complete (a list item or indented line there could still
 * change whether B continues a list above it; once the line is complete, markdown-it's decision
 * that B is a separate block is final). `quoteDepth` blockquote markers are ignored when looking
 * for the blank line.
 */
function stableSplit(w: ParsedWindow, starts: readonly number[], quoteDepth: number): number {
  for (let k = starts.length - 1; k > 0; k--) {
    const map = w.tokens[starts[k]].map;
    if (!map || map[0] === 0 || !isComplete(w, map[0])) continue;
    if (isBlankLine(lineText(w, map[0] - 1), quoteDepth)) return k;
  }
  return -1;
}

/** Blocks that nothing after a blank line can change (a list could still continue, a quote is a level of its own). */
const CLOSED_BY_BLANK = new Set(['paragraph_open', 'heading_open', 'hr', 'fence', 'table_open']);

/**
 * Which children of a root or quote level (`starts`, the level's children in the window) are
 * final: the children before index `count` (all of them when `count === starts.length`), and the
 * window line the level resumes at. `levelEnd` is the line the level ends at (a quote's line map
 * end; the root has none). Undefined when nothing is final yet.
 *
 * The usual split is `stableSplit`'s. The last child is final too once a complete blank line of
 * the level itself follows it and it is a block nothing after a blank line can change: prose is
 * mostly single long lines, and waiting for the next block's first line kept each paragraph live,
 * and re-parsed each frame, about twice as long. A block whose text holds `[` or `]` as text waits
 * as before: a reference definition later on could still turn it into a link. An item level
 * passes `resumeAtBlank` false: its window's re-open line followed by a blank line would end it.
 */
export function finalChildren(w: ParsedWindow, starts: readonly number[], quoteDepth: number, levelEnd: number, resumeAtBlank = true): { count: number; resume: number } | undefined {
  const lastIndex = starts[starts.length - 1];
  const last = lastIndex === undefined ? undefined : w.tokens[lastIndex];
  const end = last?.map?.[1];
  if (resumeAtBlank && last && end !== undefined && end < levelEnd && CLOSED_BY_BLANK.has(last.type) && isComplete(w, end)
    && isBlankLine(lineText(w, end), quoteDepth) && !mayBeReference(w.tokens, lastIndex)) {
    return { count: starts.length, resume: end };
  }
  const k = stableSplit(w, starts, quoteDepth);
  return k > 0 ? { count: k, resume: w.tokens[starts[k]].map![0] } : undefined;
}

/**
 * Whether the block at `tokens[i]` has text with a bracket left as text: a reference link
 * (`[foo]`, `[foo][bar]`) that a later definition could still resolve. Brackets of inline links
 * (`[foo](url)`) are link tokens already, and those in code spans are code: neither can change.
 */
function mayBeReference(tokens: readonly Token[], i: number): boolean {
  const end = tokens[i].nesting === 1 ? closeOf(tokens, i) : i;
  for (let j = i; j <= end; j++) {
    const t = tokens[j];
    // The inline token's source first: most blocks have no bracket at all.
    if (t.type === 'inline' && hasBracket(t.content) && t.children?.some((c) => c.type === 'text' && hasBracket(c.content))) return true;
  }
  return false;
}

const hasBracket = (s: string): boolean => s.includes('[') || s.includes(']');

/**
 * The line that re-opens the list item `item` at the start of a window that resumes inside it:
 * the item's first line up to its marker, as an item that starts with a blank line (`1.` then
 * the item's content, indented as before). Such an item's content starts one column after the
 * marker, so only items written that way (one space after the marker, or nothing) can be
 * re-opened; undefined for others (and for tabs, whose columns depend on what precedes them).
 */
export function itemReopenLine(w: ParsedWindow, item: Token): string | undefined {
  const text = lineText(w, item.map![0]);
  const prefix = containerPrefix(text);
  const marker = item.info + item.markup;
  if (prefix.includes('\t') || !text.startsWith(marker, prefix.length)) return undefined;
  const after = text.slice(prefix.length + marker.length);
  if (!/^(?: [^ \t\n]|\n?$)/.test(after)) return undefined;
  return `${prefix}${marker}\n`;
}

/** A line's blockquote markers and indentation, up to where a list item's marker would be. */
const containerPrefix = (line: string): string => /^(?:[ \t]*>)*[ \t]*/.exec(line)![0];

/** Blank as markdown-it sees it (spaces and tabs only), after up to `quoteDepth` `>` markers. */
export function isBlankLine(line: string, quoteDepth: number): boolean {
  let s = line;
  for (let q = 0; q < quoteDepth; q++) {
    const m = /^ {0,3}>[ \t]?/.exec(s);
    if (!m) break;
    s = s.slice(m[0].length);
  }
  return /^[ \t]*\n?$/.test(s);
}

/** Indices of the `list_item_open` tokens of the list opened at `open`. */
export function listItems(tokens: readonly Token[], open: number, close: number): number[] {
  const level = tokens[open].level + 1;
  const items: number[] = [];
  for (let i = open + 1; i < close; i++) if (tokens[i].level === level && tokens[i].type === 'list_item_open') items.push(i);
  return items;
}

/**
 * Whether the list item opened by `item` has surely started, so that the items before it are
 * final: its first line is complete, or what is there of it already has content after the marker
 * that no more characters can turn into something else. A marker alone (`2.` may still become
 * `2.5`, continuing the item before) and a line of `-`, `*`, `_` and spaces (still a possible
 * thematic break, `- - -`, that ends the list) wait for the line to complete, and so does an item
 * after a blank line while the list may still turn loose. Committing on the item's first
 * characters keeps the item before it out of the next frames' live part: list items are mostly
 * one line, and waiting for the next one to complete kept about two items live.
 */
export function itemStarted(w: ParsedWindow, item: Token, finallyLoose: boolean): boolean {
  const line = item.map![0];
  if (isComplete(w, line)) return true;
  // After a blank line the new item makes the list loose, which only a parse of complete lines
  // that include it can settle once and for all (`frameLooseness`); the items before it wait,
  // unless complete lines have made the list loose already (items of a loose list are mostly
  // separated by blank lines, and each waited for the next one's first line to complete).
  if (!finallyLoose && line > 0 && isBlankLine(lineText(w, line - 1), Infinity)) return false;
  const whole = lineText(w, line);
  const text = whole.slice(containerPrefix(whole).length);
  const marker = item.info + item.markup;
  if (!text.startsWith(marker)) return false;
  const content = text.slice(marker.length);
  return /^[ \t]+\S/.test(content) && /[^\s\-*_=+]/.test(content);
}

/**
 * Whether the window's items render loose (true) or tight (false): markdown-it hides the
 * paragraphs directly inside the items of a tight list. `undefined` when no paragraph tells.
 */
export function rendersLoose(tokens: readonly Token[], open: number, close: number): boolean | undefined {
  const level = tokens[open].level + 2;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t.level === level && t.type === 'paragraph_open') return !t.hidden;
  }
  return undefined;
}

/**
 * A line that markdown-it reads as one more item of the list whose item starts `firstLine`, with
 * a paragraph in it (so that its hidden flag tells whether the list renders tight), to put in
 * front of a window whose own items have no paragraph. No blank line follows it, so it adds no
 * looseness of its own.
 */
export function probeItemLine(firstLine: string, item: Token): string {
  const prefix = containerPrefix(firstLine);
  return `${prefix}${item.info}${item.markup} p\n`;
}

/** True when `tokens[from..to)` hold a paragraph directly inside an item of the list at `listLevel` (looseness shows there). */
export function hasItemParagraph(tokens: readonly Token[], from: number, to: number, listLevel: number): boolean {
  for (let i = from; i < to; i++) if (tokens[i].level === listLevel + 2 && tokens[i].type === 'paragraph_open') return true;
  return false;
}

/**
 * Renders the list's items loose (`hidden` false) or tight, as markdown-it does for the whole list:
 * the window may start after the blank line that made it loose.
 */
export function setParagraphsHidden(tokens: readonly Token[], open: number, close: number, hidden: boolean): void {
  const level = tokens[open].level + 2;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t.level === level && (t.type === 'paragraph_open' || t.type === 'paragraph_close')) t.hidden = hidden;
  }
}

/** Index of the table's `tbody_open`, or -1 (a table without body rows has none). */
export function tbodyOf(tokens: readonly Token[], open: number, close: number): number {
  for (let i = open + 1; i < close; i++) if (tokens[i].type === 'tbody_open') return i;
  return -1;
}

/** The body rows (`tr_open` indices) of the table opened at `open`, and the index of `tbody_close` (or -1). */
export function tableRows(tokens: readonly Token[], open: number, close: number): { rows: number[]; bodyClose: number } {
  const tbody = tbodyOf(tokens, open, close);
  if (tbody < 0) return { rows: [], bodyClose: -1 };
  const bodyClose = closeOf(tokens, tbody);
  const level = tokens[tbody].level + 1;
  const rows: number[] = [];
  for (let i = tbody + 1; i < bodyClose; i++) if (tokens[i].level === level && tokens[i].type === 'tr_open') rows.push(i);
  return { rows, bodyClose };
}

/** Number of complete lines in `text` (the count of line breaks). */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
