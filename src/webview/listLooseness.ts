// Whether an open list renders loose. Markdown-it renders a list loose when any of it is: a blank
// line between two items or between two blocks of one item. Over complete lines that only ever
// goes from tight to loose, and the window of the item where it happens sees it (then the items
// committed tight are rendered again, once). An unfinished last line can make it loose for a
// moment (`-` after a blank line, which may still become `---` and end the list): that is shown,
// and undone if it does not last.

import type { MarkdownIt, Token } from 'markdown-it';
import { probeItemLine, rendersLoose, type ParsedWindow } from './openBlocks';
import { closeOf } from './tokenHtml';

export interface ListLooseness {
  /** Loose whatever comes next (decided by complete lines). */
  finallyLoose: boolean;
}

/** Whether this frame renders the list loose; sets `finallyLoose` when complete lines decide it. */
export function frameLooseness(md: MarkdownIt, list: ListLooseness, w: ParsedWindow, open: number, close: number, parsed: (chars: number) => void): boolean {
  if (list.finallyLoose) return true;
  if (!windowLoose(md, w.tokens, w.src, open, close, parsed)) return false;
  const lastLine = w.lines[w.lines.length - 1];
  if (lastLine === w.src.length) list.finallyLoose = true;
  else {
    const complete = w.src.slice(0, lastLine);
    const tokens = md.parse(complete, {});
    parsed(complete.length);
    if (tokens[open]?.type === w.tokens[open].type && windowLoose(md, tokens, complete, open, closeOf(tokens, open), parsed)) list.finallyLoose = true;
  }
  return true;
}

/** Whether these items make their list loose; asks markdown-it with a probe item when no paragraph tells. */
function windowLoose(md: MarkdownIt, tokens: Token[], src: string, open: number, close: number, parsed: (chars: number) => void): boolean {
  const verdict = rendersLoose(tokens, open, close);
  if (verdict !== undefined || open + 1 >= tokens.length) return verdict === true;
  const probe = probeItemLine(src.slice(0, src.indexOf('\n') + 1 || src.length), tokens[open + 1]);
  const probed = md.parse(probe + src, {});
  parsed(probe.length + src.length);
  return probed[open]?.type === tokens[open].type && rendersLoose(probed, open, closeOf(probed, open)) === true;
}
