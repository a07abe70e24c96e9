import type * as vscode from 'vscode';
import type { ApiService } from './api/apiService';
import type { Logger } from './log';

/** What commands and views are built from; assembled once in `extension.ts`. */
export interface Services {
  context: vscode.ExtensionContext;
  log: Logger;
  api: ApiService;
}
