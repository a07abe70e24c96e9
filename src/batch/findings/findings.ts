import type { FindingSeverity } from '../requests/kinds';
import type { Finding } from '../results/structuredResults';
import { english, type Localizer } from '../../l10n';
import { fenceFor } from '../../markdownFence';

/**
 * Review findings as the Problems panel shows them, computed without `vscode`: where each one
 * sits in its file, under which source, at which severity, and the wording around them.
 */

/** A finding placed in its file: 0-based whole lines, the end at the last line's length. */
export interface PlacedFinding {
  startLine: number;
  endLine: number;
  endCharacter: number;
  severity: FindingSeverity;
  message: string;
  /** Replaces lines startLine..endLine entirely (their line breaks stay). */
  replacement?: string;
}

/** One file's findings; `uri` is the manifest entry's (what the diagnostics are keyed by). */
export interface FileFindings {
  uri: string;
  relPath: string;
  customId: string;
  findings: PlacedFinding[];
}

/** Everything a review batch found: what the findings store keeps and the Problems panel shows. */
export interface BatchFindings {
  batchId: string;
  /** The diagnostics' `source`: see `findingsSource`. */
  source: string;
  files: FileFindings[];
}

/** A result that produced no findings because it could not be used, with its raw text. */
export interface FailedReview {
  customId: string;
  relPath?: string;
  reason: string;
  raw: string;
  /** Refused rather than failed: no file, a file outside the workspace, or a refusal by the model (logged). */
  refused?: true;
}

/** Numerically equal to `vscode.DiagnosticSeverity` (Error 0, Warning 1, Information 2, Hint 3). */
export const DIAGNOSTIC_SEVERITY: Record<FindingSeverity, 0 | 1 | 2 | 3> = { error: 0, warning: 1, info: 2, hint: 3 };

const MAX_SOURCE_INSTRUCTION = 40;

/**
 * `Claude batch msgbatch_… (<instruction, shortened>)`: the Problems panel groups and filters by
 * source, so each batch's findings can be told apart (and cleared) by it.
 */
export function findingsSource(batchId: string, instruction: string, l10n: Localizer = english): string {
  const short = shorten(instruction, MAX_SOURCE_INSTRUCTION);
  return short ? l10n.t('Claude batch {0} ({1})', batchId, short) : l10n.t('Claude batch {0}', batchId);
}

/** Whitespace collapsed, cut at `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}

/** The length of each line of `text`, as an editor counts lines (\r\n, \n and \r end one). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/**
 * Places a finding at whole lines of a file with these line lengths. The model's line numbers
 * are 1-based and may run past the end (a miscounted or shorter file): they are clamped to the
 * file, so every finding lands on a real line instead of being dropped.
 */
export function placeFinding(finding: Finding, lengths: readonly number[]): PlacedFinding {
  const lineCount = Math.max(1, lengths.length);
  const clamp = (line: number) => Math.min(Math.max(line, 1), lineCount) - 1;
  const startLine = clamp(finding.startLine);
  const endLine = Math.max(startLine, clamp(finding.endLine));
  return {
    startLine,
    endLine,
    endCharacter: lengths[endLine] ?? 0,
    severity: finding.severity,
    message: finding.message,
    ...(finding.replacement !== undefined ? { replacement: finding.replacement } : {}),
  };
}

/**
 * True when `uri` is strictly inside one of the workspace folders `roots` (URI strings, as
 * `Uri.toString()` writes them). A result names its file only through the manifest, but a
 * manifest is a file on disk: a path with `..` or one outside every folder is refused.
 */
export function insideWorkspace(uri: string, roots: readonly string[]): boolean {
  for (const root of roots) {
    const base = root.replace(/\/+$/, '');
    if (!uri.startsWith(`${base}/`)) continue;
    let segments: string[];
    try {
      segments = uri.slice(base.length + 1).split(/[?#]/)[0]!.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return false; // malformed escapes: not a path we wrote
    }
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\'))) return false;
    return true;
  }
  return false;
}

export function countFindings(files: readonly FileFindings[]): number {
  return files.reduce((n, f) => n + f.findings.length, 0);
}

/** "3 findings in 2 files; 1 result failed". */
export function summaryMessage(findings: number, files: number, failed: number, l10n: Localizer = english): string {
  return l10n.t(
    '{0} in {1}; {2} failed',
    findings === 1 ? l10n.t('{0} finding', findings) : l10n.t('{0} findings', findings),
    files === 1 ? l10n.t('{0} file', files) : l10n.t('{0} files', files),
    failed === 1 ? l10n.t('{0} result', failed) : l10n.t('{0} results', failed),
  );
}

/** The "Show Failed" document: each failed file, why, and the raw text it returned. */
export function failedMarkdown(batchId: string, failed: readonly FailedReview[], l10n: Localizer = english): string {
  const parts = [
    l10n.t('# Failed review results of {0}', batchId),
    '',
    failed.length === 1 ? l10n.t('{0} result produced no findings:', failed.length) : l10n.t('{0} results produced no findings:', failed.length),
    '',
  ];
  for (const f of failed) {
    parts.push(`## ${f.relPath ?? f.customId}`, '', l10n.t('**Reason:** {0}', f.reason), '', `custom_id: \`${f.customId}\``, '');
    if (f.raw) {
      const fence = fenceFor(f.raw);
      parts.push(l10n.t('Raw text:'), '', `${fence}text`, f.raw, fence, '');
    } else {
      parts.push(l10n.t('_No text was returned._'), '');
    }
  }
  return parts.join('\n');
}
