// Test-only: a deterministic, realistic long markdown answer (paragraphs, headings, tight and loose
// lists, ordered lists, fenced code, tables with alignment, quotes, links, emphasis).

/** Generates about `targetChars` characters of markdown. */
export function generateAnswer(targetChars: number, seed = 1): string {
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const words = ['stream', 'delta', 'render', 'token', 'markdown', 'frame', 'block', 'parser', 'webview', 'host', 'patch', 'the', 'a', 'of', 'and', 'with', 'fast', 'incremental', 'answer', 'Claude'];
  const sentence = (): string => {
    const n = 6 + rand(12);
    const ws: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = words[rand(words.length)];
      const r = rand(30);
      if (r === 0) w = `**${w}**`;
      else if (r === 1) w = `\`${w}()\``;
      else if (r === 2) w = `[${w}](https://example.com/${w})`;
      else if (r === 3) w = `_${w}_`;
      ws.push(w);
    }
    const s = ws.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const paragraph = (): string => Array.from({ length: 2 + rand(4) }, sentence).join(' ');
  const parts: string[] = [];
  let size = 0;
  let section = 0;
  while (size < targetChars) {
    let part: string;
    switch (rand(9)) {
      case 0: part = `${'#'.repeat(1 + rand(3))} Section ${++section}`; break;
      case 1: part = Array.from({ length: 2 + rand(5) }, () => `- ${sentence()}`).join('\n'); break;
      case 2: part = Array.from({ length: 2 + rand(3) }, () => `- ${sentence()}`).join('\n\n'); break;
      case 3: part = Array.from({ length: 2 + rand(5) }, (_, i) => `${i + 1}. ${sentence()}`).join('\n'); break;
      case 4: {
        const lines = Array.from({ length: 3 + rand(10) }, (_, i) => `  const v${i} = render(${i}); // ${words[rand(words.length)]}`);
        part = '```ts\nfunction f() {\n' + lines.join('\n') + '\n\n  return v0;\n}\n```';
        break;
      }
      case 5: {
        const rows = Array.from({ length: 2 + rand(4) }, (_, i) => `| ${words[rand(20)]} | ${i * 7} | ${words[rand(20)]} |`);
        part = '| Name | Count | Note |\n|:-----|------:|:----:|\n' + rows.join('\n');
        break;
      }
      case 6: part = `> ${sentence()}\n> ${sentence()}`; break;
      default: part = paragraph();
    }
    parts.push(part);
    size += part.length + 2;
  }
  return parts.join('\n\n') + '\n';
}
