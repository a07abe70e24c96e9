// Small helpers between markdown-it tokens and the DOM, shared by the incremental renderer's parts.

import type { MarkdownIt, Token } from 'markdown-it';

/**
 * HTML of `tokens[from..to)` exactly as `md.renderer.render(tokens)` would emit it for those
 * tokens: the loop is markdown-it's own, but over the whole array, because a block token's output
 * depends on its neighbours (a newline after `<li>` unless a tight paragraph follows, a newline
 * after a hidden paragraph). Rendering a slice on its own would lose that.
 */
export function renderRange(md: MarkdownIt, tokens: Token[], from: number, to: number, env: Record<string, unknown>): string {
  const r = md.renderer;
  const rules = r.rules as Record<string, ((tokens: Token[], idx: number, options: unknown, env: object, self: unknown) => string) | undefined>;
  let out = '';
  for (let i = from; i < to; i++) {
    const type = tokens[i].type;
    const rule = rules[type];
    if (type === 'inline') out += r.renderInline(tokens[i].children ?? [], md.options, env);
    else if (rule) out += rule(tokens, i, md.options, env, r);
    else out += r.renderToken(tokens, i, md.options);
  }
  return out;
}

/** Index of the token closing the one opened at `open` (itself for a self-contained token). */
export function closeOf(tokens: readonly Token[], open: number): number {
  if (tokens[open].nesting !== 1) return open;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    depth += tokens[i].nesting;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Parses trusted renderer output (markdown-it with `html: false`) into nodes; scripts in a template never run. */
export function htmlToFragment(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content;
}

/**
 * Appends trusted renderer output to `el`, parsed in `el`'s own context, and returns the new
 * top-level nodes. This is the renderer's per-frame path: `insertAdjacentHTML` took 16 ms where a
 * `<template>` per piece took 93-156 ms for 3,000 list items in Chromium, and the incremental
 * renderer's total fell by about a quarter for prose and lists (no shape got slower). Safe for
 * the same reason as `htmlToFragment`: markdown-it runs with `html: false`, so the HTML holds only
 * the tags and escaped attributes its renderer writes (no raw HTML, images become links); scripts
 * inserted this way never run, and the panel's CSP refuses inline handlers and remote loads.
 */
export function appendHtml(el: Element, html: string): Node[] {
  const before = el.lastChild;
  el.insertAdjacentHTML('beforeend', html);
  const nodes: Node[] = [];
  for (let n = before ? before.nextSibling : el.firstChild; n; n = n.nextSibling) nodes.push(n);
  return nodes;
}

/**
 * Start offsets of every line of `text` (normalised to `\n`). `starts.length - 1` lines are
 * complete (followed by a line break); a line `i` is complete when `starts[i + 1]` exists.
 * `into` is emptied and filled: the renderer passes the same array every frame, because this
 * array (one entry per line of the window) was its largest allocation of its own per frame.
 */
export function lineOffsets(text: string, into: number[] = []): number[] {
  // Written by index and cut at the end: `length = 0` first would free the backing store.
  let n = 0;
  into[n++] = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) into[n++] = i + 1;
  into.length = n;
  return into;
}

/**
 * What markdown-it's `normalize` core rule does to the source, done on the way in so that line
 * numbers and offsets agree with its token maps: CR LF and lone CR become LF, NUL becomes U+FFFD.
 * `afterCR` says whether the previous chunk ended in CR (its LF, arriving now, is the same break).
 */
export function normalizeChunk(text: string, afterCR: boolean): string {
  let t = afterCR && text.charCodeAt(0) === 10 ? text.slice(1) : text;
  if (t.includes('\r')) t = t.replace(/\r\n?/g, '\n');
  if (t.includes('\0')) t = t.replace(/\0/g, '\uFFFD');
  return t;
}
