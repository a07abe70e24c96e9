import { DEFAULT_MODEL } from './constants';

/**
 * Every `claudeEvents.*` setting with its type and its default, in one place. The manifest
 * (package.json) declares the same defaults; a unit test keeps the two equal, so a reader that
 * falls back never disagrees with what the Settings UI shows.
 *
 * `baseUrl` is deliberately absent: only its user (machine) value may count, so
 * `ApiService.baseUrl()` reads it with `inspect()` and nothing else may read it.
 */
export const SETTING_DEFAULTS = {
  model: DEFAULT_MODEL,
  maxTokens: 4096,
  systemPrompt: '',
  'prompts.summarize':
    'Summarize this file for a developer who has not read it: its purpose, its main parts, and anything surprising. Use short markdown.',
  thinking: 'off' as ThinkingMode,
  thinkingBudget: 2048,
  effort: 'default' as EffortSetting,
  output: 'panel' as OutputTarget,
  'tools.webSearch': false,
  'tools.workspace': false,
  'tools.maxTurns': 8,
  autoContinue: true,
  concurrency: 4,
  maxRetries: 2,
  timeoutSeconds: 600,
  'batch.pollIntervalSeconds': 30,
  'batch.maxFileBytes': 200_000,
  'batch.exclude': ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**'] as readonly string[],
  'batch.resultsLocation': 'editor' as ResultsLocation,
  'batch.resultsFolder': '.claude-batches',
  'history.maxAnswers': 500,
  'history.maxMegabytes': 200,
};

export type ThinkingMode = 'off' | 'adaptive' | 'budget';
export type EffortSetting = 'default' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
export type OutputTarget = 'panel' | 'outputChannel';
export type ResultsLocation = 'editor' | 'folder';
export type SettingKey = keyof typeof SETTING_DEFAULTS;
export type Settings = { readonly [K in SettingKey]: (typeof SETTING_DEFAULTS)[K] };

/** The slice of `vscode.WorkspaceConfiguration` this module needs (so it stays free of vscode). */
export interface ConfigSource {
  get<T>(key: string): T | undefined;
}

const ENUMS: Partial<Record<SettingKey, readonly string[]>> = {
  thinking: ['off', 'adaptive', 'budget'],
  effort: ['default', 'low', 'medium', 'high', 'xhigh', 'max'],
  output: ['panel', 'outputChannel'],
  'batch.resultsLocation': ['editor', 'folder'],
};

/**
 * One setting, falling back to its default when unset or of the wrong type (a hand-edited
 * settings.json can hold anything). Empty strings count as unset only where the default is not
 * empty: an empty `prompts.summarize` or `model` would make a request that cannot succeed.
 */
export function setting<K extends SettingKey>(c: ConfigSource, key: K): Settings[K] {
  const fallback = SETTING_DEFAULTS[key];
  const value = c.get<unknown>(key);
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(fallback)) return (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : fallback) as Settings[K];
  if (typeof value !== typeof fallback) return fallback;
  if (typeof value === 'string' && !value.trim() && fallback !== '') return fallback;
  const allowed = ENUMS[key];
  if (allowed && !allowed.includes(value as string)) return fallback;
  return value as Settings[K];
}

/** Every setting at once (for code that needs several). */
export function readSettings(c: ConfigSource): Settings {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) out[key] = setting(c, key);
  return out as Settings;
}
