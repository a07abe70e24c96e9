// The element a streamed block grows in, made from markdown-it's own rendering of the block's
// opening (and closing) tokens, so its tag, attributes and whitespace are exactly the one-shot ones.

import type { MarkdownIt } from 'markdown-it';
import { lineText, type LevelKind, type ParsedWindow } from './openBlocks';
import { closeOf, htmlToFragment, renderRange } from './tokenHtml';

export interface BlockElement {
  /** The block's nodes to insert (the element, and the line break markdown-it puts after it). */
  fragment: DocumentFragment;
  /** Where its children go: a blockquote, ul/ol, a fence's code, a table's tbody. */
  el: Element;
  /** Lines that re-open the block in later windows (a fence's opening line, a table's header and delimiter rows). */
  header: string;
  /** Window line where the block's uncommitted content starts. */
  resume: number;
}

/** The empty element for the block at `w.tokens[i]`, ready to receive its children. */
export function openBlockElement(md: MarkdownIt, kind: LevelKind, w: ParsedWindow, i: number): BlockElement {
  const { tokens, env } = w;
  const t = tokens[i];
  const line = t.map![0];
  const c = closeOf(tokens, i);
  let html: string;
  let header = '';
  let resume = line;
  if (kind === 'fence') {
    const content = t.content;
    t.content = '';
    html = renderRange(md, tokens, i, i + 1, env);
    t.content = content;
    header = lineText(w, line);
    resume = line + 1;
  } else if (kind === 'table') {
    const tbody = tokens.findIndex((x, n) => n > i && x.type === 'tbody_open');
    html = renderRange(md, tokens, i, tbody + 1, env) + renderRange(md, tokens, c - 1, c + 1, env);
    header = lineText(w, line) + lineText(w, line + 1);
    resume = line + 2;
  } else {
    html = renderRange(md, tokens, i, i + 1, env) + renderRange(md, tokens, c, c + 1, env);
  }
  const fragment = htmlToFragment(html);
  const el = kind === 'fence' ? fragment.querySelector('code') : kind === 'table' ? fragment.querySelector('tbody') : fragment.firstElementChild;
  if (!el) throw new Error(`incremental markdown: no element for ${kind}`);
  return { fragment, el, header, resume };
}
