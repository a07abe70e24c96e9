/**
 * Append-only text with O(delta) appends and a cached join.
 *
 * Why not `+=`: V8 builds ropes for `+=`, so appends are cheap too, but any read (`endsWith`,
 * `slice`, `charCodeAt`) flattens the rope, and we read the tail on every delta (whitespace
 * hold-back, overlap checks). A chunk list keeps appends O(delta) no matter how often the
 * tail is read; `bench/stream` measures both.
 */
export class TextBuffer {
  private chunks: string[] = [];
  private joined = '';
  private joinedChunks = 0;
  private size = 0;

  constructor(initial = '') {
    if (initial) this.append(initial);
  }

  get length(): number {
    return this.size;
  }

  append(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.size += text.length;
  }

  /** The last `n` characters, without joining the whole buffer. */
  tail(n: number): string {
    let out = '';
    for (let i = this.chunks.length - 1; i >= 0 && out.length < n; i--) out = this.chunks[i] + out;
    return out.length > n ? out.slice(out.length - n) : out;
  }

  toString(): string {
    if (this.joinedChunks !== this.chunks.length) {
      this.joined = this.chunks.join('');
      // Collapse to one chunk so later joins only copy what was appended since.
      this.chunks = [this.joined];
      this.joinedChunks = 1;
    }
    return this.joined;
  }
}
