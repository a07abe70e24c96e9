// Browser-side render benchmark helpers (headless Debian Chromium via playwright-core).

import type { Page } from 'playwright-core';
import type { Row } from './batch';

declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RenderBench {
  chars: number;
  deltas: number;
  frames: number;
  /** Sum of per-frame render time, incremental renderer (this and the frame times: medians of 3 runs). */
  incrementalMs: number;
  /** Rendering the final text once (median over the runs). */
  singleMs: number;
  /** Median over the 3 runs of each run's total ÷ the one-shot render measured just before it. */
  ratio: number;
  /** Naive full re-parse + innerHTML per frame (sampled, extrapolated). */
  naiveMs: number;
  incrementalLastFrameMs: number;
  incrementalMaxFrameMs: number;
  naiveLastFrameMs: number;
  /** Incremental final DOM equals the one-shot render. */
  equal: boolean;
}

/** Splits text into `count` deltas of similar size (like a model's stream). */
export function splitDeltas(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * In a page that loaded the test bundle (`window.__test`): applies the answer at `perFrame` deltas
 * per frame with the incremental renderer and with a naive full re-render, and renders it once.
 */
export async function benchRender(page: Page, answer: string, options: { deltas?: number; perFrame?: number; naiveSample?: number } = {}): Promise<RenderBench> {
  const deltas = splitDeltas(answer, options.deltas ?? 20_000);
  const perFrame = options.perFrame ?? 20;
  return page.evaluate(({ deltas, perFrame, sample }) => {
    const t = window.__test;
    const text = deltas.join('');
    // Median of three runs: single frames are sub-millisecond, so GC pauses dominate the noise.
    // Each run's one-shot render is measured just before it, and the ratio taken run by run: on
    // this shared machine the load drifts within a minute, and a one-shot render measured once at
    // the start was divided into runs made under another load (it was seen 3x slower than the
    // next minute's). Nothing of the incremental runs is left out.
    const runs = [0, 1, 2].map(() => {
      const once = t.benchOnce(text, 3);
      const inc = t.benchIncremental(deltas, perFrame);
      return { ...inc, onceMs: once.ms, onceHtml: once.html, ratio: inc.totalMs / once.ms };
    });
    const mid = (xs: number[]): number => xs.sort((a, b) => a - b)[1];
    const inc = { ...runs[0], totalMs: mid(runs.map((x: { totalMs: number }) => x.totalMs)), lastFrameMs: mid(runs.map((x: { lastFrameMs: number }) => x.lastFrameMs)), maxFrameMs: mid(runs.map((x: { maxFrameMs: number }) => x.maxFrameMs)) };
    const once = { ms: mid(runs.map((x: { onceMs: number }) => x.onceMs)), html: runs[0].onceHtml };
    const ratio = mid(runs.map((x: { ratio: number }) => x.ratio));
    const naive = t.benchNaive(deltas, perFrame, sample);
    return {
      chars: deltas.join('').length,
      deltas: deltas.length,
      frames: inc.frames,
      incrementalMs: inc.totalMs,
      singleMs: once.ms,
      ratio,
      naiveMs: naive.totalMs,
      incrementalLastFrameMs: inc.lastFrameMs,
      incrementalMaxFrameMs: inc.maxFrameMs,
      naiveLastFrameMs: naive.lastFrameMs,
      equal: runs.every((x: { html: string }) => x.html === once.html) && naive.html === once.html,
    };
  }, { deltas, perFrame, sample: options.naiveSample ?? 10 });
}

/** The render rows for one answer shape: total ÷ once, last and worst frame, with the naive re-parse beside them. */
export function shapeRow(label: string, r: RenderBench): Row {
  const ratio = r.ratio;
  const naive = r.naiveMs / r.singleMs;
  const ok = ratio <= 3 && r.incrementalLastFrameMs <= 4 && r.incrementalMaxFrameMs <= 16 && r.equal;
  return {
    name: `render 2, ${label} (${(r.chars / 1000).toFixed(0)} KB, ${r.frames} frames): total ÷ once · last frame · worst frame · naive re-parse ÷ once`,
    value: `${ratio.toFixed(2)} · ${r.incrementalLastFrameMs.toFixed(2)} ms · ${r.incrementalMaxFrameMs.toFixed(1)} ms · naive ${naive.toFixed(0)}${r.equal ? '' : ' · DOM DIFFERS'}`,
    target: '≤ 3 · ≤ 4 ms · ≤ 16 ms',
    ok,
  };
}

export interface ConversationBench {
  turns: number;
  chars: number;
  lastFrameMs: number;
  maxFrameMs: number;
}

/**
 * A conversation of `turns` answers (the answer cut in equal parts, each a follow-up's answer)
 * streamed through the panel's real renderer as protocol patches, 20 deltas per frame: the
 * last frame is what a user feels at the end of a long conversation.
 */
export async function benchConversation(page: Page, answer: string, turns: number): Promise<ConversationBench> {
  const size = Math.ceil(answer.length / turns);
  const parts = Array.from({ length: turns }, (_, i) => splitDeltas(answer.slice(i * size, (i + 1) * size), Math.ceil(20_000 / turns)));
  return page.evaluate(({ parts }) => window.__test.benchConversation(parts, 20), { parts });
}
