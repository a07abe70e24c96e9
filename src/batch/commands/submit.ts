import vscode = require('vscode');
import { showClassifiedError } from '../../api/errorUi';
import { Views } from '../../constants';
import { confirmationText, describeSkipped } from '../requests/confirmation';
import { BATCH_KINDS, isBatchKind, kindLabel, type BatchKind } from '../requests/kinds';
import { buildBatchRequests, type BuildResult } from '../requests/requestBuilder';
import { splitRequests } from '../requests/split';
import { countSubmissionTokens } from '../requests/tokenCount';
import { classify, type BatchContext } from './context';
import { collectCandidates, DEFAULT_BATCH_GLOB, readWorkspaceFile } from './files';
import { runNow } from './runNow';

/**
 * Options a caller (a test, another extension) can pass instead of answering the prompts.
 * The UI path asks for each one that is missing.
 */
export interface SubmitOptions {
  uris?: (vscode.Uri | string)[];
  glob?: string;
  instruction?: string;
  /** What the batch does; asked with a quick pick (remembered per workspace) when absent. */
  kind?: BatchKind;
  choice?: 'batch' | 'now' | 'cancel';
}

const KIND_STATE_KEY = 'claudeEvents.batch.lastKind';

/**
 * The default instruction of each kind (the user edits it in the input box). A prompt for the
 * model, like the `prompts.summarize` setting's default, not wording of the UI: left in English.
 */
function defaultInstruction(kind: BatchKind, summarize: string): string {
  if (kind === 'edit') return 'Add a header comment that says what this file is for.';
  if (kind === 'review') return 'Review this file for bugs, risky code and leftovers (TODOs, debug logging). Report each finding at its lines.';
  return summarize;
}

async function pickKind(ctx: BatchContext): Promise<BatchKind | undefined> {
  const state = ctx.services.context.workspaceState;
  const last = state.get<unknown>(KIND_STATE_KEY);
  const order: BatchKind[] = isBatchKind(last) ? [last, ...BATCH_KINDS.filter((k) => k !== last)] : [...BATCH_KINDS];
  const picked = await vscode.window.showQuickPick(
    order.map((kind) => ({ ...kindLabel(kind, vscode.l10n), value: kind })),
    { title: vscode.l10n.t('Claude: what should the batch do?'), ignoreFocusOut: true },
  );
  if (picked) await state.update(KIND_STATE_KEY, picked.value);
  return picked?.value;
}

export type SubmitResult =
  | { status: 'cancelled' | 'no-files' | 'all-skipped'; skipped?: BuildResult['skipped'] }
  | { status: 'submitted'; batchIds: string[]; requests: number; skipped: BuildResult['skipped'] }
  | { status: 'failed'; message: string; batchIds: string[] }
  | { status: 'ran'; total: number; skipped: BuildResult['skipped'] };

/**
 * `batch.submit`: from the explorer `(uri, uris)`, or from the palette (a glob), or with
 * `SubmitOptions`. Asks for the instruction, builds one request per file, confirms once (count,
 * skipped files, tokens, cost) and either submits a batch or runs the requests now.
 */
export function submitCommand(ctx: BatchContext) {
  return async (first?: vscode.Uri | SubmitOptions, all?: vscode.Uri[]): Promise<SubmitResult> => {
    const { api } = ctx.services;
    const opts: SubmitOptions = first instanceof vscode.Uri ? { uris: all && all.length > 0 ? all : [first] } : (first ?? {});
    const request = api.settings();
    const settings = ctx.services.settings();
    const uris = opts.uris?.map((u) => (typeof u === 'string' ? vscode.Uri.parse(u) : u));
    let glob = opts.glob;
    if (!uris && glob === undefined) {
      glob = await vscode.window.showInputBox({
        title: vscode.l10n.t('Claude: Submit Batch over Files'),
        prompt: vscode.l10n.t('Files to include (glob). claudeEvents.batch.exclude and files.exclude apply.'),
        value: DEFAULT_BATCH_GLOB,
        ignoreFocusOut: true,
      });
      if (glob === undefined) return { status: 'cancelled' };
    }
    // A caller that passes the instruction (a test, another extension) means a plain answer batch.
    const kind = opts.kind ?? (opts.instruction !== undefined ? 'answer' : await pickKind(ctx));
    if (!kind) return { status: 'cancelled' };
    const instruction = opts.instruction ?? (await vscode.window.showInputBox({
      title: vscode.l10n.t('Claude: {0}: instruction', kindLabel(kind, vscode.l10n).label),
      prompt: vscode.l10n.t('Sent once per file as the (cached) system prompt.'),
      value: defaultInstruction(kind, settings['prompts.summarize']),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The instruction cannot be empty.')),
    }));
    if (instruction === undefined) return { status: 'cancelled' };
    if (!instruction.trim()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude: the batch instruction is empty; nothing was submitted.'));
      return { status: 'cancelled' };
    }

    const built = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: preparing batch'), cancellable: true },
      async (progress, token) => {
        progress.report({ message: vscode.l10n.t('finding files…') });
        const candidates = await collectCandidates(uris, glob, settings['batch.exclude'], token);
        if (token.isCancellationRequested) return undefined;
        if (candidates.length === 0) return 'no-files' as const;
        progress.report({ message: vscode.l10n.t('reading {0} files…', candidates.length) });
        const result = await buildBatchRequests(candidates, (uri) => readWorkspaceFile(uri, token), {
          model: request.model,
          maxTokens: request.maxTokens,
          instruction: instruction.trim(),
          maxFileBytes: settings['batch.maxFileBytes'],
          systemPrompt: settings.systemPrompt,
          kind,
        });
        return token.isCancellationRequested ? undefined : result;
      },
    );
    if (built === undefined) return { status: 'cancelled' };
    if (built === 'no-files') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude: no files to submit (nothing matched, or everything is excluded).'));
      return { status: 'no-files' };
    }
    if (built.requests.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude: nothing to submit. {0}', describeSkipped(built.skipped, vscode.l10n)));
      return { status: 'all-skipped', skipped: built.skipped };
    }
    let chunks;
    try {
      chunks = splitRequests(built.requests, {}, vscode.l10n);
    } catch (err) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude: {0}', err instanceof Error ? err.message : String(err)));
      return { status: 'failed', message: String(err), batchIds: [] };
    }
    let choice = opts.choice;
    if (!choice) {
      const counted = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: counting tokens') },
        async () => {
          const client = await api.getClient();
          return countSubmissionTokens(built.requests, (p) => client.messages.countTokens(p), built.tokens);
        },
      );
      const text = confirmationText(built, request.model, request.maxTokens, chunks, counted, vscode.l10n);
      const submitLabel = vscode.l10n.t('Submit batch');
      const runNowLabel = vscode.l10n.t('Run now');
      const picked = await vscode.window.showInformationMessage(text.message, { modal: true, detail: text.detail }, submitLabel, runNowLabel);
      choice = picked === submitLabel ? 'batch' : picked === runNowLabel ? 'now' : 'cancel';
    }
    if (choice === 'cancel') return { status: 'cancelled' };
    if (choice === 'now') return { status: 'ran', total: (await runNow(ctx, built, instruction.trim(), kind)).total, skipped: built.skipped };

    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: submitting {0} requests', built.requests.length), cancellable: true },
      (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return ctx.model.submit({ model: request.model, instruction: instruction.trim(), requests: built.requests, manifest: built.manifest, kind }, ac.signal);
      },
    );
    const batchIds = outcome.created.map((r) => r.batchId!);
    if (outcome.failure) {
      const c = classify(ctx, outcome.failure);
      showClassifiedError({ ...c, message: vscode.l10n.t('Batch not created: {0}', c.message) }, ctx.services.log);
      return { status: 'failed', message: c.message, batchIds };
    }
    void vscode.commands.executeCommand(`${Views.batches}.focus`).then(undefined, () => undefined);
    const submitted = batchIds.length === 1
      ? vscode.l10n.t('Claude: submitted batch {0} with {1} requests.', batchIds[0]!, built.requests.length)
      : vscode.l10n.t('Claude: submitted {0} batches with {1} requests.', batchIds.length, built.requests.length);
    void vscode.window.showInformationMessage(submitted + (built.skipped.length ? ` ${describeSkipped(built.skipped, vscode.l10n)}` : ''));
    return { status: 'submitted', batchIds, requests: built.requests.length, skipped: built.skipped };
  };
}
