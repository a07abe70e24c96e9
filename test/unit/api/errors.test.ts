import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { classifyError, MissingApiKeyError } from '../../../src/api/errors';
import { redactSecrets } from '../../../src/redact';

const KEY = 'sk-ant-api03-SECRETSECRETSECRET';
const headers = new Headers({ 'request-id': 'req_123' });
const body = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_123' });

describe('classifyError', () => {
  it('no key → asks to set one', () => {
    const c = classifyError(new MissingApiKeyError());
    assert.equal(c.kind, 'noKey');
    assert.deepEqual(c.actions, ['setApiKey']);
  });
  it('401 says the key was rejected and offers Set API Key', () => {
    const c = classifyError(Anthropic.APIError.generate(401, body('authentication_error', 'invalid x-api-key'), undefined, headers));
    assert.equal(c.kind, 'badKey');
    assert.match(c.message, /rejected/);
    assert.deepEqual(c.actions, ['setApiKey']);
    assert.equal(c.requestId, 'req_123');
  });
  it('404 on a model offers Select Model', () => {
    const c = classifyError(Anthropic.APIError.generate(404, body('not_found_error', 'model: claude-nope'), undefined, headers), { model: 'claude-nope' });
    assert.equal(c.kind, 'modelNotFound');
    assert.deepEqual(c.actions, ['selectModel']);
    assert.match(c.message, /claude-nope/);
  });
  it('unreachable host names the host and the setting', () => {
    const err = new Anthropic.APIConnectionError({ cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const c = classifyError(err, { baseUrl: 'http://127.0.0.1:9' });
    assert.equal(c.kind, 'unreachable');
    assert.match(c.message, /127\.0\.0\.1:9/);
    assert.match(c.message, /claudeEvents\.baseUrl/);
    assert.match(c.message, /ECONNREFUSED/);
  });
  it('a mid-stream error event is retryable', () => {
    const err = new Anthropic.APIError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, 'Overloaded', undefined, 'overloaded_error');
    const c = classifyError(err);
    assert.equal(c.kind, 'overloaded');
    assert.equal(c.retryable, true);
    assert.deepEqual(c.actions, ['retry']);
  });
  it('429, 529 and 500 after retries are retryable; 400 is not', () => {
    assert.equal(classifyError(Anthropic.APIError.generate(429, body('rate_limit_error', 'slow down'), undefined, headers)).kind, 'rateLimited');
    assert.equal(classifyError(Anthropic.APIError.generate(529, body('overloaded_error', 'Overloaded'), undefined, headers)).kind, 'overloaded');
    assert.equal(classifyError(Anthropic.APIError.generate(500, body('api_error', 'boom'), undefined, headers)).retryable, true);
    assert.equal(classifyError(Anthropic.APIError.generate(400, body('invalid_request_error', 'bad'), undefined, headers)).retryable, false);
  });
  it('user abort is "cancelled"', () => {
    assert.equal(classifyError(new Anthropic.APIUserAbortError()).kind, 'cancelled');
  });
  it('a dropped connection mid-stream (the SDK wraps the socket error) is retryable', () => {
    const err = new Anthropic.AnthropicError('terminated');
    (err as { cause?: unknown }).cause = Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } });
    const c = classifyError(err);
    assert.equal(c.kind, 'streamInterrupted');
    assert.equal(c.retryable, true);
    assert.deepEqual(c.actions, ['retry']);
  });
  it('never repeats the key, even when the server echoes it', () => {
    const echoed = Anthropic.APIError.generate(400, body('invalid_request_error', `bad header x-api-key: ${KEY}`), undefined, headers);
    const c = classifyError(echoed, { secrets: [KEY] });
    assert.ok(!c.message.includes(KEY), c.message);
    const plain = classifyError(new Error(`failed with ${KEY}`));
    assert.ok(!plain.message.includes('SECRETSECRET'), plain.message);
  });
});

describe('redactSecrets', () => {
  it('removes known secrets and anything shaped like an Anthropic key', () => {
    assert.equal(redactSecrets(`a ${KEY} b`, [KEY]), 'a [redacted] b');
    assert.equal(redactSecrets('x sk-ant-abcdefghij y'), 'x sk-ant-[redacted] y');
  });
});
