/** A position as VS Code's text model counts it: `\r\n`, `\r` and `\n` each end a line. */
export interface TextPosition {
  line: number;
  character: number;
}

/** Replace `start`…`end` of the old text with `text`. */
export interface TextChange {
  start: TextPosition;
  end: TextPosition;
  text: string;
}

/**
 * The one replacement that turns `before` into `after` while keeping their common start and end:
 * an accepted edit then sends and records (for undo) only what changed, not the whole file. Its
 * bounds never fall inside a `\r\n` or a surrogate pair, where the model would move them.
 */
export function textChange(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  while (start > 0 && splitsPair(before, start)) start--;
  while (tail > 0 && splitsPair(before, before.length - tail)) tail--;
  return { start: positionAt(before, start), end: positionAt(before, before.length - tail), text: after.slice(start, after.length - tail) };
}

/** True when `offset` falls between the two halves of a `\r\n` or of a surrogate pair. */
function splitsPair(text: string, offset: number): boolean {
  const prev = text.charCodeAt(offset - 1);
  const next = text.charCodeAt(offset);
  return (prev === 13 && next === 10) || (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff);
}

/** The line and character of `offset` in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < offset) i++;
    if (c === 13 || c === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}
