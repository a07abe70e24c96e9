import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { ResponseManager } from './responseManager';
import type { ResponseSession, SessionState } from './responseSession';

const ICONS: Record<SessionState, string> = {
  queued: 'clock',
  streaming: 'sync~spin',
  complete: 'pass',
  error: 'error',
  cancelled: 'circle-slash',
};

/** What the Responses view says of each state. */
const stateLabel = (state: SessionState): string => ({
  queued: vscode.l10n.t('queued'),
  streaming: vscode.l10n.t('streaming'),
  complete: vscode.l10n.t('complete'),
  error: vscode.l10n.t('error'),
  cancelled: vscode.l10n.t('cancelled'),
})[state];

/** "Responses": the recent answers of this window, newest first; a click reopens the panel. */
export class ResponsesTreeProvider implements vscode.TreeDataProvider<ResponseSession>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly manager: ResponseManager) {
    this.sub = manager.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: ResponseSession): ResponseSession[] {
    return element ? [] : [...this.manager.sessions].reverse();
  }

  getTreeItem(s: ResponseSession): vscode.TreeItem {
    const item = new vscode.TreeItem(s.title, vscode.TreeItemCollapsibleState.None);
    item.id = s.id;
    item.description = `${stateLabel(s.state)} · ${new Date(s.createdAt).toLocaleTimeString()}`;
    item.tooltip = `${s.title}\n${s.model}${s.requestId ? `\n${vscode.l10n.t('request {0}', s.requestId)}` : ''}${s.error ? `\n${s.error.message}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(ICONS[s.state]);
    item.contextValue = `claudeEvents:response:${s.state}`;
    item.command = { command: Commands.openResponse, title: vscode.l10n.t('Open'), arguments: [s.id] };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
