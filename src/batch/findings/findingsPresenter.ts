import vscode = require('vscode');
import { BatchCommands, FINDINGS_COLLECTION } from '../../constants';
import type { FindingsStore } from '../store/findingsStore';
import { countFindings, DIAGNOSTIC_SEVERITY, insideWorkspace, shorten, type BatchFindings, type PlacedFinding } from './findings';

interface Shown {
  diagnostic: vscode.Diagnostic;
  finding: PlacedFinding;
  /** Index in its file's findings (what `findingApplied` names). */
  index: number;
}

interface Log {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Review findings in the Problems panel: one diagnostic collection holding every batch's
 * findings (each batch under its own `source`), the quick fixes of findings with a
 * replacement, and the store that keeps them until cleared.
 */
export class FindingsPresenter implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  private readonly collection: vscode.DiagnosticCollection;
  private readonly batches = new Map<string, BatchFindings>();
  /** Diagnostics by document URI, then by batch: a file can have findings from several batches. */
  private readonly byUri = new Map<string, Map<string, Shown[]>>();
  private restored: Promise<void> = Promise.resolve();
  private untrustedLogged = false;

  constructor(
    private readonly store: FindingsStore,
    private readonly log: Log,
    name: string = FINDINGS_COLLECTION,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
  }

  /**
   * Shows the kept findings of earlier sessions. Asynchronous and not awaited by activation:
   * the Problems panel fills in a moment later instead of delaying startup. Every change
   * waits for it, so a restore never overwrites newer findings or revives cleared ones.
   * Batches are kept in global storage, shared by every window: a window shows only the findings
   * of files in its own workspace folders (the others stay stored for their window).
   */
  restore(): Promise<void> {
    this.restored = (async () => {
      try {
        let shown = 0;
        for (const b of await this.store.all()) if (this.display(b)) shown++;
        if (shown) this.log.info(`Restored the findings of ${shown} review batch(es)`);
      } catch (err) {
        this.log.warn(`Could not restore review findings: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    return this.restored;
  }

  /** Stores a batch's findings (replacing earlier ones of that batch) and shows this workspace's. */
  async show(findings: BatchFindings): Promise<void> {
    await this.restored;
    await this.store.put(findings);
    this.display(findings);
  }

  /** Removes a batch's findings from the Problems panel and the store; false when it had none. */
  async clear(batchId: string): Promise<boolean> {
    await this.restored;
    const had = this.batches.has(batchId) || (await this.store.get(batchId)) !== undefined;
    this.undisplay(batchId);
    await this.store.remove(batchId);
    return had;
  }

  /** Batches that have findings now, newest restore or show last. */
  async list(): Promise<BatchFindings[]> {
    await this.restored;
    return [...this.batches.values()];
  }

  /** The diagnostics this collection shows for a document. */
  diagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** After a quick fix was applied: its finding is done, so it leaves the panel and the store. */
  async findingApplied(batchId: string, uri: string, index: number, message: string): Promise<void> {
    await this.restored;
    // The stored batch, which may also hold other workspaces' files.
    const batch = this.batches.has(batchId) ? ((await this.store.get(batchId)) ?? this.batches.get(batchId)) : undefined;
    const file = batch?.files.find((f) => key(f.uri) === uri);
    // A fix offered before another one was applied names a shifted index: then nothing is dropped.
    if (!batch || !file || file.findings[index]?.message !== message) return;
    const files = batch.files
      .map((f) => (f === file ? { ...f, findings: f.findings.filter((_, i) => i !== index) } : f))
      .filter((f) => f.findings.length > 0);
    if (files.length === 0) {
      await this.clear(batchId);
      return;
    }
    await this.show({ ...batch, files });
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const perBatch = this.byUri.get(document.uri.toString());
    if (!perBatch) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      for (const [batchId, shown] of perBatch) {
        const match = shown.find((s) => s.finding.replacement !== undefined && sameDiagnostic(s.diagnostic, diagnostic));
        if (!match) continue;
        // Applying changes the workspace: only where the user trusts it.
        if (!vscode.workspace.isTrusted) {
          if (!this.untrustedLogged) {
            this.log.info('Review findings: quick fixes are not offered because the workspace is not trusted (Restricted Mode)');
            this.untrustedLogged = true;
          }
          return [];
        }
        actions.push(this.fixAction(document, batchId, match, diagnostic));
      }
    }
    return actions;
  }

  dispose(): void {
    this.collection.dispose();
    this.batches.clear();
    this.byUri.clear();
  }

  private fixAction(document: vscode.TextDocument, batchId: string, shown: Shown, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(vscode.l10n.t('Apply Claude\'s fix: {0}', shorten(shown.finding.message, 60)), vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    // Whole lines of the document as it is now (it may have become shorter since the review).
    const last = document.lineCount - 1;
    const end = Math.min(shown.finding.endLine, last);
    const start = Math.min(shown.finding.startLine, end);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(start, 0, end, document.lineAt(end).text.length), shown.finding.replacement!);
    action.edit = edit;
    action.command = { command: BatchCommands.findingApplied, title: vscode.l10n.t('Finding applied'), arguments: [batchId, document.uri.toString(), shown.index, shown.finding.message] };
    return action;
  }

  /** Shows the findings of files in this window's workspace folders; false when there are none. */
  private display(stored: BatchFindings): boolean {
    this.undisplay(stored.batchId);
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
    const findings = { ...stored, files: stored.files.filter((f) => insideWorkspace(key(f.uri), roots)) };
    if (findings.files.length === 0) return false;
    this.batches.set(findings.batchId, findings);
    const touched = new Set<string>();
    for (const file of findings.files) {
      const uri = key(file.uri);
      const shown = file.findings.map((finding, index) => ({ finding, index, diagnostic: toDiagnostic(finding, findings.source) }));
      let perBatch = this.byUri.get(uri);
      if (!perBatch) this.byUri.set(uri, (perBatch = new Map()));
      perBatch.set(findings.batchId, [...(perBatch.get(findings.batchId) ?? []), ...shown]);
      touched.add(uri);
    }
    for (const uri of touched) this.refresh(uri);
    this.log.info(`Showing ${countFindings(findings.files)} findings of ${findings.batchId} in ${findings.files.length} files`);
    return true;
  }

  private undisplay(batchId: string): void {
    if (!this.batches.delete(batchId)) return;
    for (const [uri, perBatch] of this.byUri) {
      if (!perBatch.delete(batchId)) continue;
      if (perBatch.size === 0) this.byUri.delete(uri);
      this.refresh(uri);
    }
  }

  private refresh(uri: string): void {
    const perBatch = this.byUri.get(uri);
    const target = vscode.Uri.parse(uri);
    if (!perBatch) this.collection.delete(target);
    else this.collection.set(target, [...perBatch.values()].flat().map((s) => s.diagnostic));
  }
}

/** The manifest's URI in the form `Uri.toString()` gives a document's: one key per file. */
function key(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}

function toDiagnostic(finding: PlacedFinding, source: string): vscode.Diagnostic {
  const range = new vscode.Range(finding.startLine, 0, finding.endLine, finding.endCharacter);
  const diagnostic = new vscode.Diagnostic(range, finding.message, DIAGNOSTIC_SEVERITY[finding.severity] as vscode.DiagnosticSeverity);
  diagnostic.source = source;
  return diagnostic;
}

/** Diagnostics reach code action providers as copies: match by source, message and range. */
function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return a.source === b.source && a.message === b.message && a.range.isEqual(b.range);
}
