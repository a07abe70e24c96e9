import * as path from 'node:path';
import vscode = require('vscode');
import type { Services } from '../services';
import { BATCH_STORAGE_DIR, BATCH_WAKE_KEY, isInFlight } from './batchWake';
import { createBatchCore } from './batchCore';
import type { BatchesModel } from './batchesModel';
import { reconcile, type BatchContext } from './commands/context';
import { notifyWhenEnded } from './commands/notify';
import { openResultsCommand } from './commands/results';
import { FindingsPresenter } from './findings/findingsPresenter';
import { ResultCacheStore } from './results/resultCache';
import { ProposalProvider } from './review/proposalProvider';
import { ReviewStore } from './review/reviewStore';
import { ReviewTreeProvider } from './review/reviewTreeProvider';
import { indexLinkProvider } from './results/resultsPresenter';
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

/** The batch views, created at activation by the loader (so that they exist before this loads). */
export interface BatchViews {
  batches: vscode.TreeView<unknown>;
  editReview: vscode.TreeView<unknown>;
}

/** What the loader's stand-ins (views, links, the proposal scheme) hand over to once loaded. */
export interface BatchProviders {
  batches: vscode.TreeDataProvider<unknown>;
  editReview: vscode.TreeDataProvider<unknown>;
  indexLinks: vscode.DocumentLinkProvider;
  proposals: vscode.TextDocumentContentProvider;
}

/**
 * Builds the batch feature's parts (store, model, tree view, result cache) and its background
 * behaviour (polling, end notifications, reconcile on start and on key changes). Its commands are
 * registered by the composition root from this context.
 */
export function createBatchFeature(services: Services, views: BatchViews): { ctx: BatchContext; providers: BatchProviders } {
  const storageDir = path.join(services.context.globalStorageUri.fsPath, BATCH_STORAGE_DIR);
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
  const wake = wakeFlag(services);
  const findingsStore = new FindingsStore(fs, (m) => services.log.warn(m), () => void wake.findingsChanged(findingsStore));
  const findings = new FindingsPresenter(findingsStore, services.log);
  const ctx: BatchContext = { services, store, model, tree, cache, reviews, reviewTree, findings, storageDir };
  const openResults = openResultsCommand(ctx);
  const view = views.batches;
  services.context.subscriptions.push(
    tree,
    reviewTree,
    findings,
    vscode.languages.registerCodeActionsProvider('*', findings, FindingsPresenter.metadata),
    { dispose: () => model.dispose() },
    { dispose: model.onDidChange(() => void wake.recordsChanged(model)) },
    { dispose: notifyWhenEnded(model, (record) => void openResults(record)) },
    // A new key or base URL can reveal batches (or make them reachable): settle again.
    services.api.onDidChange(() => void reconcile(ctx, false)),
  );
  void reconcileWhenNeeded(ctx, view).catch((err: unknown) =>
    services.log.warn(`Batches not loaded: ${err instanceof Error ? err.message : String(err)}`));
  // Kept findings come back asynchronously: activation does not wait for the disk.
  void findings.restore();
  void wake.recordsChanged(model);
  void wake.findingsChanged(findingsStore);
  return {
    ctx,
    providers: { batches: tree, editReview: reviewTree, indexLinks: indexLinkProvider(cache), proposals: new ProposalProvider(reviews) },
  };
}

/**
 * Activation makes no request unless a batch is in flight (in progress, canceling, or a
 * submission not confirmed): only those can have ended, or been created, while VS Code was
 * closed, and they must be announced at once. Otherwise `batches.list()` (batches made
 * elsewhere) waits until the Batches view is first shown, or Refresh.
 */
async function reconcileWhenNeeded(ctx: BatchContext, view: vscode.TreeView<unknown>): Promise<void> {
  const inFlight = (await ctx.model.list()).some(isInFlight);
  if (inFlight || view.visible) return reconcile(ctx, false);
  const shown = view.onDidChangeVisibility((e) => {
    if (!e.visible) return;
    shown.dispose();
    void reconcile(ctx, false);
  });
  ctx.services.context.subscriptions.push(shown);
}

/**
 * Keeps BATCH_WAKE_KEY true exactly while some batch is in flight or some findings are kept:
 * the next activation then loads this feature at once (to announce batches that ended while
 * VS Code was closed, and to show the findings), and otherwise leaves it unloaded.
 */
function wakeFlag(services: Services) {
  let inFlight = true;
  let findingsKept = true;
  const write = async () => {
    const next = inFlight || findingsKept;
    if (services.context.globalState.get(BATCH_WAKE_KEY) !== next) await services.context.globalState.update(BATCH_WAKE_KEY, next);
  };
  const warn = (err: unknown) => services.log.warn(`Batch start flag not updated: ${err instanceof Error ? err.message : String(err)}`);
  return {
    recordsChanged: async (model: BatchesModel) => {
      try {
        inFlight = (await model.list()).some(isInFlight);
        await write();
      } catch (err) { warn(err); }
    },
    findingsChanged: async (store: FindingsStore) => {
      try {
        findingsKept = (await store.all()).length > 0;
        await write();
      } catch (err) { warn(err); }
    },
  };
}

export function batchHost(ctx: BatchContext): BatchHost {
  return { model: ctx.model, tree: ctx.tree, store: ctx.store, storageDir: ctx.storageDir, findings: ctx.findings };
}
