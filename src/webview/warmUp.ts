// Warms the renderer up while the panel waits for the first token. A new panel is a new
// JavaScript context: its first frames run markdown-it and the incremental renderer in V8's
// interpreter, about three times slower than once they are compiled (a 140 KB answer's first
// 16 KB frame took ~200 ms in the e2e panel). The wait for the first token (the request, the
// model's time to first token) is idle time, so the hot paths are run there, on a sample that
// holds every construct answers use, into a detached element nobody sees.

import type { MarkdownIt } from 'markdown-it';
import { IncrementalMarkdown } from './incrementalMarkdown';

const LINE = 'The **stream** renders `deltas()` with [links](https://example.com/a) and _emphasis_, see https://example.org/x.';

/** Every block an answer holds: headings, paragraphs, tight and loose lists, fences, a table, a quote. */
const WARM_UP_SAMPLE = [
  '## Section', '', `${LINE} ${LINE}`, '',
  ...Array.from({ length: 6 }, (_, i) => `- ${LINE} ${i}`), '',
  '1. First', '', '2. Second', '',
  '```ts', ...Array.from({ length: 12 }, (_, i) => `  const v${i} = render(${i}) <= 1 && ok; // note & "quote"`), '```', '',
  '| Name | Count | Note |', '|:-----|------:|:----:|', ...Array.from({ length: 8 }, (_, i) => `| \`n${i}\` | ${i * 7} | ${LINE} |`), '',
  `> ${LINE}`, `> ${LINE}`, '', '---', '',
].join('\n');

/**
 * The warm-up as small steps (one frame of the sample each), so that the panel can stop it the
 * moment the first patch arrives: run to the end at once, it took 200-270 ms of a cold panel.
 * `step()` returns false when the warm-up is done.
 */
export function warmUpSteps(md: MarkdownIt, passes = 4): { step(): boolean } {
  let pass = 0;
  let at = 0;
  let inc: IncrementalMarkdown | undefined;
  return {
    step(): boolean {
      if (pass >= passes) return false;
      // Every other pass streams into every block, so the list, fence, table and quote levels warm up too.
      inc ??= new IncrementalMarkdown(document.createElement('div'), md, { streamAfterChars: pass % 2 ? 0 : undefined });
      for (const end = at + 320; at < end && at < WARM_UP_SAMPLE.length; at += 40) inc.append(WARM_UP_SAMPLE.slice(at, at + 40));
      if (at < WARM_UP_SAMPLE.length) inc.render();
      else {
        inc.finish();
        inc = undefined;
        at = 0;
        pass++;
      }
      return pass < passes;
    },
  };
}
