// The incremental renderer against the CommonMark spec, in headless Chromium (the real DOM it
// writes): every example, and documents made of several examples glued together (the risk sits at
// block boundaries), each streamed one character at a time, in random chunks and line by line.
// After finish() the DOM must equal markdown-it's one-shot render; every intermediate frame must
// equal a one-shot render of the text so far (so a frame never shows anything markdown-it would
// not); no frame may show words that later disappear, except those of the unfinished last line.

import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ANSWER_SHAPES, answerOfShape } from '../support/answerShapes';
import { generateAnswer } from '../support/generateAnswer';
import { launchChromium, openPanel } from './harness';
import type { StreamCheckResult, StreamDoc } from './streamCheckTypes';

declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface SpecExample { markdown: string; section: string; number: number }
// The spec shows tabs as → in its examples; the package keeps them so.
const spec: SpecExample[] = (require('commonmark-spec') as { tests: SpecExample[] }).tests.map((t) => ({ ...t, markdown: t.markdown.replace(/→/g, '\t') }));

/** Sections whose examples are about block structure: glued together, they meet at block boundaries. */
const BLOCK_SECTIONS = new Set([
  'Tabs', 'Thematic breaks', 'ATX headings', 'Setext headings', 'Indented code blocks', 'Fenced code blocks',
  'Link reference definitions', 'Paragraphs', 'Blank lines', 'Block quotes', 'List items', 'Lists', 'Hard line breaks',
]);

/** GFM tables (markdown-it's extension, not in the CommonMark spec), including after paragraphs, in quotes and lists. */
const TABLES = [
  '| a | b |\n| - | :-: |\n| 1 | 2 |\n| 3 | 4 |\n',
  'Paragraph before\n| a | b |\n|---|---|\n| 1 | 2 |\nnot a row?\n',
  'a | b\n--|--\nc | d\ne\n\nafter\n',
  '> | q | r |\n> |---|--:|\n> | 1 | 2 |\n> | 3 |\nlazy\n',
  '- | x | y |\n  |---|---|\n  | 1 | 2 |\n- next\n',
  '| only header |\n| --- |\n\ntext\n',
  '| a |\n| - |\n| `|` pipe \\| escaped |\n    | indented |\n',
];

function gluedDocuments(count: number, seed: number): StreamDoc[] {
  const pool = [...spec.filter((t) => BLOCK_SECTIONS.has(t.section)).map((t) => ({ name: `#${t.number}`, text: t.markdown })), ...TABLES.map((text, i) => ({ name: `table${i}`, text }))];
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const seps = ['', '\n', '\n\n'];
  return Array.from({ length: count }, () => {
    const parts = Array.from({ length: 2 + rand(3) }, () => pool[rand(pool.length)]);
    const joins = parts.slice(1).map(() => seps[rand(seps.length)]);
    return {
      name: parts.map((p, i) => (i ? `${JSON.stringify(joins[i - 1])}+` : '') + p.name).join(''),
      text: parts.map((p, i) => (i ? joins[i - 1] : '') + p.text).join(''),
    };
  });
}

describe('incremental markdown streamed over the CommonMark spec (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await openPanel(browser);
  });
  after(async () => {
    await browser?.close();
  });

  /**
   * `streamAfterChars` 0 streams into every list, fence, table and quote from its first line (the
   * level machinery on every block boundary of the spec); a small value opens the level only once
   * the block has content; the default (undefined) is what the panel runs.
   */
  async function check(docs: StreamDoc[], streamAfterChars?: number): Promise<StreamCheckResult> {
    return page.evaluate(({ d, s }) => window.__test.checkStreaming(d, undefined, s === undefined ? {} : { streamAfterChars: s }), { d: docs, s: streamAfterChars });
  }

  function assertClean(r: StreamCheckResult, what: string): void {
    if (r.mismatches.length && process.env.CE_DUMP) require('node:fs').writeFileSync(process.env.CE_DUMP, JSON.stringify(r.mismatches, null, 1));
    const shown = r.mismatches.slice(0, 3).map((m) => `${m.kind} in ${m.doc} (${m.chunking}, at ${m.at}):\n  expected ${JSON.stringify(m.expected)}\n  actual   ${JSON.stringify(m.actual)}`);
    assert.equal(r.mismatches.length, 0, `${r.mismatches.length} mismatches over ${what}:\n${shown.join('\n')}`);
  }

  it(`every spec example (${spec.length}), each one character at a time, in random chunks and line by line: 0 mismatches`, async () => {
    const r = await check(spec.map((t) => ({ name: `#${t.number} ${t.section}`, text: t.markdown })), 0);
    assert.equal(r.runs, spec.length * 3);
    assertClean(r, `${r.runs} runs, ${r.frames} frames`);
    console.log(`      ${r.runs} runs, ${r.frames} frames, 0 mismatches; ${r.inherentVanished} frames where markdown-it itself shows words it drops later`);
  });

  it('400 documents glued from block-structure examples and tables (lists turning loose, setext, lazy lines, fences, references): 0 mismatches', async () => {
    const docs = gluedDocuments(400, 11);
    const r = await check(docs, 0);
    assertClean(r, `${r.runs} runs, ${r.frames} frames`);
    const late = await check(docs, 24);
    assertClean(late, `${late.runs} runs with levels opened after 24 characters`);
    console.log(`      ${r.runs} runs, ${r.frames} frames, 0 mismatches; ${r.inherentVanished} frames where markdown-it itself shows words it drops later`);
  });

  it('where the renderer commits early (an item on its first characters, a block at its blank line), nothing shown changes later: 0 mismatches', async () => {
    const docs: StreamDoc[] = [
      '1. one\n2.5 apples, text of item one\n3. three\n',
      '- one\n- - -\n- two\n',
      '* one\n* * *\n* two\n',
      '- one\n\n- two\n- three\n',
      '- one\n- two\n\n- three\n',
      '> - a\n> - b\n>\n> - c\n',
      '1) a\n2. b\n3) c\n',
      '- a\n-\n- b\n',
      // A definition after the paragraph reaches back to committed blocks: only `finish()` shows it (see IncrementalMarkdown).
      '[ref]: https://example.com\n\nPara with [ref] and [more][ref].\n\nNext [ref].\n',
      'Para with [a](https://example.com) and `[x]`.\n\n# Head\n\n```\ncode\n```\n\n| a |\n| - |\n| 1 |\n\n---\n\nend\n',
      '> quoted [a](https://example.com)\n>\n> more\n\nafter\n',
      // Items streamed as levels: tight and loose, in a quote, starting blank, a setext heading
      // first, two spaces after the marker (never re-opened), looseness only between blocks.
      '- a\n  ```\n  x\n  ```\n- b\n  ```\n  y\n  ```\n',
      '1. a\n\n   ```\n   x\n   ```\n\n   b\n2. c\n',
      '> 1. a\n>    ```\n>    x\n>    ```\n>    after\n',
      '-\n  ```\n  x\n  ```\n-\n  y\n',
      '- a\n  ===\n  ```\n  x\n  ```\n',
      '1.  two\n\n    ```\n    x\n    ```\n',
      '- ```\n  x\n  ```\n\n  | t |\n  | - |\n  | 1 |\n- z\n',
      '- a\n- ```\n  x\n  ```\n  ```\n  y\n  ```\n\n  p\n',
    ].map((text, i) => ({ name: `early ${i}`, text }));
    for (const streamAfterChars of [undefined, 0]) {
      const r = await check(docs, streamAfterChars);
      assertClean(r, `${r.runs} runs, ${r.frames} frames (streamAfterChars ${streamAfterChars ?? 'default'})`);
    }
  });

  it('a list item holding a long code block is streamed as levels, not re-rendered whole each frame (characters parsed ≤ 2 × the answer)', async () => {
    const text = answerOfShape('itemLongFences', 60_000, 2);
    const r = await page.evaluate((text: string) => {
      const t = window.__test;
      const el = document.createElement('div');
      const inc = new t.IncrementalMarkdown(el, t.md);
      for (let i = 0; i < text.length; i += 320) {
        inc.append(text.slice(i, i + 320));
        inc.render();
      }
      inc.finish();
      return { parsed: inc.stats.parsedChars, restarts: inc.stats.restarts, equal: el.innerHTML === t.md.render(text) };
    }, text);
    assert.ok(r.equal, 'the streamed DOM equals the one-shot render');
    assert.equal(r.restarts, 0);
    // Re-rendering each item whole until the next one started parsed about 13x the answer here.
    assert.ok(r.parsed <= 2 * text.length, `parsed ${(r.parsed / text.length).toFixed(2)}x the answer`);
  });

  it('realistic answers of every long shape, and mixed answers, in all three chunkings: 0 mismatches', async () => {
    const docs: StreamDoc[] = [
      ...ANSWER_SHAPES.map(({ shape }) => ({ name: shape, text: answerOfShape(shape, 1200, 3) })),
      ...[1, 2, 3].map((seed) => ({ name: `generated ${seed}`, text: generateAnswer(1200, seed) })),
    ];
    for (const streamAfterChars of [undefined, 0, 200]) {
      const r = await check(docs, streamAfterChars);
      assertClean(r, `${r.runs} runs, ${r.frames} frames (streamAfterChars ${streamAfterChars ?? 'default'})`);
      assert.equal(r.inherentVanished, 0, 'no words vanish in ordinary answers');
    }
  });
});
