import vscode = require('vscode');
import { Commands } from '../constants';
import type { ResponseItem, ResponseManager } from './responseManager';
import type { SessionState } from './responseSession';

const ICONS: Record<SessionState, string> = {
  queued: 'clock',
  streaming: 'sync~spin',
  complete: 'pass',
  error: 'error',
  cancelled: 'circle-slash',
};

/**
 * "Responses": this window's answers and the saved ones from earlier windows, newest first,
 * optionally filtered; a click reopens the panel (live: Retry and follow-ups work).
 */
export class ResponsesTreeProvider implements vscode.TreeDataProvider<ResponseItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;
  private _filter = '';
  /** Set by extension.ts so the view's description can show the filter. */
  view: vscode.TreeView<ResponseItem> | undefined;

  constructor(private readonly manager: ResponseManager) {
    this.sub = manager.onDidChange(() => this.changed.fire());
  }

  get filter(): string {
    return this._filter;
  }

  setFilter(text: string): void {
    this._filter = text.trim();
    if (this.view) this.view.description = this._filter ? `filter: ${this._filter}` : undefined;
    this.changed.fire();
  }

  getChildren(element?: ResponseItem): ResponseItem[] {
    if (element) return [];
    const needle = this._filter.toLowerCase();
    const items = this.manager.items();
    return needle ? items.filter((i) => i.searchText.toLowerCase().includes(needle)) : items;
  }

  getTreeItem(s: ResponseItem): vscode.TreeItem {
    const item = new vscode.TreeItem(s.title, vscode.TreeItemCollapsibleState.None);
    item.id = s.id;
    const when = new Date(s.createdAt);
    const sameDay = when.toDateString() === new Date().toDateString();
    item.description = `${s.state} · ${sameDay ? when.toLocaleTimeString() : when.toLocaleString()}`;
    item.tooltip = `${s.title}\n${s.model}${s.requestId ? `\nrequest ${s.requestId}` : ''}${s.error ? `\n${s.error}` : ''}`;
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
