/** Every id the manifest, menus and tests depend on. Keep in sync with package.json. */
export const EXTENSION_ID = 'claude-events.claude-events';
export const SECRET_KEY = 'claudeEvents.apiKey';
export const CONFIG_SECTION = 'claudeEvents';
export const LOG_NAME = 'Claude Events';

export const Commands = {
  setApiKey: 'claudeEvents.setApiKey',
  clearApiKey: 'claudeEvents.clearApiKey',
  selectModel: 'claudeEvents.selectModel',
  showLog: 'claudeEvents.showLog',
} as const;

export const Views = {
  container: 'claudeEvents',
  batches: 'claudeEvents.batches',
} as const;

/** Context keys used in `when` clauses. */
export const ContextKeys = {
  hasApiKey: 'claudeEvents.hasApiKey',
} as const;

/** The newest Sonnet in the SDK's `Model` type. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
