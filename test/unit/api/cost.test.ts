import * as assert from 'node:assert/strict';
import { estimateCost, formatCost, parseModelId, priceFor } from '../../../src/api/cost';

const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

describe('cost', () => {
  it('parses both model id orders', () => {
    assert.deepEqual(parseModelId('claude-opus-4-5-20251101'), { line: 'opus', major: 4, minor: 5, version: 405 });
    assert.deepEqual(parseModelId('claude-3-5-sonnet-20241022'), { line: 'sonnet', major: 3, minor: 5, version: 305 });
    assert.deepEqual(parseModelId('claude-sonnet-5'), { line: 'sonnet', major: 5, minor: 0, version: 500 });
    assert.equal(parseModelId('claude-mythos-preview'), undefined);
  });

  it('prices by line and generation', () => {
    assert.equal(estimateCost(usage, 'claude-sonnet-4-5'), 18);
    assert.equal(estimateCost(usage, 'claude-sonnet-5-5'), 18);
    assert.equal(estimateCost(usage, 'claude-opus-4-8'), 30);
    assert.equal(estimateCost(usage, 'claude-opus-4-5-20251101'), 30);
    assert.equal(estimateCost(usage, 'claude-opus-5'), 30);
    assert.equal(estimateCost(usage, 'claude-opus-4-1'), 90);
    assert.equal(estimateCost(usage, 'claude-3-opus-20240229'), 90);
    assert.equal(estimateCost(usage, 'claude-haiku-4-5-20251001'), 6);
    assert.equal(estimateCost(usage, 'claude-3-5-haiku-20241022'), 4.8);
  });

  it('cache write is 1.25x and cache read 0.1x input; batch is half', () => {
    const cached = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 };
    assert.equal(estimateCost(cached, 'claude-sonnet-4-5'), 3.75 + 0.3);
    assert.equal(estimateCost(usage, 'claude-sonnet-4-5', { batch: true }), 9);
    assert.equal(estimateCost({ output_tokens: null as unknown as number }, 'claude-sonnet-4-5'), 0);
  });

  it('unknown models have no price', () => {
    assert.equal(estimateCost(usage, 'claude-fable-5-2'), undefined);
    assert.equal(estimateCost(usage, 'claude-mythos-preview'), undefined);
    assert.equal(estimateCost(usage, 'gpt-4o'), undefined);
    assert.equal(priceFor(''), undefined);
  });

  it('formats', () => {
    assert.equal(formatCost(0), '$0.00');
    assert.equal(formatCost(0.00001), '<$0.0001');
    assert.equal(formatCost(0.01234), '$0.0123');
    assert.equal(formatCost(12.345), '$12.35');
  });
});
