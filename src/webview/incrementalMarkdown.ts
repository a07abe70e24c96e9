// Incremental markdown: work per frame is bounded by what changed, not by the size of the answer
// or of the block being streamed. The DOM is a stack of open blocks ("levels", level.ts): the
// root, then possibly blockquotes, then possibly one list, then possibly its last item, then
// possibly one fence or table. Each level holds children that can no longer change (committed
// once) and a live part re-rendered each frame. Every frame parses only a window: the source from
// the deepest level's resume point (sourceBuffer.ts), after the few header lines that re-open
// that level (a fence's opening line, a table's header and delimiter rows, an item's marker line;
// blockquote lines carry their own markers). Finished fence lines, table rows, list items and
// blocks are committed; a list turning loose (the one change that reaches back) is re-rendered once.
import type { MarkdownIt } from 'markdown-it';
import { openBlockElement } from './blockElement';
import { rootLevel, type Level } from './level';
import { frameLooseness } from './listLooseness';
import {
  childStarts,
  countLines,
  finalChildren,
  hasItemParagraph,
  isComplete,
  itemReopenLine,
  itemStarted,
  listItems,
  setParagraphsHidden,
  streamKind,
  tableRows,
  type LevelKind,
  type ParsedWindow,
} from './openBlocks';
import { SourceBuffer } from './sourceBuffer';
import { appendHtml, closeOf, lineOffsets, renderRange } from './tokenHtml';

/**
 * Size a block (from its first line to the end of the source so far) reaches before it is
 * streamed into as a level of its own. Below it, re-rendering the block each frame costs less
 * than the level: at ~300 characters per frame, a block of S characters re-rendered until it ends
 * costs about S²/600 characters of parsing, a level about 2·S.
 */
export const STREAM_AFTER_CHARS = 1024;

export interface IncrementalOptions {
  /** See `STREAM_AFTER_CHARS`; 0 streams into every block (the tests use it to exercise every level). */
  streamAfterChars?: number;
}

/** Rendering statistics (for tests and the benchmark). */
export interface IncrementalStats {
  frames: number;
  commits: number;
  fullRenders: number;
  /** Characters parsed in total (the quadratic baseline would be ~ answer² / delta). */
  parsedChars: number;
  /** Lists re-rendered because they turned loose. */
  listRerenders: number;
  /** Times the window did not re-open the levels as expected and everything was rebuilt (a bug if > 0). */
  restarts: number;
}

/**
 * Renders growing markdown into `container`. Call `append` for each delta (cheap), `render` once
 * per frame, and `finish` when the text is complete. Invariant: after `render`/`finish`, the
 * container's HTML equals `md.render(source)` rendered in one go (with link reference
 * definitions, which reach back to blocks already committed, only after `finish`).
 */
export class IncrementalMarkdown {
  private readonly text = new SourceBuffer();
  private levels: Level[] = [];
  private dirty = false;
  private sawReferences = false;
  /** Source offset of an item given up in this frame: it is not streamed again before the next. */
  private gaveUpAt = -1;
  /** The window's line starts, refilled by each parse (only the latest window's are ever read). */
  private readonly lineStarts: number[] = [];
  readonly stats: IncrementalStats = { frames: 0, commits: 0, fullRenders: 0, parsedChars: 0, listRerenders: 0, restarts: 0 };

  private readonly streamAfterChars: number;

  constructor(
    private readonly container: HTMLElement,
    private readonly md: MarkdownIt,
    options: IncrementalOptions = {},
  ) {
    this.streamAfterChars = options.streamAfterChars ?? STREAM_AFTER_CHARS;
    this.levels = [rootLevel(this.container)];
  }

  /** The whole markdown source so far (line breaks normalised as markdown-it does). */
  get source(): string {
    return this.text.source;
  }

  /** Characters parsed again at the next frame (the uncommitted part). */
  get tailLength(): number {
    return this.levels[this.levels.length - 1].header.length + this.text.tail.length;
  }

  append(text: string): void {
    if (this.text.append(text)) this.dirty = true;
  }

  /** Re-renders what changed since the last frame, first committing whatever can no longer change. */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.stats.frames++;
    this.gaveUpAt = -1;
    for (const level of this.levels) this.clearLive(level);
    // Each step that does not finish the frame pops or pushes a level or rebuilds: a handful per frame.
    for (let steps = 0; !this.step(); steps++) if (steps > 1000) throw new Error('incremental markdown: no progress');
  }

  /**
   * The text is complete (for now: a continuation may append more later). Renders what is left
   * and, if the answer defines link references (which apply to the whole document, including
   * blocks already committed), renders everything once more so the result is exact.
   */
  finish(): void {
    if (this.sawReferences) {
      this.renderAll();
      return;
    }
    this.render();
  }

  /** Drops the incremental state and renders the whole source once. */
  renderAll(): void {
    const source = this.source;
    this.stats.fullRenders++;
    this.stats.parsedChars += source.length;
    this.container.replaceChildren();
    appendHtml(this.container, this.md.render(source));
    this.levels = [rootLevel(this.container)];
    this.text.resumeAt(source.length);
    this.dirty = false;
  }

  /**
   * Whether the block starting at window line `line` (the last child, a list, fence, table or
   * quote) is big enough to get a level of its own. A level costs two extra parses (when it opens
   * and when it ends) and two more fragments; a small block is cheaper re-rendered with the live
   * part until the block after it commits it. An answer of many short lists, tables and fences
   * paid those extra parses on every one of them (twice the parses of a single long block).
   */
  private worthStreaming(w: ParsedWindow, line: number, kind: LevelKind): boolean {
    // Fences and items stream sooner: a fence's window is one line to re-open and no inline
    // parsing, and re-rendering one re-creates its toolbar each frame; an item holds fences.
    // A list item holding 150-line fences measured 5.2-7.2x one render at 1024, 2.7-3.8x at 256.
    const limit = kind === 'fence' || kind === 'item' ? this.streamAfterChars / 4 : this.streamAfterChars;
    return w.src.length - w.lines[line] >= limit;
  }

  /** One parse of the deepest level's window. True when the frame is done (live part shown). */
  private step(): boolean {
    const depth = this.levels.length - 1;
    const level = this.levels[depth];
    if (level.kind === 'item' && this.text.start > level.start) level.header = level.reopen;
    const src = level.header + this.text.tail;
    const env: Record<string, unknown> = {};
    const tokens = this.md.parse(src, env);
    this.stats.parsedChars += src.length;
    const refs = env.references;
    if (typeof refs === 'object' && refs !== null && Object.keys(refs).length > 0) this.sawReferences = true;
    const w: ParsedWindow = { src, tokens, env, lines: lineOffsets(src, this.lineStarts), headerLen: level.header.length };

    // The window re-opens every level below the root at its start: tokens[d - 1] opens levels[d].
    const close = [tokens.length];
    for (let d = 1; d <= depth; d++) {
      const t = tokens[d - 1];
      const l = this.levels[d];
      if (!t || t.type !== l.openType || t.markup !== l.markup || t.level !== d - 1) return this.restart();
      close[d] = closeOf(tokens, d - 1);
    }

    if (!this.settleItem(w, close)) return false;
    if (depth > 0 && this.popIfEnded(w, close)) return false;

    const open = depth - 1;
    switch (level.kind) {
      case 'root':
      case 'quote':
      case 'item': {
        const from = open + 1;
        const starts = childStarts(tokens, from, close[depth], depth);
        const last = starts[starts.length - 1];
        let kind = last === undefined ? undefined : streamKind(tokens, last);
        if (level.kind === 'item' && kind !== 'fence' && kind !== 'table') kind = undefined;
        if (kind && isComplete(w, tokens[last].map![0]) && this.worthStreaming(w, tokens[last].map![0], kind)) {
          this.commit(level, w, from, last);
          this.push(kind, w, last);
          return false;
        }
        const final = finalChildren(w, starts, depth, depth > 0 ? tokens[open].map![1] : Infinity, level.kind !== 'item');
        let live = from;
        if (final) {
          live = starts[final.count] ?? close[depth];
          this.commit(level, w, from, live);
          this.advanceTo(w, final.resume);
        }
        this.showLive(w, close, live, close[depth]);
        return true;
      }
      case 'list': {
        if (!this.settleLooseness(level, w, open, close[depth])) return false;
        const items = listItems(tokens, open, close[depth]);
        // An item is final once the next item has surely started (see `itemStarted`).
        let k = items.length - 1;
        while (k > 0 && !itemStarted(w, tokens[items[k]], level.finallyLoose)) k--;
        const reopen = k >= 0 && k === items.length - 1 ? this.itemReopen(w, items[k], level) : undefined;
        if (reopen !== undefined) {
          this.commitItems(level, w, items[0], items[k]);
          // Whether its paragraphs show is the list's to decide: a list turning loose re-renders it too.
          level.hasParagraphs = true;
          this.push('item', w, items[k], reopen);
          return false;
        }
        if (k > 0) {
          this.commitItems(level, w, items[0], items[k]);
          this.advanceTo(w, tokens[items[k]].map![0]);
        }
        this.showLive(w, close, items[Math.max(k, 0)] ?? close[depth], close[depth]);
        return true;
      }
      case 'fence': {
        const content = tokens[open].content;
        const cut = content.lastIndexOf('\n') + 1;
        if (cut > 0) {
          // Finished lines go in once, as text (the DOM escapes it exactly as markdown-it does).
          level.el.append(document.createTextNode(content.slice(0, cut)));
          this.stats.commits++;
          this.advanceTo(w, tokens[open].map![0] + 1 + countLines(content.slice(0, cut)));
        }
        this.showLive(w, close, content.slice(cut));
        return true;
      }
      case 'table': {
        const { rows, bodyClose } = tableRows(tokens, open, close[depth]);
        let k = 0;
        while (k < rows.length && isComplete(w, tokens[rows[k]].map![0])) k++;
        if (k > 0) {
          this.commit(level, w, rows[0], rows[k] ?? bodyClose);
          this.advanceTo(w, tokens[rows[k - 1]].map![1]);
        }
        if (k < rows.length) this.showLive(w, close, rows[k], bodyClose);
        else this.showLive(w, close, 0, 0);
        return true;
      }
    }
  }

  /**
   * When the deepest level (and possibly blockquotes around it) has ended, i.e. a block after it
   * has a complete first line: commits the rest of it, pops the ended levels and resumes their
   * parent at that block. The block follows a complete fence, list, table or quote, so nothing
   * before it can change any more.
   */
  private popIfEnded(w: ParsedWindow, close: number[]): boolean {
    const depth = this.levels.length - 1;
    let j = depth;
    let idx = close[depth];
    while (j > 1 && idx + 1 === close[j - 1]) {
      j--;
      idx++;
    }
    const next = w.tokens[idx + 1];
    if (!next?.map || next.nesting === -1 || !isComplete(w, next.map[0])) return false;
    const level = this.levels[depth];
    const open = depth - 1;
    const tokens = w.tokens;
    switch (level.kind) {
      case 'quote':
      case 'item': this.commit(level, w, open + 1, close[depth]); break;
      case 'list': {
        if (!this.settleLooseness(level, w, open, close[depth])) return true;
        this.commitItems(level, w, open + 1, close[depth]);
        break;
      }
      case 'fence': if (tokens[open].content) level.el.append(document.createTextNode(tokens[open].content)); break;
      case 'table': {
        const { rows, bodyClose } = tableRows(tokens, open, close[depth]);
        if (rows.length) this.commit(level, w, rows[0], bodyClose);
        break;
      }
      case 'root': break;
    }
    this.levels.length = j;
    this.advanceTo(w, next.map[0]);
    return true;
  }

  /** Opens a level for the block at `tokens[i]`, the last child of the deepest level, and resumes inside it. */
  private push(kind: LevelKind, w: ParsedWindow, i: number, reopen = ''): void {
    const t = w.tokens[i];
    const line = t.map![0];
    const { fragment, el, header, resume } = openBlockElement(this.md, kind, w, i);
    const parent = this.levels[this.levels.length - 1];
    const start = this.sourceOffset(w, line);
    const nodes = [...fragment.childNodes];
    parent.el.append(fragment);
    this.levels.push({
      kind, el, live: [], openType: t.type, markup: t.markup, start, loose: false, finallyLoose: false, hasParagraphs: false, nodes,
      // Inside an item, a window that starts after the item's first line must re-open the item first.
      header: (parent.kind === 'item' && start > parent.start ? parent.reopen : '') + header,
      reopen,
    });
    this.advanceTo(w, resume);
  }

  /**
   * The re-open line (`itemReopenLine`) of the list's last item (`w.tokens[i]`, the live one)
   * when it gets a level of its own, else undefined. It does when it is big, it can be re-opened,
   * and its first block is final, because the `<li>` is rendered once, and markdown-it ends it with a line break unless a tight paragraph follows
   * (a paragraph may still become a setext heading; a fence whose opening line is complete, or a
   * block followed by another, cannot change). The list must sit in the root or a quote (an
   * item's lines carry no context for items inside it) and its looseness must not be a passing
   * one of an unfinished line.
   */
  private itemReopen(w: ParsedWindow, i: number, list: Level): string | undefined {
    const item = w.tokens[i];
    const line = item.map![0];
    const parent = this.levels[this.levels.length - 2];
    if (parent.kind !== 'root' && parent.kind !== 'quote') return undefined;
    // Should the list's window and the item's ever disagree on looseness, pushing and giving up
    // the item would alternate; once per frame it is re-rendered with the list instead.
    if (this.sourceOffset(w, line) === this.gaveUpAt) return undefined;
    if ((list.loose && !list.finallyLoose) || !this.worthStreaming(w, line, 'item')) return undefined;
    const blocks = childStarts(w.tokens, i + 1, closeOf(w.tokens, i), item.level + 1);
    const firstFinal = (blocks.length > 1 && isComplete(w, w.tokens[blocks[1]].map![0]))
      || (blocks.length === 1 && w.tokens[blocks[0]].type === 'fence' && isComplete(w, w.tokens[blocks[0]].map![0]));
    return firstFinal ? itemReopenLine(w, item) : undefined;
  }

  /**
   * Renders the window with the looseness of the list of the item level in the stack, if any
   * (this window may be one of a fence or table inside the item). When the window makes a tight
   * list loose (a blank line between two blocks of the item, or before the next item), the item
   * is given up: its element is taken out and the list resumes at the item's start, where
   * `settleLooseness` renders the list again, loose (once per list). Later windows start after
   * that blank line, so it must be seen now, before a level pops past it.
   */
  private settleItem(w: ParsedWindow, close: number[]): boolean {
    const d = this.levels.findIndex((l) => l.kind === 'item');
    if (d < 0) return true;
    const depth = this.levels.length - 1;
    // In a fence's or table's window with nothing after the block but closing tokens, no blank
    // line can lie between two blocks: skip the check, whose probe parse (a tight list's window
    // with no paragraph) would double every frame's parse of a long fence in an item.
    if (depth > d && onlyClosing(w.tokens, close[depth] + 1)) return true;
    const list = this.levels[d - 1];
    const loose = frameLooseness(this.md, list, w, d - 2, close[d - 1], (n) => (this.stats.parsedChars += n));
    if (loose !== list.loose) {
      this.giveUpItem(this.levels[d]);
      return false;
    }
    if (loose) setParagraphsHidden(w.tokens, d - 2, close[d - 1], false);
    return true;
  }

  /** Renders the window's items with the list's looseness; re-renders the committed items when it changed. */
  private settleLooseness(level: Level, w: ParsedWindow, open: number, close: number): boolean {
    const loose = frameLooseness(this.md, level, w, open, close, (n) => (this.stats.parsedChars += n));
    if (loose !== level.loose) {
      level.loose = loose;
      if (level.hasParagraphs && !this.rerenderList(level)) return false;
    }
    if (loose) setParagraphsHidden(w.tokens, open, close, false);
    return true;
  }

  /** Renders the committed items again with the list's looseness. False when that failed (then everything was rebuilt). */
  private rerenderList(level: Level): boolean {
    this.stats.listRerenders++;
    // Nothing committed yet (an item level given up at the list's first item): nothing to redo.
    if (this.text.start <= level.start) {
      level.el.replaceChildren(document.createTextNode('\n'));
      return true;
    }
    const depth = this.levels.indexOf(level);
    const env: Record<string, unknown> = {};
    const tokens = this.md.parse(this.source.slice(level.start, this.text.start), env);
    const open = depth - 1;
    if (tokens[open]?.type !== level.openType) return this.restart();
    const close = closeOf(tokens, open);
    setParagraphsHidden(tokens, open, close, !level.loose);
    level.el.replaceChildren(document.createTextNode('\n'));
    appendHtml(level.el, renderRange(this.md, tokens, open + 1, close, env));
    return true;
  }

  private commitItems(level: Level, w: ParsedWindow, from: number, to: number): void {
    if (from >= to) return;
    if (hasItemParagraph(w.tokens, from, to, this.levels.indexOf(level) - 1)) level.hasParagraphs = true;
    this.commit(level, w, from, to);
  }

  private commit(level: Level, w: ParsedWindow, from: number, to: number): void {
    if (from >= to) return;
    this.stats.commits++;
    appendHtml(level.el, renderRange(this.md, w.tokens, from, to, w.env));
  }

  /**
   * Shows the deepest level's live part (a token range, or a fence's unfinished line as text) and
   * whatever the window has after the ends of the levels (a block that has started after a list,
   * say, whose first line is not complete yet).
   */
  private showLive(w: ParsedWindow, close: number[], from: number | string, to = 0): void {
    const depth = this.levels.length - 1;
    if (typeof from === 'string') {
      if (from) {
        const text = document.createTextNode(from);
        this.levels[depth].el.append(text);
        this.levels[depth].live = [text];
      }
    } else if (from < to) {
      this.levels[depth].live = appendHtml(this.levels[depth].el, renderRange(this.md, w.tokens, from, to, w.env));
    }
    for (let d = depth - 1; d >= 0; d--) {
      const start = close[d + 1] + 1;
      if (start < close[d]) this.levels[d].live = appendHtml(this.levels[d].el, renderRange(this.md, w.tokens, start, close[d], w.env));
    }
  }

  private clearLive(level: Level): void {
    for (const node of level.live) node.parentNode?.removeChild(node);
    level.live = [];
  }

  /** Window line → offset in the whole source. */
  private sourceOffset(w: ParsedWindow, line: number): number {
    return this.text.start + (w.lines[line] ?? w.src.length) - w.headerLen;
  }

  /** Moves the resume point of the (new) deepest level to a window line. */
  private advanceTo(w: ParsedWindow, line: number): void {
    this.text.advance(this.sourceOffset(w, line) - this.text.start);
  }

  /** Takes an item level (and any level inside it) out again: its list resumes at the item's start. */
  private giveUpItem(item: Level): void {
    for (const node of item.nodes) node.parentNode?.removeChild(node);
    this.levels.length = this.levels.indexOf(item);
    this.text.resumeAt(item.start);
    this.gaveUpAt = item.start;
  }

  /** Safety net: rebuilds from the whole source (counted in `stats.restarts`; the tests require 0). */
  private restart(): false {
    this.stats.restarts++;
    this.container.replaceChildren();
    this.levels = [rootLevel(this.container)];
    this.text.resumeAt(0);
    return false;
  }
}

/** Whether `tokens[from..]` are all closing tokens. */
function onlyClosing(tokens: readonly { nesting: number }[], from: number): boolean {
  for (let i = from; i < tokens.length; i++) if (tokens[i].nesting !== -1) return false;
  return true;
}
