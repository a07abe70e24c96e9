import vscode = require('vscode');
import { BatchCommands } from '../../constants';
import type { BatchesModel } from '../batchesModel';
import { PAGE_SIZE } from '../batchesModel';
import { describeBatch, describePendingRecord, describeRequest } from './labels';
import type { ItemDescription } from './labels';
import type { BatchRecord } from '../store/records';

export type BatchNode =
  | { kind: 'batch'; record: BatchRecord }
  | { kind: 'request'; record: BatchRecord; customId: string; relPath?: string; state?: string }
  | { kind: 'more'; record: BatchRecord; loaded: number; total: number }
  | { kind: 'message'; record: BatchRecord; text: string };

/** Tree provider over `BatchesModel`: maps records and manifest pages to tree items, nothing else. */
export class BatchTreeProvider implements vscode.TreeDataProvider<BatchNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<BatchNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** How many children of each batch are shown; grows by PAGE_SIZE with "Load more…". */
  private readonly shown = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(private readonly model: BatchesModel) {
    this.unsubscribe = model.onDidChange(() => this.emitter.fire(undefined));
  }

  getTreeItem(node: BatchNode): vscode.TreeItem {
    switch (node.kind) {
      case 'batch':
        return this.batchItem(node.record);
      case 'request': {
        const d = describeRequest({ customId: node.customId, ...(node.relPath ? { relPath: node.relPath } : {}) }, node.state as never, vscode.l10n);
        const item = toItem(d, vscode.TreeItemCollapsibleState.None);
        item.id = `req:${node.record.localId}:${node.customId}`;
        if (node.state) {
          item.command = { command: BatchCommands.openResult, title: vscode.l10n.t('Open Result'), arguments: [node] };
        }
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more… ({0} of {1} shown)', node.loaded, node.total));
        item.id = `more:${node.record.localId}:${node.loaded}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: BatchCommands.loadMore, title: vscode.l10n.t('Load more'), arguments: [node] };
        item.contextValue = 'claudeEvents:more';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.id = `msg:${node.record.localId}`;
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  async getChildren(node?: BatchNode): Promise<BatchNode[]> {
    if (!node) return (await this.model.list()).map((record) => ({ kind: 'batch', record }));
    if (node.kind !== 'batch') return [];
    const record = node.record;
    if (!record.batchId) return [];
    // Result states are final once a batch has ended: fetched once, then remembered.
    if (record.lastKnown?.processing_status === 'ended') {
      try {
        await this.model.ensureStates(record);
      } catch {
        // Results not reachable (yet): show what is known.
      }
    }
    const limit = this.shown.get(record.localId) ?? PAGE_SIZE;
    const page = await this.model.requestPage(record, 0, limit);
    const children: BatchNode[] = page.rows.map((row) => ({ kind: 'request', record, ...row }));
    if (page.total > page.rows.length) children.push({ kind: 'more', record, loaded: page.rows.length, total: page.total });
    if (children.length === 0) {
      children.push({
        kind: 'message',
        record,
        text: record.origin === 'external' ? vscode.l10n.t('Created elsewhere: requests appear once the batch has ended') : vscode.l10n.t('No requests'),
      });
    }
    return children;
  }

  /** Shows the next page of a batch's children. */
  loadMore(node: BatchNode): void {
    if (node.kind !== 'more') return;
    this.shown.set(node.record.localId, node.loaded + PAGE_SIZE);
    this.emitter.fire({ kind: 'batch', record: node.record });
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.unsubscribe();
    this.emitter.dispose();
  }

  private batchItem(record: BatchRecord): vscode.TreeItem {
    const d = record.lastKnown
      ? describeBatch({ ...record.lastKnown, id: record.batchId }, new Date(), record, vscode.l10n)
      : describePendingRecord(record, vscode.l10n);
    if (record.parentBatchId) d.description = vscode.l10n.t('retry of {0} · {1}', record.parentBatchId, d.description);
    if (record.origin === 'external') d.description = vscode.l10n.t('external · {0}', d.description);
    const collapsible = record.batchId ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = toItem(d, collapsible);
    item.id = `batch:${record.localId}`;
    // Retry is offered only when there is something to retry.
    const status = record.lastKnown?.processing_status;
    const c = record.lastKnown?.request_counts;
    if (status === 'ended' && c && c.errored + c.expired + c.canceled > 0) item.contextValue = `${d.contextValue}:retryable`;
    // Appended last, so the menus' prefix regexes (`^…:ended`, `^…:ended:retryable`) still match.
    if (record.kind === 'review') item.contextValue = `${item.contextValue}:review`;
    return item;
  }
}

function toItem(d: ItemDescription, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(d.label, collapsible);
  item.description = d.description;
  item.tooltip = d.tooltip;
  item.iconPath = new vscode.ThemeIcon(d.icon, iconColor(d.icon));
  item.contextValue = d.contextValue;
  return item;
}

function iconColor(icon: string): vscode.ThemeColor | undefined {
  switch (icon) {
    case 'check':
      return new vscode.ThemeColor('testing.iconPassed');
    case 'error':
      return new vscode.ThemeColor('testing.iconFailed');
    case 'clock':
    case 'circle-slash':
      return new vscode.ThemeColor('list.warningForeground');
    default:
      return undefined;
  }
}
