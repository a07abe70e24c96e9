import * as assert from 'node:assert/strict';
import { resolveApiKey, resolveBaseUrl, validateApiKeyInput } from '../../../src/api/config';

describe('key and base URL resolution', () => {
  it('prefers the key in secret storage over ANTHROPIC_API_KEY', () => {
    assert.deepEqual(resolveApiKey('sk-ant-stored', { ANTHROPIC_API_KEY: 'sk-ant-env' }), { key: 'sk-ant-stored', source: 'secretStorage' });
  });
  it('falls back to ANTHROPIC_API_KEY, then to nothing', () => {
    assert.deepEqual(resolveApiKey(undefined, { ANTHROPIC_API_KEY: ' sk-ant-env ' }), { key: 'sk-ant-env', source: 'env' });
    assert.deepEqual(resolveApiKey('  ', {}), { key: undefined, source: 'none' });
  });
  it('takes the machine setting, then ANTHROPIC_BASE_URL, then the SDK default', () => {
    assert.deepEqual(resolveBaseUrl({ machineSetting: 'http://127.0.0.1:9/', env: { ANTHROPIC_BASE_URL: 'http://env' } }), { url: 'http://127.0.0.1:9', source: 'setting' });
    assert.deepEqual(resolveBaseUrl({ machineSetting: '', env: { ANTHROPIC_BASE_URL: 'http://env:1' } }), { url: 'http://env:1', source: 'env' });
    assert.deepEqual(resolveBaseUrl({ env: {} }), { url: undefined, source: 'default' });
  });
  it('refuses an empty or malformed key in the input box', () => {
    assert.match(validateApiKeyInput('') ?? '', /empty/);
    assert.match(validateApiKeyInput('   ') ?? '', /empty/);
    assert.match(validateApiKeyInput('sk-ant abc def') ?? '', /spaces/);
    assert.match(validateApiKeyInput('abc') ?? '', /short/);
    assert.equal(validateApiKeyInput('sk-ant-api03-valid-looking'), undefined);
  });
});
