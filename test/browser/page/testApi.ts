// Runs inside the test page (bundled by esbuild in the tests' before hook). Exposes the renderer
// pieces so tests can compare incremental output with a one-shot render, and benchmarks can time them.

import { createMarkdown } from '../../../src/webview/markdown';
import { IncrementalMarkdown, type IncrementalOptions } from '../../../src/webview/incrementalMarkdown';
import { streamCheck } from './streamCheck';
import type { StreamDoc } from '../streamCheckTypes';
import { ResponseRenderer } from '../../../src/webview/renderer';
import type { ResponsePatch } from '../../../src/protocol';

const md = createMarkdown();

/** Renders `text` in one go into a detached container and returns its HTML. */
function renderOnce(text: string): string {
  const t = document.createElement('template');
  t.innerHTML = md.render(text);
  const div = document.createElement('div');
  div.append(t.content);
  return div.innerHTML;
}

interface BenchResult {
  totalMs: number;
  lastFrameMs: number;
  maxFrameMs: number;
  frames: number;
  html: string;
}

/** Feeds `deltas` to an IncrementalMarkdown, `perFrame` deltas per frame, timing each frame. */
function benchIncremental(deltas: string[], perFrame: number): BenchResult {
  const container = document.createElement('div');
  document.body.append(container);
  const inc = new IncrementalMarkdown(container, md);
  // Start from a clean heap (the benchmark's Chromium exposes gc): earlier runs' garbage is not this run's cost.
  (window as unknown as { gc?: () => void }).gc?.();
  let total = 0;
  let last = 0;
  let max = 0;
  let frames = 0;
  for (let i = 0; i < deltas.length; i += perFrame) {
    const t0 = performance.now();
    for (let j = i; j < Math.min(i + perFrame, deltas.length); j++) inc.append(deltas[j]);
    if (i + perFrame >= deltas.length) inc.finish();
    else inc.render();
    void container.lastChild; // keep the DOM work honest without forcing layout
    last = performance.now() - t0;
    total += last;
    max = Math.max(max, last);
    frames++;
  }
  const html = container.innerHTML;
  container.remove();
  return { totalMs: total, lastFrameMs: last, maxFrameMs: max, frames, html };
}

/**
 * The naive approach (re-parse and replace everything each frame). Every `sample`-th frame is
 * timed and the total extrapolated, because the full quadratic run takes minutes on 300 KB.
 */
function benchNaive(deltas: string[], perFrame: number, sample: number): BenchResult {
  const container = document.createElement('div');
  document.body.append(container);
  let text = '';
  let total = 0;
  let last = 0;
  let max = 0;
  let frames = 0;
  for (let i = 0, f = 0; i < deltas.length; i += perFrame, f++) {
    for (let j = i; j < Math.min(i + perFrame, deltas.length); j++) text += deltas[j];
    const isLast = i + perFrame >= deltas.length;
    frames++;
    if (f % sample !== 0 && !isLast) continue;
    const t0 = performance.now();
    container.innerHTML = md.render(text);
    last = performance.now() - t0;
    total += isLast ? last : last * sample;
    max = Math.max(max, last);
  }
  const html = container.innerHTML;
  container.remove();
  return { totalMs: total, lastFrameMs: last, maxFrameMs: max, frames, html };
}

/** One-shot render of the final text, timed (median of `runs`). */
function benchOnce(text: string, runs = 5): { ms: number; html: string } {
  const times: number[] = [];
  let html = '';
  for (let r = 0; r < runs; r++) {
    const container = document.createElement('div');
    document.body.append(container);
    const t0 = performance.now();
    const t = document.createElement('template');
    t.innerHTML = md.render(text);
    container.append(t.content);
    times.push(performance.now() - t0);
    html = container.innerHTML;
    container.remove();
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], html };
}

const checkStreaming = (docs: StreamDoc[], seed?: number, options?: IncrementalOptions) => streamCheck(md, docs, seed, options);

/**
 * A conversation through the panel's renderer: each turn after the first starts with the user's
 * question, then its answer's deltas arrive `perFrame` per frame. Times every frame.
 */
function benchConversation(turns: string[][], perFrame: number): { turns: number; chars: number; lastFrameMs: number; maxFrameMs: number } {
  const root = document.createElement('div');
  document.body.append(root);
  const renderer = new ResponseRenderer(root, md, () => undefined);
  let index = 0;
  let last = 0;
  let max = 0;
  let chars = 0;
  const frame = (patches: ResponsePatch[]) => {
    const t0 = performance.now();
    renderer.applyPatches('bench', patches);
    renderer.renderFrame();
    void root.lastChild;
    last = performance.now() - t0;
    max = Math.max(max, last);
  };
  turns.forEach((deltas, turn) => {
    const start: ResponsePatch[] = [];
    if (turn > 0) {
      const q = index++;
      start.push({ type: 'blockStart', index: q, block: { kind: 'userTurn' } }, { type: 'textAppend', index: q, text: `Follow-up ${turn}?` }, { type: 'blockStop', index: q });
    }
    const text = index++;
    start.push({ type: 'blockStart', index: text, block: { kind: 'text' } });
    frame(start);
    let lastText = 0;
    for (let i = 0; i < deltas.length; i += perFrame) {
      const batch = deltas.slice(i, i + perFrame);
      chars += batch.join('').length;
      frame(batch.map((t) => ({ type: 'textAppend', index: text, text: t })));
      lastText = last;
    }
    // The turn's last text frame and its end (the block closes: its markdown is finished).
    frame([{ type: 'blockStop', index: text }]);
    last = Math.max(lastText, last);
  });
  root.remove();
  return { turns: turns.length, chars, lastFrameMs: last, maxFrameMs: max };
}

(window as unknown as { __test: unknown }).__test = { renderOnce, benchIncremental, benchNaive, benchOnce, benchConversation, checkStreaming, md, IncrementalMarkdown };
