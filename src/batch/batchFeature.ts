import * as path from 'node:path';
import * as vscode from 'vscode';
import { Views } from '../constants';
import type { Services } from '../services';
import { createBatchCore } from './batchCore';
import type { BatchesModel } from './batchesModel';
import { reconcile, type BatchContext } from './commands/context';
import { notifyWhenEnded } from './commands/notify';
import { openResultsCommand } from './commands/results';
import { FindingsPresenter } from './findings/findingsPresenter';
import { ResultCacheStore } from './results/resultCache';
import { PROPOSAL_SCHEME, ProposalProvider } from './review/proposalProvider';
import { ReviewStore } from './review/reviewStore';
import { ReviewTreeProvider } from './review/reviewTreeProvider';
import { registerIndexLinks } from './results/resultsPresenter';
import type { BatchStore } from './store/batchStore';
import { FindingsStore } from './store/findingsStore';
import { nodeFsPort } from './store/nodeFs';
import { BatchTreeProvider } from './tree/batchTreeProvider';

/** What the batch feature exposes to tests (through the extension's API). */
export interface BatchHost {
  model: BatchesModel;
  tree: BatchTreeProvider;
  store: BatchStore;
  storageDir: string;
  findings: FindingsPresenter;
}

/**
 * Builds the batch feature's parts (store, model, tree view, result cache) and its background
 * behaviour (polling, end notifications, reconcile on start and on key changes). Its commands are
 * registered by the composition root from this context.
 */
export function createBatchFeature(services: Services): BatchContext {
  const storageDir = path.join(services.context.globalStorageUri.fsPath, 'batches');
  const fs = nodeFsPort(storageDir);
  const { store, model } = createBatchCore(fs, {
    store: { onWarning: (m) => services.log.warn(m) },
    getClient: () => services.api.getClient(),
    pollSeconds: () => services.settings()['batch.pollIntervalSeconds'],
    log: services.log,
  });
  const tree = new BatchTreeProvider(model);
  const reviews = new ReviewStore(fs, vscode.l10n);
  const reviewTree = new ReviewTreeProvider(reviews);
  const cache = new ResultCacheStore(fs);
  const findings = new FindingsPresenter(new FindingsStore(fs, (m) => services.log.warn(m)), services.log);
  const ctx: BatchContext = { services, store, model, tree, cache, reviews, reviewTree, findings, storageDir };
  const openResults = openResultsCommand(ctx);
  const view = vscode.window.createTreeView(Views.batches, { treeDataProvider: tree, showCollapseAll: true });
  services.context.subscriptions.push(
    view,
    tree,
    registerIndexLinks(cache),
    reviewTree,
    vscode.window.createTreeView(Views.editReview, { treeDataProvider: reviewTree }),
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, new ProposalProvider(reviews)),
    findings,
    vscode.languages.registerCodeActionsProvider('*', findings, FindingsPresenter.metadata),
    { dispose: () => model.dispose() },
    { dispose: notifyWhenEnded(model, (record) => void openResults(record)) },
    // A new key or base URL can reveal batches (or make them reachable): settle again.
    services.api.onDidChange(() => void reconcile(ctx, false)),
  );
  void reconcileWhenNeeded(ctx, view).catch((err: unknown) =>
    services.log.warn(`Batches not loaded: ${err instanceof Error ? err.message : String(err)}`));
  // Kept findings come back asynchronously: activation does not wait for the disk.
  void findings.restore();
  return ctx;
}

/**
 * Activation makes no request unless a batch is in flight (in progress, canceling, or a
 * submission not confirmed): only those can have ended, or been created, while VS Code was
 * closed, and they must be announced at once. Otherwise `batches.list()` (batches made
 * elsewhere) waits until the Batches view is first shown, or Refresh.
 */
async function reconcileWhenNeeded(ctx: BatchContext, view: vscode.TreeView<unknown>): Promise<void> {
  const inFlight = (await ctx.model.list()).some((r) =>
    r.state === 'pending-create' || r.lastKnown?.processing_status === 'in_progress' || r.lastKnown?.processing_status === 'canceling');
  if (inFlight || view.visible) return reconcile(ctx, false);
  const shown = view.onDidChangeVisibility((e) => {
    if (!e.visible) return;
    shown.dispose();
    void reconcile(ctx, false);
  });
  ctx.services.context.subscriptions.push(shown);
}

export function batchHost(ctx: BatchContext): BatchHost {
  return { model: ctx.model, tree: ctx.tree, store: ctx.store, storageDir: ctx.storageDir, findings: ctx.findings };
}
