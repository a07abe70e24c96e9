// Test-only: long answers of one shape each, the shapes a coding assistant produces at length
// (the render benchmark and the streaming tests use them). Deterministic for a seed.

export type AnswerShape = 'prose' | 'fence' | 'bullets' | 'table' | 'quote' | 'orderedFences' | 'itemLongFences';

export const ANSWER_SHAPES: readonly { shape: AnswerShape; label: string }[] = [
  { shape: 'prose', label: 'prose (paragraphs, headings, short lists)' },
  { shape: 'fence', label: 'one fenced code block' },
  { shape: 'bullets', label: 'one bullet list of 3,000 items' },
  { shape: 'table', label: 'one table of 2,000 rows' },
  { shape: 'quote', label: 'one long blockquote' },
  { shape: 'orderedFences', label: 'an ordered list whose items hold code fences' },
  { shape: 'itemLongFences', label: 'a numbered list of steps, each a long code block' },
];

const WORDS = ['stream', 'delta', 'render', 'token', 'markdown', 'frame', 'block', 'parser', 'webview', 'host', 'patch', 'the', 'a', 'of', 'and', 'with', 'fast', 'incremental', 'answer', 'Claude'];

/** About `targetChars` characters of markdown of one shape (the list and table shapes use their item/row counts at 300 KB). */
export function answerOfShape(shape: AnswerShape, targetChars: number, seed = 1): string {
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const word = (): string => WORDS[rand(WORDS.length)];
  const sentence = (min = 6, spread = 12): string => {
    const ws = Array.from({ length: min + rand(spread) }, () => {
      const w = word();
      switch (rand(30)) {
        case 0: return `**${w}**`;
        case 1: return `\`${w}()\``;
        case 2: return `[${w}](https://example.com/${w})`;
        case 3: return `_${w}_`;
        default: return w;
      }
    });
    const s = ws.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const parts: string[] = [];
  let size = 0;
  const add = (s: string): void => {
    parts.push(s);
    size += s.length;
  };
  switch (shape) {
    case 'prose': {
      let section = 0;
      while (size < targetChars) {
        const r = rand(6);
        if (r === 0) add(`${'#'.repeat(2 + rand(2))} Section ${++section}\n\n`);
        else if (r === 1) add(Array.from({ length: 2 + rand(4) }, () => `- ${sentence(4, 6)}\n`).join('') + '\n');
        else add(Array.from({ length: 2 + rand(4) }, () => sentence()).join(' ') + '\n\n');
      }
      break;
    }
    case 'fence': {
      add('Here is the whole module:\n\n```ts\n');
      let i = 0;
      while (size < targetChars) {
        const indent = '  '.repeat(rand(4));
        add(rand(8) === 0 ? '\n' : `${indent}const v${i++} = render(${word()}, "${word()}") <= 1 && ok; // ${word()} & ${word()}\n`);
      }
      add('```\n');
      break;
    }
    case 'bullets': {
      const items = Math.round((3000 * targetChars) / 300_000);
      for (let i = 0; i < items; i++) add(`- ${sentence(12, 8)}\n`);
      break;
    }
    case 'table': {
      const rows = Math.round((2000 * targetChars) / 300_000);
      add('| Name | Count | Note | Detail |\n|:-----|------:|:----:|--------|\n');
      for (let i = 0; i < rows; i++) add(`| ${word()} \`${word()}\` | ${i * 7} | ${sentence(3, 4)} | ${sentence(6, 6)} |\n`);
      break;
    }
    case 'quote': {
      while (size < targetChars) {
        const lines = Array.from({ length: 2 + rand(4) }, () => `> ${sentence()}\n`).join('');
        add(rand(5) === 0 ? `> - ${sentence(4, 4)}\n> - ${sentence(4, 4)}\n>\n` : `${lines}>\n`);
      }
      break;
    }
    case 'orderedFences': {
      for (let n = 1; size < targetChars; n++) {
        // Indented by the marker's width: three spaces under `10.` would leave the list, and from
        // item 10 on the answer would be small one-item lists and fences side by side at the root.
        const pad = ' '.repeat(`${n}. `.length);
        const code = Array.from({ length: 3 + rand(6) }, (_, i) => `${pad}const s${i} = ${word()}(${i}); // ${word()}\n`).join('');
        add(`${n}. ${sentence()}\n\n${pad}\`\`\`ts\n${code}${pad}\`\`\`\n\n`);
      }
      break;
    }
    case 'itemLongFences': {
      // Steps of a how-to: each item a sentence and a whole file (40-200 lines).
      for (let n = 1; size < targetChars; n++) {
        const pad = ' '.repeat(`${n}. `.length);
        const code = Array.from({ length: 40 + rand(160) }, (_, i) => `${pad}${'  '.repeat(rand(3))}const v${i} = render(${word()}, ${i}) <= 1 && ok; // ${word()}\n`).join('');
        add(`${n}. ${sentence()}\n\n${pad}\`\`\`ts\n${code}${pad}\`\`\`\n\n`);
      }
      break;
    }
  }
  return parts.join('');
}
