import * as assert from 'node:assert/strict';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { modelChoices } from '../../../src/api/models';

const model = (id: string, lifecycle: ModelInfo['lifecycle'], extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id, display_name: id.toUpperCase(), lifecycle, type: 'model', created_at: '2026-01-01T00:00:00Z', deprecated_at: null,
  retires_at: null, capabilities: null, line: null, max_input_tokens: 200000, max_tokens: 64000, ...extra,
});

describe('modelChoices', () => {
  it('lists active models first, marks deprecated ones and hides retired ones', () => {
    const list = [
      model('old-deprecated', 'deprecated', { retires_at: '2027-01-05T00:00:00Z' }),
      model('new-active', 'active'),
      model('gone', 'retired'),
      model('other-active', 'active'),
    ];
    const choices = modelChoices(list, 'other-active');
    assert.deepEqual(choices.map((c) => c.id), ['new-active', 'other-active', 'old-deprecated']);
    assert.equal(choices[2].deprecated, true);
    assert.match(choices[2].description, /deprecated, retires 2027-01-05/);
    assert.match(choices[1].description, /current/);
    assert.match(choices[0].detail, /200k context/);
  });
});
