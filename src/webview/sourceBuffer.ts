// The answer's markdown source as the incremental renderer holds it: split at the deepest level's
// resume point into what no window reads again and what every frame parses (no DOM).

import { normalizeChunk } from './tokenHtml';

export class SourceBuffer {
  /** Source before `start` (committed, or header lines kept in a level), joined lazily. */
  private done: string[] = [];
  private afterCR = false;
  /** What the next window parses, after the deepest level's header. */
  tail = '';
  /** Offset of `tail` in the whole source. */
  start = 0;

  /** The whole source so far (line breaks normalised as markdown-it does). */
  get source(): string {
    if (this.done.length > 1) this.done = [this.done.join('')];
    return (this.done[0] ?? '') + this.tail;
  }

  /** Appends a delta; false when it adds nothing (empty, or the LF of a CR LF split across deltas). */
  append(text: string): boolean {
    if (!text) return false;
    const t = normalizeChunk(text, this.afterCR);
    this.afterCR = text.charCodeAt(text.length - 1) === 13;
    if (!t) return false;
    this.tail += t;
    return true;
  }

  /** Moves the resume point `n` characters forward. */
  advance(n: number): void {
    if (n <= 0) return;
    this.done.push(this.tail.slice(0, n));
    this.tail = this.tail.slice(n);
    this.start += n;
  }

  /** Puts the resume point at a source offset, before or after the current one. */
  resumeAt(offset: number): void {
    const source = this.source;
    this.done = [source.slice(0, offset)];
    this.tail = source.slice(offset);
    this.start = offset;
  }
}
