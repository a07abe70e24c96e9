import * as assert from 'node:assert/strict';
import { checkFileBytes, checkText } from '../../../src/stream/summarizeInput';

describe('summarize input checks', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('accepts UTF-8 text and returns it decoded', () => {
    assert.deepEqual(checkFileBytes('a.md', enc('héllo 日本語\n')), { ok: true, text: 'héllo 日本語\n' });
  });

  it('refuses binary (NUL byte or invalid UTF-8), huge and empty input with a reason', () => {
    assert.equal(checkFileBytes('p.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1])).ok, false);
    const bad = checkFileBytes('x.bin', new Uint8Array([0xff, 0xfe, 0x41]));
    assert.equal(!bad.ok && bad.reason, 'binary');
    const big = checkFileBytes('big.txt', enc('x'.repeat(2000)), 1000);
    assert.equal(!big.ok && big.reason, 'tooLarge');
    assert.match(!big.ok ? big.message : '', /too large/);
    const empty = checkFileBytes('e.txt', enc('  \n'));
    assert.equal(!empty.ok && empty.reason, 'empty');
    const sel = checkText('a.ts', '', true);
    assert.match(!sel.ok ? sel.message : '', /selection is empty/);
  });
});
