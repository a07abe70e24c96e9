import * as assert from 'node:assert/strict';
import { Coalescer } from '../../../src/stream/coalescer';

describe('Coalescer', () => {
  it('merges consecutive appends to the same block and keeps order otherwise', () => {
    const c = new Coalescer({ requestId: 'r' });
    c.push([
      { type: 'blockStart', index: 0, block: { kind: 'text' } },
      { type: 'textAppend', index: 0, text: 'Hel' },
      { type: 'textAppend', index: 0, text: 'lo' },
      { type: 'blockStart', index: 1, block: { kind: 'toolUse', server: false, name: 'x', id: 'i' } },
      { type: 'toolInputAppend', index: 1, json: '{"a"' },
      { type: 'toolInputAppend', index: 1, json: ':1}' },
      { type: 'thinkingAppend', index: 2, text: 'a' },
      { type: 'textAppend', index: 0, text: '!' },
      { type: 'textAppend', index: 0, text: '?' },
    ]);
    const msg = c.flush()!;
    assert.equal(msg.seq, 1);
    assert.deepEqual(msg.patches, [
      { type: 'blockStart', index: 0, block: { kind: 'text' } },
      { type: 'textAppend', index: 0, text: 'Hello' },
      { type: 'blockStart', index: 1, block: { kind: 'toolUse', server: false, name: 'x', id: 'i' } },
      { type: 'toolInputAppend', index: 1, json: '{"a":1}' },
      { type: 'thinkingAppend', index: 2, text: 'a' },
      { type: 'textAppend', index: 0, text: '!?' },
    ]);
  });

  it('keeps only the newest footer, does not mutate the pushed patches, numbers flushes', () => {
    const c = new Coalescer({ requestId: 'r', lastSeq: 4 });
    const first = { type: 'textAppend' as const, index: 0, text: 'a' };
    c.push([{ type: 'footer', footer: { outputTokens: 1 } }, first, { type: 'footer', footer: { outputTokens: 2 } }, { type: 'textAppend', index: 0, text: 'b' }]);
    const msg = c.flush()!;
    assert.equal(msg.seq, 5);
    assert.deepEqual(msg.patches, [{ type: 'textAppend', index: 0, text: 'a' }, { type: 'footer', footer: { outputTokens: 2 } }, { type: 'textAppend', index: 0, text: 'b' }]);
    assert.equal(first.text, 'a');
    assert.equal(c.flush(), undefined);
    assert.equal(c.lastSeq, 5);
  });

  it('asks for an early flush once enough text is pending', () => {
    const c = new Coalescer({ requestId: 'r', maxPendingChars: 10 });
    c.push([{ type: 'textAppend', index: 0, text: '12345' }]);
    assert.equal(c.shouldFlushNow, false);
    c.push([{ type: 'textAppend', index: 0, text: '678901' }]);
    assert.equal(c.shouldFlushNow, true);
    c.flush();
    assert.equal(c.shouldFlushNow, false);
  });
});
