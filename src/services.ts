import type * as vscode from 'vscode';
import type { ApiService } from './api/apiService';
import type { ModelInfoCache } from './api/modelInfoCache';
import type { Logger } from './log';
import type { Settings } from './settings';
import type { JobQueue } from './stream/jobQueue';

/** What commands and views are built from; assembled once in `extension.ts`. */
export interface Services {
  context: vscode.ExtensionContext;
  log: Logger;
  api: ApiService;
  /** The Models API's view of each model (context limit, capabilities), asked once per window. */
  models: ModelInfoCache;
  /** Every request to the API goes through this queue. */
  queue: JobQueue;
  /** Every `claudeEvents.*` setting, read now, with the defaults of src/settings.ts. */
  settings: () => Settings;
}
