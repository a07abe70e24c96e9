import * as fs from 'node:fs';
import * as path from 'node:path';
import vscode = require('vscode');
import { Views } from '../constants';
import type { Services } from '../services';
import { BATCH_STORAGE_DIR, BATCH_WAKE_KEY, INDEX_TITLE, PROPOSAL_SCHEME, startsAtActivation } from './batchWake';
import type { BatchContext } from './commands/context';
import type * as BatchModule from './index';

type Module = typeof BatchModule;
type Loaded = { m: Module; ctx: BatchContext; providers: BatchModule.BatchProviders };
/** The module's command factories, by export name: `(ctx, ...extra) => handler`. */
type FactoryName = { [K in keyof Module]: K extends `${string}Command` ? K : never }[keyof Module];
type Extra<F> = F extends (ctx: BatchContext, ...extra: infer R) => unknown ? R : never;

/**
 * The part of the batch feature in the activation bundle: its views, the proposal scheme and
 * the index links as stand-ins, and its commands as stubs. The feature itself (dist/batch.js,
 * half the extension's code) is required on the first command, when a batch view or a
 * proposal is shown, or when a batch is in flight or findings are kept (see batchWake.ts).
 * `require` is synchronous, so a stub behaves exactly as the command it loads.
 */
export class BatchLoader {
  private loaded?: Loaded;
  private readonly batchesTree = new StandInTree(() => this.load().providers.batches);
  private readonly reviewTree = new StandInTree(() => this.load().providers.editReview);
  readonly batchesView: vscode.TreeView<unknown>;
  readonly reviewView: vscode.TreeView<unknown>;

  constructor(private readonly services: Services) {
    this.batchesView = vscode.window.createTreeView(Views.batches, { treeDataProvider: this.batchesTree, showCollapseAll: true });
    this.reviewView = vscode.window.createTreeView(Views.editReview, { treeDataProvider: this.reviewTree });
    services.context.subscriptions.push(
      this.batchesView,
      this.reviewView,
      this.batchesTree,
      this.reviewTree,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
        provideTextDocumentContent: (uri, token) => this.load().providers.proposals.provideTextDocumentContent(uri, token),
      }),
      vscode.languages.registerDocumentLinkProvider({ scheme: 'untitled' }, {
        // Every untitled document asks for links: only a results index loads the feature.
        provideDocumentLinks: (doc, token) =>
          doc.lineCount > 0 && doc.lineAt(0).text.startsWith(INDEX_TITLE) ? this.load().providers.indexLinks.provideDocumentLinks(doc, token) : [],
      }),
    );
    const storage = path.join(services.context.globalStorageUri.fsPath, BATCH_STORAGE_DIR);
    if (startsAtActivation(services.context.globalState.get(BATCH_WAKE_KEY), () => fs.existsSync(storage))) this.load();
  }

  /**
   * The handler of the module's command factory `name` (built with `extra` after the context):
   * loads the feature when first run, and builds the real handler once.
   */
  command<K extends FactoryName>(name: K, ...extra: Extra<Module[K]>): (...args: unknown[]) => unknown {
    let handler: ((...args: unknown[]) => unknown) | undefined;
    return (...args: unknown[]) => {
      if (!handler) {
        const { m, ctx } = this.load();
        handler = (m[name] as (ctx: BatchContext, ...extra: unknown[]) => (...args: unknown[]) => unknown)(ctx, ...extra);
      }
      return handler(...args);
    };
  }

  /** What tests observe (through the extension's API); loads the feature. */
  host(): BatchModule.BatchHost {
    const { m, ctx } = this.load();
    return m.batchHost(ctx);
  }

  private load(): Loaded {
    if (!this.loaded) {
      const started = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require('./index') as Module;
      const { ctx, providers } = m.createBatchFeature(this.services, { batches: this.batchesView, editReview: this.reviewView });
      this.loaded = { m, ctx, providers };
      this.batchesTree.attach(providers.batches);
      this.reviewTree.attach(providers.editReview);
      this.services.log.info(`Batch feature loaded in ${Math.round(performance.now() - started)} ms`);
    }
    return this.loaded;
  }
}

/**
 * A tree provider that stands in for one not loaded yet: the first getChildren (the view is
 * shown) loads it; from then on it only forwards.
 */
class StandInTree implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private target?: vscode.TreeDataProvider<unknown>;
  private forward?: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly resolve: () => vscode.TreeDataProvider<unknown>) {}

  attach(target: vscode.TreeDataProvider<unknown>): void {
    if (this.target) return;
    this.target = target;
    // No refresh here: a view asks for children only through getChildren, which loads first.
    this.forward = target.onDidChangeTreeData?.((e) => this.changed.fire(e));
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
    return (this.target ?? this.resolve()).getChildren(element);
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.target!.getTreeItem(element);
  }

  dispose(): void {
    this.forward?.dispose();
    this.changed.dispose();
  }
}
