// Incremental markdown: the answer is a stable prefix of finished top-level blocks, rendered once
// and never touched again, plus an unfinished tail re-rendered at most once per frame. Work per
// frame is O(tail), not O(answer), so a 300 KB answer streams as cheaply as a 3 KB one.

import type { MarkdownIt, Token } from 'markdown-it';

/** Rendering statistics (for tests and the benchmark). */
export interface IncrementalStats {
  frames: number;
  commits: number;
  fullRenders: number;
  /** Characters parsed in total (the quadratic baseline would be ~ answer² / delta). */
  parsedChars: number;
}

/**
 * Renders growing markdown into `container`. Call `append` for each delta (cheap), `render` once
 * per frame, and `finish` when the text is complete. Invariant: after `render`/`finish`, the
 * container's HTML equals `md.render(source)` rendered in one go.
 */
export class IncrementalMarkdown {
  /** Committed source, as chunks (joined only on demand). */
  private committed: string[] = [];
  private tail = '';
  private tailNodes: Node[] = [];
  private dirty = false;
  /** Link reference definitions are document-global; seeing one forces a full render at the end. */
  private sawReferences = false;
  readonly stats: IncrementalStats = { frames: 0, commits: 0, fullRenders: 0, parsedChars: 0 };

  constructor(
    private readonly container: HTMLElement,
    private readonly md: MarkdownIt,
  ) {}

  /** The whole markdown source so far. */
  get source(): string {
    return this.committed.join('') + this.tail;
  }

  get tailLength(): number {
    return this.tail.length;
  }

  append(text: string): void {
    if (!text) return;
    this.tail += text;
    this.dirty = true;
  }

  /** Re-renders the tail if it changed, first committing any blocks that can no longer change. */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.stats.frames++;
    const env: Record<string, unknown> = {};
    const tokens = this.md.parse(this.tail, env);
    this.stats.parsedChars += this.tail.length;
    if (hasReferences(env)) this.sawReferences = true;
    const split = findStableSplit(tokens, this.tail);
    if (split) {
      this.commit(this.tail.slice(0, split.offset), this.md.renderer.render(tokens.slice(0, split.tokenIndex), this.md.options, env));
      this.tail = this.tail.slice(split.offset);
      this.replaceTail(this.md.renderer.render(tokens.slice(split.tokenIndex), this.md.options, env));
    } else {
      this.replaceTail(this.md.renderer.render(tokens, this.md.options, env));
    }
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
    this.committed = [source];
    this.tail = '';
    this.tailNodes = [];
    this.dirty = false;
    this.container.append(htmlToFragment(this.md.render(source)));
  }

  private commit(source: string, html: string): void {
    this.stats.commits++;
    this.committed.push(source);
    const fragment = htmlToFragment(html);
    const anchor = this.tailNodes[0] ?? null;
    this.container.insertBefore(fragment, anchor && anchor.parentNode === this.container ? anchor : null);
  }

  private replaceTail(html: string): void {
    for (const node of this.tailNodes) node.parentNode?.removeChild(node);
    const fragment = htmlToFragment(html);
    this.tailNodes = Array.from(fragment.childNodes);
    this.container.append(fragment);
  }
}

const template = (): HTMLTemplateElement => document.createElement('template');

/** Parses trusted renderer output (markdown-it with `html: false`) into nodes; scripts in a template never run. */
function htmlToFragment(html: string): DocumentFragment {
  const t = template();
  t.innerHTML = html;
  return t.content;
}

function hasReferences(env: Record<string, unknown>): boolean {
  const refs = env.references;
  return typeof refs === 'object' && refs !== null && Object.keys(refs).length > 0;
}

/**
 * The last point where the text can be cut so that the part before it renders the same no matter
 * what is appended: the start of a top-level block B (per markdown-it's own parse) that
 * - is preceded by a blank line (so B does not continue a paragraph, table or heading), and
 * - has its first line complete (a list item or indented line there could still change whether
 *   B continues a loose list above it; once the line is complete, markdown-it's decision that B
 *   is a separate block is final).
 * Fences left open swallow the rest of the text, so they never produce a B after them.
 * Returns the character offset of B and the index of its first token.
 */
export function findStableSplit(tokens: readonly Token[], text: string): { offset: number; tokenIndex: number } | undefined {
  let lineStarts: number[] | undefined;
  for (let i = tokens.length - 1; i > 0; i--) {
    const t = tokens[i];
    if (t.level !== 0 || t.nesting === -1 || !t.map) continue;
    const line = t.map[0];
    if (line === 0) continue;
    lineStarts ??= lineOffsets(text);
    // B's first line must be followed by a line break (i.e. another line start exists).
    if (line + 1 >= lineStarts.length) continue;
    const prevStart = lineStarts[line - 1];
    const prevLine = text.slice(prevStart, lineStarts[line]);
    if (prevLine.trim() !== '') continue;
    return { offset: lineStarts[line], tokenIndex: i };
  }
  return undefined;
}

/** Start offsets of every line, splitting on \n, \r\n and \r as markdown-it does. */
function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}
