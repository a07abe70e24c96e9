import vscode = require('vscode');
import { PROPOSAL_SCHEME } from '../batchWake';
import { fileNow, proposedContent } from './editApplier';
import type { ReviewEntry, ReviewStore } from './reviewStore';

export { PROPOSAL_SCHEME };

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
    if (!entry) return vscode.l10n.t('No proposal for {0} in {1}.', uri.path.slice(1), uri.query);
    const now = await fileNow(entry);
    if (now.status === 'deleted') return vscode.l10n.t('{0} was deleted after the batch was submitted; it will not be recreated.', entry.relPath);
    if (now.status === 'outside') return vscode.l10n.t('Refused: {0}.', now.why);
    if (now.status === 'unreadable') return vscode.l10n.t('{0} cannot be read: {1}.', entry.relPath, now.why);
    const out = proposedContent(entry, now.text);
    return out.ok ? out.content : vscode.l10n.t('Claude\'s edits do not apply to {0}: {1}.', entry.relPath, out.reason);
  }
}
