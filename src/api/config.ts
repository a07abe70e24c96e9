/** Where the key and the base URL come from; pure so the precedence rules are unit-tested. */

export interface BaseUrlSources {
  /** User (or remote machine) value of `claudeEvents.baseUrl`; workspace values are never passed in. */
  machineSetting?: string;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedBaseUrl {
  /** undefined means the SDK default (https://api.anthropic.com). */
  url: string | undefined;
  source: 'setting' | 'env' | 'default';
}

export function resolveBaseUrl({ machineSetting, env }: BaseUrlSources): ResolvedBaseUrl {
  const setting = machineSetting?.trim();
  if (setting) return { url: stripTrailingSlash(setting), source: 'setting' };
  const fromEnv = env.ANTHROPIC_BASE_URL?.trim();
  if (fromEnv) return { url: stripTrailingSlash(fromEnv), source: 'env' };
  return { url: undefined, source: 'default' };
}

export interface ResolvedKey {
  key: string | undefined;
  source: 'secretStorage' | 'env' | 'none';
}

export function resolveApiKey(stored: string | undefined, env: NodeJS.ProcessEnv): ResolvedKey {
  if (stored && stored.trim()) return { key: stored.trim(), source: 'secretStorage' };
  const fromEnv = env.ANTHROPIC_API_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: 'env' };
  return { key: undefined, source: 'none' };
}

/** Validation for the Set API Key input box: undefined when acceptable, else the reason. */
export function validateApiKeyInput(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'The key cannot be empty.';
  if (/\s/.test(v)) return 'The key cannot contain spaces.';
  if (v.length < 8) return 'That is too short to be an API key.';
  return undefined;
}

function stripTrailingSlash(u: string): string {
  return u.replace(/\/+$/, '');
}
