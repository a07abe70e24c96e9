import * as assert from 'node:assert/strict';
import { splitRequests } from '../../../src/batch/requests/split';
import type { BatchRequestParams } from '../../../src/batch/requests/requestBuilder';

function request(i: number, text = 'x'): BatchRequestParams {
  return { custom_id: `r${i}`, params: { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: text }] } };
}

function bodyBytes(requests: BatchRequestParams[]): number {
  return Buffer.byteLength(JSON.stringify({ requests }));
}

describe('batch/split', () => {
  it('splits at the request-count limit', () => {
    const reqs = Array.from({ length: 7 }, (_, i) => request(i));
    const chunks = splitRequests(reqs, { maxRequests: 3, safetyMarginBytes: 0 });
    assert.deepEqual(chunks.map((c) => [c.start, c.end]), [[0, 3], [3, 6], [6, 7]]);
  });

  it('splits at the byte limit and measures the body exactly', () => {
    const reqs = Array.from({ length: 10 }, (_, i) => request(i, 'y'.repeat(100)));
    const one = bodyBytes([reqs[0]!]);
    const maxBytes = one * 3;
    const chunks = splitRequests(reqs, { maxBytes, safetyMarginBytes: 0 });
    for (const c of chunks) {
      const body = bodyBytes(reqs.slice(c.start, c.end));
      assert.equal(c.bytes, body);
      assert.ok(body <= maxBytes);
    }
    assert.equal(chunks[chunks.length - 1]!.end, 10);
    assert.ok(chunks.length > 1);
  });

  it('keeps the safety margin and rejects a request that can never fit', () => {
    const reqs = [request(0, 'z'.repeat(1000))];
    assert.throws(() => splitRequests(reqs, { maxBytes: 1200, safetyMarginBytes: 500 }), RangeError);
    assert.equal(splitRequests([]).length, 0);
  });

  it('cuts 100,001 tiny requests at the real 100,000 limit', () => {
    const reqs = Array.from({ length: 100_001 }, (_, i) => request(i));
    const chunks = splitRequests(reqs);
    assert.deepEqual(chunks.map((c) => c.end - c.start), [100_000, 1]);
  });
});
