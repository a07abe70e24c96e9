import * as path from 'node:path';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import * as vscode from 'vscode';
import { classifyError } from '../api/errors';
import { showClassifiedError } from '../api/errorUi';
import { BatchCommands, CONFIG_SECTION, Views } from '../constants';
import type { Services } from '../services';
import { BatchesModel } from './batchesModel';
import { createBatchCore } from './batchCore';
import type { BatchNode } from './batchTreeProvider';
import { BatchTreeProvider } from './batchTreeProvider';
import { nodeFsPort } from './nodeFs';
import { buildBatchRequests } from './requestBuilder';
import type { BatchRequestParams, BuildResult, CandidateFile, ManifestEntry } from './requestBuilder';
import { mapResult } from './results';
import type { MappedResult } from './results';
import { newRunId, ResultCacheStore } from './resultCache';
import { openResultDocument, presentInEditor, presentInFolder, registerIndexLinks, resultsRoot } from './resultsPresenter';
import { buildRetrySubmission } from './retry';
import { splitRequests } from './split';
import type { BatchStore, BatchRecord } from './store';
import { combineGlobs, confirmationText, describeSkipped, enabledPatterns, endedMessage } from './submitPlan';
import { inCompletionOrder, mapPool } from './pool';

export const DEFAULT_BATCH_GLOB = '**/*.{ts,js,md,py}';
const SUBMIT_LABEL = 'Submit batch';
const RUN_NOW_LABEL = 'Run now';
const OPEN_RESULTS_LABEL = 'Open Results';

/**
 * Options a caller (a test, another extension) can pass instead of answering the prompts.
 * The UI path asks for each one that is missing.
 */
export interface SubmitOptions {
  uris?: (vscode.Uri | string)[];
  glob?: string;
  instruction?: string;
  choice?: 'batch' | 'now' | 'cancel';
}

export type SubmitResult =
  | { status: 'cancelled' | 'no-files' | 'all-skipped'; skipped?: BuildResult['skipped'] }
  | { status: 'submitted'; batchIds: string[]; requests: number; skipped: BuildResult['skipped'] }
  | { status: 'failed'; message: string; batchIds: string[] }
  | { status: 'ran'; total: number; skipped: BuildResult['skipped'] };

/** What the batch feature exposes to the composition root and to tests. */
export interface BatchHost {
  model: BatchesModel;
  tree: BatchTreeProvider;
  store: BatchStore;
  storageDir: string;
}

type RecordArg = BatchNode | BatchRecord | string | undefined;

/** Builds the batch feature: store, model, tree view, commands and polling. */
export function registerBatches(s: Services): BatchHost {
  const storageDir = path.join(s.context.globalStorageUri.fsPath, 'batches');
  const fs = nodeFsPort(storageDir);
  const cache = new ResultCacheStore(fs);
  const config = () => vscode.workspace.getConfiguration(CONFIG_SECTION);
  const { store, model } = createBatchCore(fs, {
    store: { onWarning: (m) => s.log.warn(m) },
    getClient: () => s.api.getClient(),
    pollSeconds: () => config().get<number>('batch.pollIntervalSeconds') ?? 30,
    log: s.log,
  });
  const tree = new BatchTreeProvider(model);
  const view = vscode.window.createTreeView(Views.batches, { treeDataProvider: tree, showCollapseAll: true });
  const host: BatchHost = { model, tree, store, storageDir };
  const classify = (err: unknown) => classifyError(err, { baseUrl: s.api.baseUrl().url, model: s.api.settings().model, secrets: s.api.knownSecrets() });
  const fail = (err: unknown, retry?: () => unknown) => showClassifiedError(classify(err), s.log, retry);

  const reconcile = async (interactive: boolean) => {
    try {
      await model.reconcile();
    } catch (err) {
      const c = classify(err);
      if (interactive) fail(err);
      else s.log.info(`Batches not reconciled yet: ${c.message}`);
    }
  };

  const resolveRecord = async (arg: RecordArg, filter?: (r: BatchRecord) => boolean): Promise<BatchRecord | undefined> => {
    if (typeof arg === 'string') return model.get(arg);
    if (arg && 'kind' in arg) return (await model.get(arg.record.batchId ?? '')) ?? arg.record;
    if (arg && 'localId' in arg) return arg;
    const candidates = (await model.list()).filter((r) => r.batchId && (!filter || filter(r)));
    const picked = await vscode.window.showQuickPick(
      candidates.map((r) => ({ label: r.batchId!, description: `${r.lastKnown?.processing_status ?? ''} · ${r.requestCount} requests`, record: r })),
      { title: 'Claude: choose a batch' },
    );
    return picked?.record;
  };

  const presentResults = async (
    id: string,
    source: AsyncIterable<MessageBatchIndividualResponse>,
    manifest: ReadonlyMap<string, ManifestEntry>,
    location: 'editor' | 'folder',
    modelName?: string,
    onResult?: (count: number, mapped: MappedResult) => void,
  ) => {
    if (location === 'folder') {
      const root = resultsRoot(config().get<string>('batch.resultsFolder') ?? '.claude-batches');
      const { counts } = await presentInFolder(root, id, source, manifest, modelName ? { model: modelName } : {});
      return { location, written: counts.written, unchanged: counts.unchanged };
    }
    const out = await presentInEditor(id, source, manifest, { cache, ...(modelName ? { model: modelName } : {}), ...(onResult ? { onResult } : {}) });
    return { location, total: out.total, opened: out.opened.length };
  };

  const openResults = async (arg: RecordArg, forced?: 'editor' | 'folder') => {
    const record = await resolveRecord(arg, (r) => r.lastKnown?.processing_status === 'ended');
    if (!record?.batchId) return undefined;
    if (record.lastKnown?.processing_status !== 'ended') {
      void vscode.window.showInformationMessage(`Batch ${record.batchId} has not ended yet; results are available once it has.`);
      return undefined;
    }
    const location = forced ?? (config().get<'editor' | 'folder'>('batch.resultsLocation') ?? 'editor');
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Claude: fetching results of ${record.batchId}` },
        async (progress) => {
          const manifest = await store.manifestLookup(record);
          const total = record.requestCount > 0 ? record.requestCount : 0;
          let shown = 0;
          const counted = countResults(await model.resultsRecordingStates(record.batchId!), (n) => {
            // At most ~100 updates, whatever the batch size.
            if (total && n - shown < total / 100 && n !== total) return;
            progress.report({ message: total ? `${n}/${total}` : `${n}`, ...(total ? { increment: ((n - shown) / total) * 100 } : {}) });
            shown = n;
          });
          const out = await presentResults(record.batchId!, counted, manifest, location, record.model || undefined);
          tree.refresh();
          return out;
        },
      );
    } catch (err) {
      fail(err, () => openResults(record, forced));
      return undefined;
    }
  };

  const openResult = async (arg?: BatchNode | { batchId: string; customId: string }) => {
    let record: BatchRecord | undefined;
    let customId: string | undefined;
    if (arg && 'kind' in arg) {
      record = arg.record;
      if (arg.kind === 'request') customId = arg.customId;
    } else if (arg && 'batchId' in arg) {
      // "Run now" results (and cached batch results) open from the cache, with no record.
      const cached = await cache.get(arg.batchId, arg.customId).catch(() => undefined);
      if (cached) return openResultDocument(arg.batchId, cached);
      record = await model.get(arg.batchId);
      customId = arg.customId;
      if (!record) {
        void vscode.window.showWarningMessage(`The result ${arg.customId} of ${arg.batchId} is no longer available.`);
        return undefined;
      }
    } else {
      record = await resolveRecord(undefined, (r) => r.lastKnown?.processing_status === 'ended');
    }
    if (!record?.batchId) return undefined;
    if (!customId) {
      const page = await model.requestPage(record, 0, Number.MAX_SAFE_INTEGER);
      const picked = await vscode.window.showQuickPick(
        page.rows.map((r) => ({ label: r.relPath ?? r.customId, description: r.state ?? '', id: r.customId })),
        { title: `Claude: open a result of ${record.batchId}`, matchOnDescription: true },
      );
      if (!picked) return undefined;
      customId = picked.id;
    }
    try {
      const cached = await cache.get(record.batchId, customId);
      if (cached) return await openResultDocument(record.batchId, cached);
      const manifest = await store.manifestLookup(record);
      const wanted = customId;
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Claude: fetching the result of ${manifest.get(wanted)?.relPath ?? wanted}` },
        async () => {
          for await (const line of await model.results(record!.batchId!)) {
            if (line.custom_id === wanted) return mapResult(line, manifest.get(wanted));
          }
          return undefined;
        },
      );
      if (found) {
        await cache.put(record.batchId, found);
        return await openResultDocument(record.batchId, found);
      }
      void vscode.window.showWarningMessage(`No result for ${customId} in batch ${record.batchId}.`);
    } catch (err) {
      fail(err);
    }
    return undefined;
  };

  const submit = async (first?: vscode.Uri | SubmitOptions, all?: vscode.Uri[]): Promise<SubmitResult> => {
    const opts: SubmitOptions = first instanceof vscode.Uri ? { uris: all && all.length > 0 ? all : [first] } : (first ?? {});
    const settings = s.api.settings();
    let uris = opts.uris?.map((u) => (typeof u === 'string' ? vscode.Uri.parse(u) : u));
    let glob = opts.glob;
    if (!uris && glob === undefined) {
      glob = await vscode.window.showInputBox({
        title: 'Claude: Submit Batch over Files',
        prompt: 'Files to include (glob). claudeEvents.batch.exclude and files.exclude apply.',
        value: DEFAULT_BATCH_GLOB,
        ignoreFocusOut: true,
      });
      if (glob === undefined) return { status: 'cancelled' };
    }
    const instruction = opts.instruction ?? (await vscode.window.showInputBox({
      title: 'Claude: batch instruction',
      prompt: 'Sent once per file as the (cached) system prompt.',
      value: config().get<string>('prompts.summarize') ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'The instruction cannot be empty.'),
    }));
    if (instruction === undefined || !instruction.trim()) return { status: 'cancelled' };

    const built = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Claude: preparing batch', cancellable: true },
      async (progress, token) => {
        progress.report({ message: 'finding files…' });
        const candidates = await collectCandidates(uris, glob, token);
        if (token.isCancellationRequested) return undefined;
        if (candidates.length === 0) return 'no-files' as const;
        progress.report({ message: `reading ${candidates.length} files…` });
        const result = await buildBatchRequests(candidates, (uri) => readWorkspaceFile(uri, token), {
          model: settings.model,
          maxTokens: settings.maxTokens,
          instruction: instruction.trim(),
          maxFileBytes: config().get<number>('batch.maxFileBytes') ?? 200_000,
          systemPrompt: config().get<string>('systemPrompt') ?? '',
        });
        return token.isCancellationRequested ? undefined : result;
      },
    );
    if (built === undefined) return { status: 'cancelled' };
    if (built === 'no-files') {
      void vscode.window.showInformationMessage('Claude: no files to submit (nothing matched, or everything is excluded).');
      return { status: 'no-files' };
    }
    if (built.requests.length === 0) {
      void vscode.window.showWarningMessage(`Claude: nothing to submit. ${describeSkipped(built.skipped)}`);
      return { status: 'all-skipped', skipped: built.skipped };
    }
    let chunks;
    try {
      chunks = splitRequests(built.requests);
    } catch (err) {
      void vscode.window.showErrorMessage(`Claude: ${err instanceof Error ? err.message : String(err)}`);
      return { status: 'failed', message: String(err), batchIds: [] };
    }
    let choice = opts.choice;
    if (!choice) {
      const text = confirmationText(built, settings.model, settings.maxTokens, chunks);
      const picked = await vscode.window.showInformationMessage(text.message, { modal: true, detail: text.detail }, SUBMIT_LABEL, RUN_NOW_LABEL);
      choice = picked === SUBMIT_LABEL ? 'batch' : picked === RUN_NOW_LABEL ? 'now' : 'cancel';
    }
    if (choice === 'cancel') return { status: 'cancelled' };
    if (choice === 'now') return runNow(built, instruction.trim());

    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Claude: submitting ${built.requests.length} requests`, cancellable: true },
      (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return model.submit({ model: settings.model, instruction: instruction.trim(), requests: built.requests, manifest: built.manifest }, ac.signal);
      },
    );
    const batchIds = outcome.created.map((r) => r.batchId!);
    if (outcome.failure) {
      const c = classify(outcome.failure);
      showClassifiedError({ ...c, message: `Batch not created: ${c.message}` }, s.log);
      return { status: 'failed', message: c.message, batchIds };
    }
    void vscode.commands.executeCommand(`${Views.batches}.focus`).then(undefined, () => undefined);
    void vscode.window.showInformationMessage(
      `Claude: submitted ${batchIds.length === 1 ? `batch ${batchIds[0]}` : `${batchIds.length} batches`} with ${built.requests.length} requests.` +
        (built.skipped.length ? ` ${describeSkipped(built.skipped)}` : ''),
    );
    return { status: 'submitted', batchIds, requests: built.requests.length, skipped: built.skipped };
  };

  /**
   * "Run now": one streamed-at-full-price request per file through the job queue; each result
   * is shown as its job finishes (documents open as they arrive, the index at the end).
   */
  const runNow = async (built: BuildResult, instruction: string): Promise<SubmitResult> => {
    const runId = newRunId();
    const client = await s.api.getClient();
    const manifest = new Map(built.manifest.map((m) => [m.customId, m]));
    const location = config().get<'editor' | 'folder'>('batch.resultsLocation') ?? 'editor';
    await cache.pruneRuns().catch((err: unknown) => s.log.warn(`Could not prune old run results: ${String(err)}`));
    let total = 0;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Claude: running ${built.requests.length} requests now`, cancellable: true },
      async (progress, token) => {
        const jobs = built.requests.map((req) =>
          s.queue.enqueue(`Batch file ${manifest.get(req.custom_id)?.relPath ?? req.custom_id}`, async ({ signal }) => {
            const stream = client.messages.stream(req.params as Parameters<typeof client.messages.stream>[0], { signal });
            return stream.finalMessage();
          }),
        );
        token.onCancellationRequested(() => jobs.forEach((j) => j.cancel()));
        const lines = jobs.map(async (job, i): Promise<MessageBatchIndividualResponse> => {
          const req = built.requests[i] as BatchRequestParams;
          try {
            const message: Message = await job.promise;
            return { custom_id: req.custom_id, result: { type: 'succeeded', message } };
          } catch (err) {
            if (token.isCancellationRequested) return { custom_id: req.custom_id, result: { type: 'canceled' } };
            const c = classify(err);
            const type = (err as { error?: { error?: { type?: string } } })?.error?.error?.type ?? c.kind;
            return { custom_id: req.custom_id, result: { type: 'errored', error: { type: 'error', error: { type, message: c.message } } as never } };
          }
        });
        const finished = countResults(inCompletionOrder(lines), (n, line) => {
          total = n;
          const file = manifest.get(line.custom_id)?.relPath ?? line.custom_id;
          progress.report({ message: `${n}/${jobs.length} · ${file}${line.result.type === 'succeeded' ? '' : ` (${line.result.type})`}`, increment: 100 / jobs.length });
        });
        await presentResults(runId, finished, manifest, location, s.api.settings().model);
      },
    );
    s.log.info(`Ran ${total} requests now as ${runId} (${instruction.slice(0, 40)}…)`);
    return { status: 'ran', total, skipped: built.skipped };
  };

  const collectCandidates = async (
    uris: vscode.Uri[] | undefined,
    glob: string | undefined,
    token: vscode.CancellationToken,
  ): Promise<CandidateFile[]> => {
    const exclude = combineGlobs([
      ...(config().get<string[]>('batch.exclude') ?? []),
      ...enabledPatterns(vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude')),
    ]);
    const found = new Map<string, vscode.Uri>();
    if (uris) {
      for (const uri of uris) {
        let stat: vscode.FileStat | undefined;
        try {
          stat = await vscode.workspace.fs.stat(uri);
        } catch {
          stat = undefined;
        }
        if (stat && stat.type & vscode.FileType.Directory) {
          for (const f of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), exclude, undefined, token)) found.set(f.toString(), f);
        } else {
          // An explicitly chosen file is taken as is; a vanished one is skipped with its reason.
          found.set(uri.toString(), uri);
        }
      }
    } else {
      for (const f of await vscode.workspace.findFiles(glob || DEFAULT_BATCH_GLOB, exclude, undefined, token)) found.set(f.toString(), f);
    }
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const list = [...found.values()];
    const sized = await mapPool(list, 32, async (uri) => {
      let size = 0;
      try {
        size = (await vscode.workspace.fs.stat(uri)).size;
      } catch {
        // Reading it will report why.
      }
      return { uri: uri.toString(), relPath: vscode.workspace.asRelativePath(uri, multiRoot), size };
    });
    return sized.sort((a, b) => a.relPath.localeCompare(b.relPath));
  };

  const cancel = async (arg: RecordArg) => {
    const record = await resolveRecord(arg, (r) => r.lastKnown?.processing_status === 'in_progress');
    if (!record?.batchId) return false;
    if (record.lastKnown?.processing_status !== 'in_progress') {
      void vscode.window.showInformationMessage(`Batch ${record.batchId} is ${record.lastKnown?.processing_status ?? 'not created'}; only a batch in progress can be canceled.`);
      return false;
    }
    try {
      await model.cancel(record.batchId);
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  };

  const remove = async (arg: RecordArg, opts?: { confirmed?: boolean }) => {
    const record = await resolveRecord(arg, (r) => r.lastKnown?.processing_status === 'ended');
    if (!record?.batchId) return false;
    if (record.lastKnown?.processing_status !== 'ended') {
      void vscode.window.showInformationMessage(`Batch ${record.batchId} is still ${record.lastKnown?.processing_status}; cancel it first, then delete it once it has ended.`);
      return false;
    }
    if (!opts?.confirmed) {
      const ok = await vscode.window.showWarningMessage(
        `Delete batch ${record.batchId}?`,
        { modal: true, detail: 'Its results are deleted from the API and it leaves this list. Results already saved stay.' },
        'Delete',
      );
      if (ok !== 'Delete') return false;
    }
    try {
      await model.delete(record.batchId);
      await cache.remove(record.batchId).catch(() => undefined);
      return true;
    } catch (err) {
      const c = classify(err);
      if (c.kind === 'notFound') {
        await model.forget(record.batchId);
        await cache.remove(record.batchId).catch(() => undefined);
        return true;
      }
      fail(err);
      return false;
    }
  };

  const retryFailed = async (arg: RecordArg): Promise<SubmitResult | undefined> => {
    const record = await resolveRecord(arg, (r) => BatchesModel.hasRetryable(r));
    if (!record?.batchId) return undefined;
    try {
      const ids = await model.retryIds(record);
      if (ids.length === 0) {
        void vscode.window.showInformationMessage(`Batch ${record.batchId} has nothing to retry.`);
        return undefined;
      }
      const settings = s.api.settings();
      const plan = await buildRetrySubmission(store, record, ids, {
        readFile: (uri) => readWorkspaceFile(uri),
        options: {
          model: record.model || settings.model,
          maxTokens: settings.maxTokens,
          instruction: record.instruction || (config().get<string>('prompts.summarize') ?? ''),
          maxFileBytes: config().get<number>('batch.maxFileBytes') ?? 200_000,
        },
      });
      if (plan.requests.length === 0) {
        void vscode.window.showWarningMessage(
          record.origin === 'external'
            ? `Batch ${record.batchId} was created elsewhere: its requests are unknown here, so it cannot be retried.`
            : `Nothing to retry in ${record.batchId}: ${plan.missing.length} requests could not be rebuilt.`,
        );
        return undefined;
      }
      const outcome = await model.submit({
        model: record.model || settings.model,
        instruction: record.instruction,
        requests: plan.requests,
        manifest: plan.manifest,
        parentBatchId: record.batchId,
      });
      const batchIds = outcome.created.map((r) => r.batchId!);
      if (outcome.failure) {
        const c = classify(outcome.failure);
        showClassifiedError({ ...c, message: `Retry batch not created: ${c.message}` }, s.log);
        return { status: 'failed', message: c.message, batchIds };
      }
      void vscode.window.showInformationMessage(`Claude: retrying ${plan.requests.length} requests of ${record.batchId} in ${batchIds.join(', ')}.`);
      return { status: 'submitted', batchIds, requests: plan.requests.length, skipped: plan.skipped };
    } catch (err) {
      fail(err);
      return undefined;
    }
  };

  const register = (id: string, handler: (...args: any[]) => unknown) =>
    s.context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  register(BatchCommands.submit, submit);
  register(BatchCommands.refresh, () => vscode.window.withProgress({ location: { viewId: Views.batches } }, () => reconcile(true)));
  register(BatchCommands.cancel, cancel);
  register(BatchCommands.delete, remove);
  register(BatchCommands.openResults, (arg: RecordArg) => openResults(arg));
  register(BatchCommands.saveResults, (arg: RecordArg) => openResults(arg, 'folder'));
  register(BatchCommands.openResult, openResult);
  register(BatchCommands.retryFailed, retryFailed);
  register(BatchCommands.copyId, async (arg: RecordArg) => {
    const record = await resolveRecord(arg);
    if (!record?.batchId) return undefined;
    await vscode.env.clipboard.writeText(record.batchId);
    void vscode.window.setStatusBarMessage(`Copied ${record.batchId}`, 3000);
    return record.batchId;
  });
  register('claudeEvents.internal.batchLoadMore', (node: BatchNode) => tree.loadMore(node));

  s.context.subscriptions.push(
    view,
    tree,
    registerIndexLinks(),
    { dispose: () => model.dispose() },
    { dispose: notifyWhenEnded(model, (record) => void openResults(record)) },
    // A new key or base URL can reveal batches (or make them reachable): settle again.
    s.api.onDidChange(() => void reconcile(false)),
  );
  reconcileWhenNeeded(model, view, () => reconcile(false), s.context.subscriptions)
    .catch((err: unknown) => s.log.warn(`Batches not loaded: ${err instanceof Error ? err.message : String(err)}`));
  return host;
}

/**
 * Activation makes no request unless a batch is in flight (in progress, canceling, or a
 * submission not confirmed): only those can have ended, or been created, while VS Code was
 * closed, and they must be announced at once. Otherwise `batches.list()` (batches made
 * elsewhere) waits until the Batches view is first shown, or Refresh.
 */
async function reconcileWhenNeeded(
  model: BatchesModel,
  view: vscode.TreeView<unknown>,
  reconcile: () => Promise<void>,
  subscriptions: vscode.Disposable[],
): Promise<void> {
  const inFlight = (await model.list()).some((r) =>
    r.state === 'pending-create' || r.lastKnown?.processing_status === 'in_progress' || r.lastKnown?.processing_status === 'canceling');
  if (inFlight || view.visible) return reconcile();
  const shown = view.onDidChangeVisibility((e) => {
    if (!e.visible) return;
    shown.dispose();
    void reconcile();
  });
  subscriptions.push(shown);
}

export type ShowMessage = (message: string, ...items: string[]) => Thenable<string | undefined>;

/**
 * One notification per batch that ends, with Open Results: seen by polling, or at startup for a
 * batch that ended while VS Code was closed (the record said in progress, the API says ended).
 */
export function notifyWhenEnded(
  model: BatchesModel,
  openResults: (record: BatchRecord) => void,
  show: ShowMessage = (message, ...items) => vscode.window.showInformationMessage(message, ...items),
): () => void {
  return model.onDidEnd((record, info) => {
    const counts = record.lastKnown!.request_counts;
    void Promise.resolve(show(endedMessage(record.batchId!, counts, info.whileClosed), OPEN_RESULTS_LABEL)).then((pick) => {
      if (pick === OPEN_RESULTS_LABEL) openResults(record);
    });
  });
}

async function readWorkspaceFile(uri: string, token?: vscode.CancellationToken): Promise<Uint8Array> {
  if (token?.isCancellationRequested) throw new Error('Cancelled');
  return vscode.workspace.fs.readFile(vscode.Uri.parse(uri));
}

/** Passes `source` through, calling `onEach` with the running count after each item. */
async function* countResults<T>(source: AsyncIterable<T>, onEach: (count: number, item: T) => void): AsyncGenerator<T> {
  let n = 0;
  for await (const item of source) {
    yield item;
    onEach(++n, item);
  }
}
