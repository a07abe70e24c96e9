import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSettings, setting, SETTING_DEFAULTS, type ConfigSource } from '../../src/settings';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const declared: Record<string, { default: unknown; enum?: unknown[] }> = manifest.contributes.configuration.properties;
const source = (values: Record<string, unknown>): ConfigSource => ({ get: <T>(k: string) => values[k] as T | undefined });

describe('settings', () => {
  it('declares every setting of the manifest with the same default (baseUrl is read by ApiService only)', () => {
    const fromManifest = Object.fromEntries(
      Object.entries(declared)
        .filter(([k]) => k !== 'claudeEvents.baseUrl')
        .map(([k, v]) => [k.replace(/^claudeEvents\./, ''), v.default]),
    );
    assert.deepEqual({ ...SETTING_DEFAULTS }, fromManifest);
  });

  it('falls back to the default when unset, mistyped, outside its enum, or an empty required string', () => {
    const c = source({ maxTokens: 'lots', thinking: 'sometimes', 'prompts.summarize': '  ', model: '', systemPrompt: '', concurrency: 9 });
    assert.equal(setting(c, 'maxTokens'), 4096);
    assert.equal(setting(c, 'thinking'), 'off');
    assert.equal(setting(c, 'prompts.summarize'), SETTING_DEFAULTS['prompts.summarize']);
    assert.equal(setting(c, 'model'), SETTING_DEFAULTS.model);
    assert.equal(setting(c, 'systemPrompt'), '');
    assert.equal(setting(c, 'concurrency'), 9);
    assert.equal(setting(c, 'batch.resultsLocation'), 'editor');
  });

  it('keeps only the strings of an array setting', () => {
    assert.deepEqual(setting(source({ 'batch.exclude': ['**/a/**', 3, null] }), 'batch.exclude'), ['**/a/**']);
    assert.deepEqual(setting(source({ 'batch.exclude': 'x' }), 'batch.exclude'), SETTING_DEFAULTS['batch.exclude']);
  });

  it('reads every setting at once', () => {
    const all = readSettings(source({ output: 'outputChannel', 'tools.maxTurns': 3 }));
    assert.equal(all.output, 'outputChannel');
    assert.equal(all['tools.maxTurns'], 3);
    assert.equal(all.autoContinue, true);
  });
});
