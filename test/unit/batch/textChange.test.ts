import * as assert from 'node:assert/strict';
import { positionAt, textChange, type TextPosition } from '../../../src/batch/review/textChange';

/** Applies a change the way VS Code's model does: positions → offsets over \r\n, \r and \n lines. */
function apply(text: string, change: { start: TextPosition; end: TextPosition; text: string }): string {
  const offsetOf = (p: TextPosition): number => {
    let line = 0;
    let i = 0;
    while (line < p.line) {
      const c = text.charCodeAt(i++);
      if (c === 13 && text.charCodeAt(i) === 10) i++;
      if (c === 13 || c === 10) line++;
      if (i > text.length) throw new Error(`no line ${p.line}`);
    }
    return i + p.character;
  };
  return text.slice(0, offsetOf(change.start)) + change.text + text.slice(offsetOf(change.end));
}

describe('batch/review/textChange', () => {
  it('replaces only what changed, at model positions', () => {
    const before = 'export const one = 1;\nexport const two = 2;\n';
    const after = '// Reviewed by Claude\nexport const one = 1;\nexport const two = 2;\n';
    const change = textChange(before, after);
    assert.deepEqual(change.start, { line: 0, character: 0 });
    assert.ok(change.text.length < 30, JSON.stringify(change));
    assert.equal(apply(before, change), after);
    const mid = textChange('a\nbcd\ne\n', 'a\nbXd\ne\n');
    assert.deepEqual(mid, { start: { line: 1, character: 1 }, end: { line: 1, character: 2 }, text: 'X' });
  });

  it('counts \\r\\n, \\r and \\n as one line end each, like the model', () => {
    assert.deepEqual(positionAt('a\r\nb\rc\nd', 8), { line: 3, character: 1 });
    assert.deepEqual(positionAt('a\r\nb', 3), { line: 1, character: 0 });
    const before = 'one\r\ntwo\r\nthree\r\n';
    const after = 'one\r\n2\r\nthree\r\n';
    assert.equal(apply(before, textChange(before, after)), after);
  });

  it('never splits a \\r\\n or a surrogate pair', () => {
    const cases: [string, string][] = [
      ['a\r\nb', 'a\rX\nb'],
      ['a\r\nb', 'a\r\r\nb'],
      ['a\nb', 'a\r\nb'],
      ['x\u{1F600}y', 'x\u{1F601}y'],
      ['\u{1F600}', '\u{1F600}\u{1F600}'],
      ['ab', ''],
      ['', 'ab'],
      ['same', 'same'],
    ];
    for (const [before, after] of cases) {
      const change = textChange(before, after);
      assert.equal(apply(before, change), after, JSON.stringify({ before, after, change }));
      for (const p of [change.start, change.end]) {
        const line = before.split(/\r\n|\r|\n/)[p.line] ?? '';
        const c = line.charCodeAt(p.character - 1);
        assert.ok(!(c >= 0xd800 && c <= 0xdbff), `inside a surrogate pair: ${JSON.stringify({ before, after, p })}`);
        assert.ok(p.character <= line.length, `past the line end (inside \\r\\n?): ${JSON.stringify({ before, after, p })}`);
      }
    }
  });

  it('turns any text into any other (random edits of mixed line ends and pairs)', () => {
    const alphabet = ['a', 'b', '\n', '\r', '\r\n', '\u{1F600}', ' '];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const text = (n: number) => Array.from({ length: n }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let k = 0; k < 2000; k++) {
      const before = text(rnd(12));
      const cut = rnd(before.length + 1);
      const after = before.slice(0, cut) + text(rnd(4)) + before.slice(Math.min(before.length, cut + rnd(4)));
      assert.equal(apply(before, textChange(before, after)), after, JSON.stringify({ before, after }));
    }
  });
});
