import vscode = require('vscode');
import { ContextKeys, Views } from '../../constants';
import { fileNow, proposedContent, writeContents } from '../review/editApplier';
import { proposalUri } from '../review/proposalProvider';
import type { ReviewEntry, ReviewMeta } from '../review/reviewStore';
import type { ReviewNode } from '../review/reviewTreeProvider';
import type { BatchRecord } from '../store/records';
import { fail, type BatchContext } from './context';

/** A review command's argument: a tree row, or ids (tests, other extensions). */
export type EditArg = ReviewNode | { batchId: string; customId: string } | undefined;

export type AcceptOutcome = 'accepted' | 'rejected' | 'conflict-declined' | 'deleted' | 'failed' | 'outside' | 'untrusted' | 'not-found';

/**
 * Opens the review of an ended edit batch: parses its results into the review store once
 * (streamed, paged on disk), then shows the Batch Edits view from its first page.
 */
export async function openEditReview(ctx: BatchContext, record: BatchRecord): Promise<ReviewMeta | undefined> {
  const batchId = record.batchId!;
  try {
    let meta = await ctx.reviews.meta(batchId);
    if (!meta) {
      meta = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: fetching the edits of {0}', batchId) },
        async () => ctx.reviews.build(batchId, await ctx.model.resultsRecordingStates(batchId), await ctx.store.manifestLookup(record)),
      );
    }
    return await showEditReview(ctx, batchId, meta);
  } catch (err) {
    fail(ctx, err, () => openEditReview(ctx, record));
    return undefined;
  }
}

/** Shows a built review (of a batch, or of a Run now) in the Batch Edits view. */
export async function showEditReview(ctx: BatchContext, batchId: string, meta: ReviewMeta): Promise<ReviewMeta> {
  await ctx.reviewTree.show(batchId);
  await vscode.commands.executeCommand('setContext', ContextKeys.reviewingEdits, true);
  void vscode.commands.executeCommand(`${Views.editReview}.focus`).then(undefined, () => undefined);
  const { proposed, unchanged, failed } = meta.counts;
  const parts = [vscode.l10n.t('{0} files with proposed edits in {1}', proposed, batchId)];
  if (unchanged) parts.push(vscode.l10n.t('{0} unchanged', unchanged));
  if (failed) parts.push(vscode.l10n.t('{0} failed (never applied; Retry Failed resends them)', failed));
  void vscode.window.showInformationMessage(vscode.l10n.t('Claude: {0}. Review each diff, then Accept or Reject.', parts.join(', ')));
  return meta;
}

async function entryOf(ctx: BatchContext, arg: EditArg): Promise<{ batchId: string; entry: ReviewEntry } | undefined> {
  if (!arg) return undefined;
  if ('kind' in arg) return arg.kind === 'entry' ? { batchId: arg.batchId, entry: arg.entry } : undefined;
  const entry = await ctx.reviews.entry(arg.batchId, arg.customId);
  return entry ? { batchId: arg.batchId, entry } : undefined;
}

/** `batch.showEdit`: the diff of the file as submitted (or as it is now) against Claude's proposal. */
export function showEditCommand(ctx: BatchContext) {
  return async (arg: EditArg) => {
    const found = await entryOf(ctx, arg);
    if (!found) return undefined;
    const { batchId, entry } = found;
    if (entry.state === 'failed' || !entry.uri) {
      const doc = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: [
          vscode.l10n.t('# {0}: not applied', entry.relPath),
          '',
          vscode.l10n.t('**Why:** {0}', entry.reason ?? vscode.l10n.t('unknown')),
          '',
          vscode.l10n.t('## What came back'),
          '',
          `\`\`\`\`text\n${entry.raw ?? ''}\n\`\`\`\`\n`,
        ].join('\n'),
      });
      return vscode.window.showTextDocument(doc, { preview: true });
    }
    const now = await fileNow(entry);
    const title = now.status === 'changed'
      ? vscode.l10n.t('{0} (changed since submission) ↔ proposed by Claude', entry.relPath)
      : vscode.l10n.t('{0} ↔ proposed by Claude', entry.relPath);
    return vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(entry.uri), proposalUri(batchId, entry), title, { preview: true });
  };
}

/**
 * `batch.acceptEdit`: writes the proposal as a WorkspaceEdit (undoable) and saves it. A file
 * changed since submission is a conflict: its diff against the current content is shown first,
 * and it is written only on an explicit choice. A deleted file is never recreated.
 */
export function acceptEditCommand(ctx: BatchContext) {
  return async (arg: EditArg, opts?: { applyToChanged?: boolean }): Promise<AcceptOutcome> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude: applying edits needs a trusted workspace. Trust this folder first (Manage Workspace Trust).'));
      return 'untrusted';
    }
    const found = await entryOf(ctx, arg);
    if (!found) return 'not-found';
    const { batchId, entry } = found;
    if (entry.state !== 'proposed') {
      void vscode.window.showWarningMessage(
        entry.reason
          ? vscode.l10n.t('Claude: {0} has no edits to apply ({1}: {2}).', entry.relPath, entry.state, entry.reason)
          : vscode.l10n.t('Claude: {0} has no edits to apply ({1}).', entry.relPath, entry.state),
      );
      return 'failed';
    }
    const now = await fileNow(entry);
    if (now.status === 'deleted') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude: {0} was deleted after the batch was submitted; it is not recreated.', entry.relPath));
      return 'deleted';
    }
    if (now.status === 'unreadable' || now.status === 'outside') {
      void vscode.window.showErrorMessage(
        now.status === 'outside'
          ? vscode.l10n.t('Claude: {0} is refused ({1}); nothing was written.', entry.relPath, now.why)
          : vscode.l10n.t('Claude: {0} cannot be read ({1}); nothing was written.', entry.relPath, now.why),
      );
      return now.status === 'outside' ? 'outside' : 'failed';
    }
    const proposed = proposedContent(entry, now.text);
    if (!proposed.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude: the edits for {0} do not apply: {1}. Nothing was written.', entry.relPath, proposed.reason));
      return 'failed';
    }
    if (now.status === 'changed') {
      await showEditCommand(ctx)({ batchId, customId: entry.customId });
      const applyLabel = vscode.l10n.t('Apply to Current Content');
      const apply = opts?.applyToChanged ?? (await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is in conflict: {1}.', entry.relPath, now.why),
        { modal: true, detail: vscode.l10n.t('The diff shows Claude\'s edits applied to its current content. Apply them anyway?') },
        applyLabel,
      )) === applyLabel;
      if (!apply) return 'conflict-declined';
    }
    if ((await writeContents([{ uri: entry.uri!, current: now.text, content: proposed.content }])) !== 1) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude: VS Code refused the edit of {0}; nothing was written.', entry.relPath));
      return 'failed';
    }
    await ctx.reviews.decide(batchId, { [entry.customId]: 'accepted' });
    await ctx.reviewTree.refreshDecisions();
    return 'accepted';
  };
}

/** `batch.rejectEdit`: the file stays exactly as it is. */
export function rejectEditCommand(ctx: BatchContext) {
  return async (arg: EditArg): Promise<AcceptOutcome> => {
    const found = await entryOf(ctx, arg);
    if (!found) return 'not-found';
    await ctx.reviews.decide(found.batchId, { [found.entry.customId]: 'rejected' });
    await ctx.reviewTree.refreshDecisions();
    return 'rejected';
  };
}

/**
 * `batch.acceptAllEdits`: every undecided proposal whose file is as submitted, a page at a time,
 * one WorkspaceEdit per page. Conflicts, deleted files and edits that do not apply are left for
 * a decision per file, and counted.
 */
export function acceptAllEditsCommand(ctx: BatchContext) {
  return async (opts?: { confirmed?: boolean }) => {
    const current = ctx.reviewTree.current;
    if (!current) return undefined;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude: applying edits needs a trusted workspace. Trust this folder first (Manage Workspace Trust).'));
      return undefined;
    }
    const { batchId, meta } = current;
    if (!opts?.confirmed) {
      const acceptAllLabel = vscode.l10n.t('Accept All');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Apply every remaining proposed edit of {0}?', batchId),
        { modal: true, detail: vscode.l10n.t('Files changed since submission or deleted are skipped and keep their own Accept.') },
        acceptAllLabel,
      );
      if (ok !== acceptAllLabel) return undefined;
    }
    const decisions = await ctx.reviews.decisions(batchId);
    const counts = { accepted: 0, conflicts: 0, deleted: 0, failed: 0 };
    for (let page = 0; page < meta.pages; page++) {
      const entries = (await ctx.reviews.page(batchId, page)).filter((e) => e.state === 'proposed' && !decisions[e.customId]);
      // Checked together: each check reads and hashes one file.
      const nows = await Promise.all(entries.map((entry) => fileNow(entry)));
      const writes: { uri: string; current: string; content: string; customId: string }[] = [];
      entries.forEach((entry, i) => {
        const now = nows[i]!;
        if (now.status === 'deleted') counts.deleted++;
        else if (now.status !== 'same') counts.conflicts++;
        else {
          const proposed = proposedContent(entry, now.text);
          if (proposed.ok) writes.push({ uri: entry.uri!, current: now.text, content: proposed.content, customId: entry.customId });
          else counts.failed++;
        }
      });
      const written = writes.slice(0, await writeContents(writes));
      await ctx.reviews.decide(batchId, Object.fromEntries(written.map((w) => [w.customId, 'accepted' as const])));
      counts.accepted += written.length;
      if (written.length < writes.length) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Claude: VS Code refused the edits; nothing more was written.'));
        break;
      }
    }
    await ctx.reviewTree.refreshDecisions();
    const left: string[] = [];
    if (counts.conflicts) left.push(vscode.l10n.t('{0} in conflict', counts.conflicts));
    if (counts.deleted) left.push(vscode.l10n.t('{0} deleted', counts.deleted));
    if (counts.failed) left.push(vscode.l10n.t('{0} not applicable', counts.failed));
    void vscode.window.showInformationMessage(
      left.length
        ? vscode.l10n.t('Claude: applied the edits to {0} files. Left for review: {1}.', counts.accepted, left.join(', '))
        : vscode.l10n.t('Claude: applied the edits to {0} files.', counts.accepted),
    );
    return counts;
  };
}

/** `batch.closeReview`. */
export function closeReviewCommand(ctx: BatchContext) {
  return async () => {
    ctx.reviewTree.clear();
    await vscode.commands.executeCommand('setContext', ContextKeys.reviewingEdits, false);
  };
}

export function reviewLoadMoreCommand(ctx: BatchContext) {
  return () => ctx.reviewTree.loadMore();
}
