import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { english, type Localizer } from '../../l10n';
import { FINDING_SEVERITIES, type FindingSeverity } from '../requests/kinds';

/**
 * Reading edit and review results. Structured outputs make a complete answer parse; what can
 * still go wrong is said per result (`reason`), and such a result is never applied:
 * an errored/expired/canceled request, an answer cut off by `max_tokens`, a refusal, or text that
 * does not match the schema.
 */

export interface FileEdit {
  oldText: string;
  newText: string;
}

export interface Finding {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  severity: FindingSeverity;
  message: string;
  replacement?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; raw: string };

/** The answer's text (all text blocks) and why it cannot be used, if it cannot. */
function answerText(line: MessageBatchIndividualResponse, l10n: Localizer): { text: string; problem?: string } {
  const r = line.result;
  if (r.type !== 'succeeded') {
    if (r.type === 'errored') {
      const e = (r.error as { error?: { type?: string; message?: string } } | undefined)?.error;
      return { text: '', problem: l10n.t('errored: {0}: {1}', e?.type ?? 'error', e?.message ?? l10n.t('no message')) };
    }
    // Widened: a result type newer than the SDK's is named as it came.
    const type: string = r.type;
    const problem = type === 'expired'
      ? l10n.t('expired before it was processed')
      : type === 'canceled' ? l10n.t('canceled before it was processed') : l10n.t('{0} before it was processed', type);
    return { text: '', problem };
  }
  const text = r.message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
  if (r.message.stop_reason === 'max_tokens') return { text, problem: l10n.t('cut off by max_tokens (raise claudeEvents.maxTokens and retry)') };
  if (r.message.stop_reason === 'refusal') return { text, problem: l10n.t('refused by the model') };
  return { text };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An edit result: its summary and exact replacements. */
export function parseEditResult(line: MessageBatchIndividualResponse, l10n: Localizer = english): Parsed<{ summary: string; edits: FileEdit[] }> {
  const { text, problem } = answerText(line, l10n);
  if (problem) return { ok: false, reason: problem, raw: text };
  const json = parseJson(text);
  if (!isRecord(json) || !Array.isArray(json.edits)) return { ok: false, reason: l10n.t('the answer is not edits in the expected schema'), raw: text };
  const edits: FileEdit[] = [];
  for (const e of json.edits) {
    if (!isRecord(e) || typeof e.old_text !== 'string' || typeof e.new_text !== 'string') {
      return { ok: false, reason: l10n.t('an edit lacks old_text or new_text'), raw: text };
    }
    edits.push({ oldText: e.old_text, newText: e.new_text });
  }
  return { ok: true, value: { summary: typeof json.summary === 'string' ? json.summary : '', edits } };
}

/** A review result: its findings, with line ranges checked for sanity (not against the file). */
export function parseReviewResult(line: MessageBatchIndividualResponse, l10n: Localizer = english): Parsed<Finding[]> {
  const { text, problem } = answerText(line, l10n);
  if (problem) return { ok: false, reason: problem, raw: text };
  const json = parseJson(text);
  if (!isRecord(json) || !Array.isArray(json.findings)) return { ok: false, reason: l10n.t('the answer is not findings in the expected schema'), raw: text };
  const out: Finding[] = [];
  for (const f of json.findings) {
    if (!isRecord(f)) continue;
    const start = f.start_line;
    const end = f.end_line;
    if (typeof start !== 'number' || !Number.isInteger(start) || start < 1 || typeof f.message !== 'string') continue;
    const endLine = typeof end === 'number' && Number.isInteger(end) && end >= start ? end : start;
    const severity = (FINDING_SEVERITIES as readonly string[]).includes(f.severity as string) ? (f.severity as FindingSeverity) : 'warning';
    out.push({ startLine: start, endLine, severity, message: f.message, ...(typeof f.replacement === 'string' ? { replacement: f.replacement } : {}) });
  }
  return { ok: true, value: out };
}

export type ApplyOutcome = { ok: true; content: string } | { ok: false; reason: string };

/**
 * `content` with every edit applied. Each `oldText` must occur exactly once in `content` and the
 * edits must not overlap; otherwise nothing is applied and the reason names the edit. Edits
 * are located first and applied back to front, so one edit's new text can never be matched by
 * another.
 */
export function applyEdits(content: string, edits: readonly FileEdit[], l10n: Localizer = english): ApplyOutcome {
  const located: { start: number; end: number; newText: string }[] = [];
  for (const [i, e] of edits.entries()) {
    if (e.oldText === '') return { ok: false, reason: l10n.t('edit {0} has an empty old_text', i + 1) };
    const at = content.indexOf(e.oldText);
    if (at === -1) return { ok: false, reason: l10n.t('edit {0}: its old_text is not in the file ({1})', i + 1, preview(e.oldText)) };
    if (content.indexOf(e.oldText, at + 1) !== -1) return { ok: false, reason: l10n.t('edit {0}: its old_text occurs more than once ({1})', i + 1, preview(e.oldText)) };
    located.push({ start: at, end: at + e.oldText.length, newText: e.newText });
  }
  located.sort((a, b) => a.start - b.start);
  for (let i = 1; i < located.length; i++) {
    if (located[i]!.start < located[i - 1]!.end) return { ok: false, reason: l10n.t('two edits overlap') };
  }
  let out = content;
  for (const l of located.reverse()) out = out.slice(0, l.start) + l.newText + out.slice(l.end);
  return { ok: true, content: out };
}

function preview(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > 40 ? `${one.slice(0, 40)}…` : one);
}
