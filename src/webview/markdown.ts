// markdown-it configured for untrusted model output. Shared by the incremental renderer and by
// "render once" (tests, benchmarks), so both produce byte-identical HTML.

import markdownIt from 'markdown-it';
import type { MarkdownIt, StateCore as CoreState, Token } from 'markdown-it';
import { codeBlockOpen } from './codeBlockActions';

/** Citation marker in the markdown source: U+E000 n U+E001 (private use, stripped from model text). */
export const CITE_OPEN = '\uE000';
export const CITE_CLOSE = '\uE001';
const MARKER_RE = /\uE000(\d{1,6})\uE001/g;
const ANY_MARKER_CHAR_RE = /[\uE000\uE001]/g;

/** Model text may not forge citation markers. */
export function stripMarkers(text: string): string {
  return text.replace(ANY_MARKER_CHAR_RE, '');
}

export function citationMarker(n: number): string {
  return `${CITE_OPEN}${n}${CITE_CLOSE}`;
}

/**
 * Links allowed in rendered output: http(s), mailto, and scheme-less (relative, #anchor). Anything
 * else — javascript:, vbscript:, data:, file:, command: — is not turned into a link at all.
 */
export function isAllowedLink(url: string): boolean {
  // markdown-it passes the normalised (percent-encoded) URL, so control characters cannot hide a scheme.
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!scheme) return true;
  return ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase());
}

/** A markdown-it instance for model output: no raw HTML, linkify, safe links, no inline styles. */
export function createMarkdown(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = isAllowedLink;
  md.core.ruler.push('align_classes', alignToClasses);
  md.core.ruler.push('citation_markers', splitCitationMarkers);
  renderImagesAsLinks(md);
  addCopyButtons(md);
  md.renderer.rules.cite_ref = (tokens, idx) => {
    const n = String((tokens[idx].meta as { n: number } | null)?.n ?? '');
    return `<sup class="cite-ref" data-cite="${n}">[${n}]</sup>`;
  };
  return md;
}

/** Table alignment arrives as `style` attributes, which the CSP (no unsafe-inline) would block. */
function alignToClasses(state: CoreState): void {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const style = token.attrGet('style');
    if (!style) continue;
    const align = /text-align:\s*(left|right|center)/.exec(String(style))?.[1];
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    if (align) token.attrJoin('class', `align-${align}`);
  }
}

/** Turns citation markers inside text tokens into `cite_ref` tokens. */
function splitCitationMarkers(state: CoreState): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children || !block.content.includes(CITE_OPEN)) continue;
    const out: Token[] = [];
    for (const child of block.children) {
      if (child.type !== 'text' || !child.content.includes(CITE_OPEN)) {
        out.push(child);
        continue;
      }
      let last = 0;
      for (const m of child.content.matchAll(MARKER_RE)) {
        if (m.index > last) out.push(textToken(state, child.content.slice(last, m.index), child.level));
        const ref = new state.Token('cite_ref', '', 0);
        ref.meta = { n: Number(m[1]) };
        ref.level = child.level;
        out.push(ref);
        last = m.index + m[0].length;
      }
      if (last < child.content.length) out.push(textToken(state, child.content.slice(last), child.level));
    }
    block.children = out;
  }
}

function textToken(state: CoreState, content: string, level: number): Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  t.level = level;
  return t;
}

/** Remote images are never loaded (the CSP blocks them too): an image becomes a link to it. */
function renderImagesAsLinks(md: MarkdownIt): void {
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
    const esc = md.utils.escapeHtml;
    return `<a class="image-link" href="${esc(src)}" title="Image (not loaded)">🖼 ${esc(alt)}</a>`;
  };
}

/** Wraps fenced code in a container with its actions (Insert, Apply, New File, Copy; clicks are delegated). */
function addCopyButtons(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence;
  if (!fence) return;
  md.renderer.rules.fence = (tokens, idx, options, env, self) =>
    `${codeBlockOpen(tokens[idx].info)}${fence(tokens, idx, options, env, self)}</div>\n`;
}
