// Runs inside the test page: streams documents through IncrementalMarkdown in several chunkings
// and compares every frame, and the end, with markdown-it rendering the same text in one go.

import type { MarkdownIt } from 'markdown-it';
import { IncrementalMarkdown, type IncrementalOptions } from '../../../src/webview/incrementalMarkdown';
import type { StreamCheckResult, StreamDoc, StreamMismatch } from '../streamCheckTypes';

/** Chunkings of `text`: one code point at a time, random chunks of 1–40 code points, line by line. */
export function chunkings(text: string, seed: number): Record<string, string[]> {
  const points = Array.from(text);
  let state = seed || 1;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const random: string[] = [];
  for (let i = 0; i < points.length;) {
    const n = 1 + rand(40);
    random.push(points.slice(i, i + n).join(''));
    i += n;
  }
  const lines = text.split(/(?<=\n)/);
  return { char: points, random, line: lines };
}

const WORD = /[\p{L}\p{N}]+/gu;
const words = (s: string): string[] => s.match(WORD) ?? [];

/** Words of the text nodes under `root`, node by node (a Copy button and the code after it stay apart). */
function wordsOf(root: Node): string[] {
  const out: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) for (const w of words(n.nodeValue ?? '')) out.push(w);
  return out;
}

/** True when `a` is a subsequence of `b`. */
function isSubsequence(a: readonly string[], b: readonly string[]): boolean {
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] !== x) j++;
    if (j === b.length) return false;
    j++;
  }
  return true;
}

/**
 * Streams each document in each chunking, one frame per chunk. Checks that every frame equals a
 * one-shot render of the text so far (documents with link reference definitions are exact only
 * after `finish`, so for them only the end is compared), that the end equals a one-shot render of
 * the whole text, and that no frame shows words that later disappear except those of the
 * unfinished last line.
 */
export function streamCheck(md: MarkdownIt, docs: readonly StreamDoc[], seed = 7, options: IncrementalOptions = {}): StreamCheckResult {
  const result: StreamCheckResult = { runs: 0, frames: 0, mismatches: [], inherentVanished: 0 };
  const once = (text: string): string => {
    const t = document.createElement('template');
    t.innerHTML = md.render(text);
    const div = document.createElement('div');
    div.append(t.content);
    return div.innerHTML;
  };
  const container = document.createElement('div');
  document.body.append(container);
  docs.forEach((doc, n) => {
    const expected = once(doc.text);
    const finalWords = wordsOf(fragmentOf(expected));
    for (const [chunking, chunks] of Object.entries(chunkings(doc.text, seed + n))) {
      result.runs++;
      container.replaceChildren();
      const inc = new IncrementalMarkdown(container, md, options);
      const report = (kind: StreamMismatch['kind'], at: number, exp: string, act: string): void => {
        result.mismatches.push({ doc: doc.name, chunking, kind, at, expected: exp, actual: act });
      };
      let sofar = '';
      let failed = false;
      // Link reference definitions reach back to blocks already shown: exact only after finish().
      let exactFrames = true;
      try {
        for (const chunk of chunks) {
          inc.append(chunk);
          sofar += chunk;
          inc.render();
          result.frames++;
          if (failed) continue;
          const html = container.innerHTML;
          let same: boolean | undefined;
          if (exactFrames && /^ {0,3}\[/m.test(sofar)) {
            const env: Record<string, unknown> = {};
            md.parse(sofar, env);
            exactFrames = !env.references;
          }
          if (exactFrames) {
            const exp = once(sofar);
            same = exp === html;
            if (!same) {
              report('frame', sofar.length, exp, html);
              failed = true;
              continue;
            }
          }
          // Words shown now, less those of the unfinished last line, must all be there at the end.
          const lastLine = sofar.slice(sofar.lastIndexOf('\n') + 1);
          const shown = wordsOf(container);
          const kept = shown.slice(0, Math.max(0, shown.length - words(lastLine).length));
          if (!isSubsequence(kept, finalWords)) {
            const oneShotWords = same ? shown : wordsOf(fragmentOf(once(sofar)));
            const oneShotKept = oneShotWords.slice(0, Math.max(0, oneShotWords.length - words(lastLine).length));
            if (!isSubsequence(oneShotKept, finalWords)) result.inherentVanished++;
            else {
              report('vanished', sofar.length, textOf(expected), container.textContent ?? '');
              failed = true;
            }
          }
        }
        inc.finish();
        if (container.innerHTML !== expected) report('final', sofar.length, expected, container.innerHTML);
        if (inc.stats.restarts > 0) report('restart', sofar.length, '0 restarts', `${inc.stats.restarts} restarts`);
      } catch (e) {
        report('error', sofar.length, '', e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e));
      }
    }
  });
  container.remove();
  return result;
}

function fragmentOf(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content;
}

function textOf(html: string): string {
  return fragmentOf(html).textContent ?? '';
}
