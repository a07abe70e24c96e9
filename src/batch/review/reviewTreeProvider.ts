import vscode = require('vscode');
import { BatchCommands } from '../../constants';
import { REVIEW_PAGE_SIZE, type Decision, type ReviewEntry, type ReviewMeta, type ReviewStore } from './reviewStore';

export type ReviewNode =
  | { kind: 'entry'; batchId: string; entry: ReviewEntry }
  | { kind: 'more'; batchId: string; nextPage: number; remaining: number };

/**
 * The edit batch under review: one item per file, a page (200) at a time with a "Load more" row,
 * so a 10,000-file review never loads at once. Maps entries and decisions to tree items, nothing else.
 */
export class ReviewTreeProvider implements vscode.TreeDataProvider<ReviewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReviewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private batchId: string | undefined;
  private meta: ReviewMeta | undefined;
  private entries: ReviewEntry[] = [];
  private pagesLoaded = 0;
  private decisionsById: Record<string, Decision> = {};

  constructor(private readonly store: ReviewStore) {}

  get current(): { batchId: string; meta: ReviewMeta } | undefined {
    return this.batchId && this.meta ? { batchId: this.batchId, meta: this.meta } : undefined;
  }

  /** Shows the review of `batchId` from its first page. */
  async show(batchId: string): Promise<ReviewMeta | undefined> {
    this.batchId = batchId;
    this.meta = await this.store.meta(batchId);
    this.entries = this.meta && this.meta.pages > 0 ? await this.store.page(batchId, 0) : [];
    this.pagesLoaded = this.entries.length ? 1 : 0;
    this.decisionsById = await this.store.decisions(batchId);
    this.changed.fire(undefined);
    return this.meta;
  }

  async loadMore(): Promise<void> {
    if (!this.batchId || !this.meta || this.pagesLoaded >= this.meta.pages) return;
    this.entries.push(...(await this.store.page(this.batchId, this.pagesLoaded++)));
    this.changed.fire(undefined);
  }

  async refreshDecisions(): Promise<void> {
    if (this.batchId) this.decisionsById = await this.store.decisions(this.batchId);
    this.changed.fire(undefined);
  }

  decisionOf(customId: string): Decision | undefined {
    return this.decisionsById[customId];
  }

  clear(): void {
    this.batchId = undefined;
    this.meta = undefined;
    this.entries = [];
    this.changed.fire(undefined);
  }

  getChildren(node?: ReviewNode): ReviewNode[] {
    if (node || !this.batchId || !this.meta) return [];
    const rows: ReviewNode[] = this.entries.map((entry) => ({ kind: 'entry', batchId: this.batchId!, entry }));
    const remaining = this.meta.total - this.entries.length;
    if (remaining > 0) rows.push({ kind: 'more', batchId: this.batchId, nextPage: this.pagesLoaded, remaining });
    return rows;
  }

  getTreeItem(node: ReviewNode): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(vscode.l10n.t('Load {0} more ({1} left)', Math.min(REVIEW_PAGE_SIZE, node.remaining), node.remaining));
      item.command = { command: BatchCommands.reviewLoadMore, title: vscode.l10n.t('Load more') };
      return item;
    }
    const { entry } = node;
    const decision = this.decisionsById[entry.customId];
    const item = new vscode.TreeItem(entry.relPath);
    item.id = `${node.batchId}/${entry.customId}`;
    const state: string = decision ?? entry.state;
    item.description = state === 'failed'
      ? vscode.l10n.t('failed: {0}', entry.reason ?? '')
      : state === 'proposed' ? ((entry.edits?.length ?? 0) === 1 ? vscode.l10n.t('1 edit') : vscode.l10n.t('{0} edits', entry.edits?.length ?? 0)) : stateText(state);
    item.tooltip = [entry.relPath, entry.summary, entry.reason].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon(
      decision === 'accepted' ? 'check' : decision === 'rejected' ? 'close' : entry.state === 'failed' ? 'error' : entry.state === 'unchanged' ? 'circle-outline' : 'diff',
    );
    item.contextValue = `claudeEvents:edit:${state}`;
    item.command = { command: BatchCommands.showEdit, title: vscode.l10n.t('Show Diff'), arguments: [node] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A decision or an entry state in words ("accepted", "unchanged"). */
function stateText(state: string): string {
  switch (state) {
    case 'accepted':
      return vscode.l10n.t('accepted');
    case 'rejected':
      return vscode.l10n.t('rejected');
    case 'unchanged':
      return vscode.l10n.t('unchanged');
    default:
      return state;
  }
}
