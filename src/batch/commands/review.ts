import * as vscode from 'vscode';
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
        { location: vscode.ProgressLocation.Notification, title: `Claude: fetching the edits of ${batchId}` },
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
  void vscode.window.showInformationMessage(
    `Claude: ${proposed} files with proposed edits in ${batchId}` +
      (unchanged ? `, ${unchanged} unchanged` : '') +
      (failed ? `, ${failed} failed (never applied; Retry Failed resends them)` : '') +
      '. Review each diff, then Accept or Reject.',
  );
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
        content: `# ${entry.relPath}: not applied\n\n**Why:** ${entry.reason ?? 'unknown'}\n\n## What came back\n\n\`\`\`\`text\n${entry.raw ?? ''}\n\`\`\`\`\n`,
      });
      return vscode.window.showTextDocument(doc, { preview: true });
    }
    const now = await fileNow(entry);
    const left = now.status === 'changed' ? `${entry.relPath} (changed since submission)` : entry.relPath;
    return vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(entry.uri), proposalUri(batchId, entry), `${left} ↔ proposed by Claude`, { preview: true });
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
      void vscode.window.showWarningMessage('Claude: applying edits needs a trusted workspace. Trust this folder first (Manage Workspace Trust).');
      return 'untrusted';
    }
    const found = await entryOf(ctx, arg);
    if (!found) return 'not-found';
    const { batchId, entry } = found;
    if (entry.state !== 'proposed') {
      void vscode.window.showWarningMessage(`Claude: ${entry.relPath} has no edits to apply (${entry.state}${entry.reason ? `: ${entry.reason}` : ''}).`);
      return 'failed';
    }
    const now = await fileNow(entry);
    if (now.status === 'deleted') {
      void vscode.window.showWarningMessage(`Claude: ${entry.relPath} was deleted after the batch was submitted; it is not recreated.`);
      return 'deleted';
    }
    if (now.status === 'unreadable' || now.status === 'outside') {
      void vscode.window.showErrorMessage(`Claude: ${entry.relPath} ${now.status === 'outside' ? 'is refused' : 'cannot be read'} (${now.why}); nothing was written.`);
      return now.status === 'outside' ? 'outside' : 'failed';
    }
    const proposed = proposedContent(entry, now.text);
    if (!proposed.ok) {
      void vscode.window.showErrorMessage(`Claude: the edits for ${entry.relPath} do not apply: ${proposed.reason}. Nothing was written.`);
      return 'failed';
    }
    if (now.status === 'changed') {
      await showEditCommand(ctx)({ batchId, customId: entry.customId });
      const apply = opts?.applyToChanged ?? (await vscode.window.showWarningMessage(
        `${entry.relPath} is in conflict: ${now.why}.`,
        { modal: true, detail: 'The diff shows Claude\'s edits applied to its current content. Apply them anyway?' },
        'Apply to Current Content',
      )) === 'Apply to Current Content';
      if (!apply) return 'conflict-declined';
    }
    if ((await writeContents([{ uri: entry.uri!, current: now.text, content: proposed.content }])) !== 1) {
      void vscode.window.showErrorMessage(`Claude: VS Code refused the edit of ${entry.relPath}; nothing was written.`);
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
      void vscode.window.showWarningMessage('Claude: applying edits needs a trusted workspace. Trust this folder first (Manage Workspace Trust).');
      return undefined;
    }
    const { batchId, meta } = current;
    if (!opts?.confirmed) {
      const ok = await vscode.window.showWarningMessage(
        `Apply every remaining proposed edit of ${batchId}?`,
        { modal: true, detail: 'Files changed since submission or deleted are skipped and keep their own Accept.' },
        'Accept All',
      );
      if (ok !== 'Accept All') return undefined;
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
        void vscode.window.showErrorMessage('Claude: VS Code refused the edits; nothing more was written.');
        break;
      }
    }
    await ctx.reviewTree.refreshDecisions();
    const left = [counts.conflicts && `${counts.conflicts} in conflict`, counts.deleted && `${counts.deleted} deleted`, counts.failed && `${counts.failed} not applicable`].filter(Boolean);
    void vscode.window.showInformationMessage(`Claude: applied the edits to ${counts.accepted} files.${left.length ? ` Left for review: ${left.join(', ')}.` : ''}`);
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
