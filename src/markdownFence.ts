/** Fences for quoting arbitrary text in markdown: no run of backticks inside can close them. */

/** Length of the longest run of consecutive backticks in `text`. */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  let i = text.indexOf('`');
  while (i !== -1) {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) === 96) j++;
    if (j - i > longest) longest = j - i;
    i = text.indexOf('`', j);
  }
  return longest;
}

/** A backtick fence longer than any backtick run in `text` (at least `min` long). */
export function fenceFor(text: string, min = 3): string {
  return '`'.repeat(Math.max(min, longestBacktickRun(text) + 1));
}
