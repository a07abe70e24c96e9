import * as vscode from 'vscode';
import { fileNow, proposedContent } from './editApplier';
import type { ReviewEntry, ReviewStore } from './reviewStore';

export const PROPOSAL_SCHEME = 'claude-edit';

/** `claude-edit:/<relPath>?<batch id>#<custom_id>`: the path keeps the file's name and language. */
export function proposalUri(batchId: string, entry: ReviewEntry): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${entry.relPath}`, query: batchId, fragment: entry.customId });
}

/**
 * The right side of a review diff: the file with Claude's edits applied, computed on demand
 * from the review store and the file as it is now (read-only; nothing is written from here).
 */
export class ProposalProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: ReviewStore) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const entry = await this.store.entry(uri.query, uri.fragment);
    if (!entry) return `No proposal for ${uri.path.slice(1)} in ${uri.query}.`;
    const now = await fileNow(entry);
    if (now.status === 'deleted') return `${entry.relPath} was deleted after the batch was submitted; it will not be recreated.`;
    if (now.status === 'outside') return `Refused: ${now.why}.`;
    if (now.status === 'unreadable') return `${entry.relPath} cannot be read: ${now.why}.`;
    const out = proposedContent(entry, now.text);
    return out.ok ? out.content : `Claude's edits do not apply to ${entry.relPath}: ${out.reason}.`;
  }
}
