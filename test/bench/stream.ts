// `node out/test/bench/stream.js`: streaming benchmark table (host pipeline and webview rendering).
// Targets: incremental total / single render <= 3; last frame <= 8 ms on a 300 KB answer.

import { buildTestBundle, launchChromium, openPanel } from '../browser/harness';
import { generateAnswer } from '../support/generateAnswer';
import { textAnswerEvents } from '../support/sseFixtures';
import { benchHost, benchTextAppend } from './host';
import { benchRender, splitDeltas } from './render';

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function main(): Promise<void> {
  const sizes = [30_000, 100_000, 300_000];
  console.log('Host: reducer + coalescer (20 events/flush) + JSON.stringify');
  console.log('| answer | events | messages | total ms | µs/event |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const events = textAnswerEvents(generateAnswer(size), 20_000);
    benchHost(events); // warm-up
    const h = benchHost(events);
    console.log(`| ${size / 1000} KB | ${h.events} | ${h.messages} | ${fmt(h.totalMs)} | ${fmt(h.perEventUs, 2)} |`);
  }
  const t = benchTextAppend(splitDeltas(generateAnswer(300_000), 20_000));
  console.log('\nText append, 300 KB in 20,000 deltas (ms):', Object.entries(t).filter(([k]) => k !== 'sink').map(([k, v]) => `${k} ${fmt(v, 2)}`).join(', '));

  await buildTestBundle();
  const browser = await launchChromium();
  try {
    console.log('\nWebview: 20,000 deltas, 20 deltas per frame (headless Chromium)');
    console.log('| answer | frames | single ms | incremental ms | incr/single | last frame ms | max frame ms | naive ms (est.) | naive/single | naive last frame ms | equal |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|');
    for (const size of sizes) {
      // A fresh page per size, so earlier DOMs do not inflate GC pauses.
      const page = await openPanel(browser, { csp: false });
      const answer = generateAnswer(size);
      await benchRender(page, answer, { deltas: 2000 }); // warm-up (JIT)
      const r = await benchRender(page, answer);
      console.log(`| ${size / 1000} KB | ${r.frames} | ${fmt(r.singleMs)} | ${fmt(r.incrementalMs)} | ${fmt(r.ratio, 2)} | ${fmt(r.incrementalLastFrameMs, 2)} | ${fmt(r.incrementalMaxFrameMs, 2)} | ${fmt(r.naiveMs, 0)} | ${fmt(r.naiveMs / r.singleMs, 0)} | ${fmt(r.naiveLastFrameMs, 1)} | ${r.equal ? 'yes' : 'NO'} |`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
