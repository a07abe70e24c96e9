/**
 * Append-only text with O(delta) appends and a cached join.
 *
 * Measured (`test/bench/stream`, 300 KB in 20,000 deltas): `+=` is as fast as this while nothing
 * reads the string (V8 ropes: ~1.4 ms vs ~4.6 ms), but one read per append (`charCodeAt`,
 * `endsWith`, `slice`) flattens the rope each time and costs ~3.9 s. The reducer reads tails
 * (continuation overlap) and future readers should not be able to turn it quadratic by accident,
 * so appends stay O(delta) here whatever is read.
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
