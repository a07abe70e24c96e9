/**
 * What a batch does with each file, and the structured output each kind asks for.
 *
 * Edit and review results come back through structured outputs (`output_config.format` with a
 * JSON schema): the API constrains decoding to the schema, so every complete result parses.
 * Only a result cut off by `max_tokens` (or a refusal) can fail, and those are shown as failed,
 * never applied. Structured outputs rather than a forced tool call because forced `tool_choice`
 * cannot be combined with extended thinking, and the answer stays an ordinary text block.
 *
 * Edits are exact replacements (`old_text` → `new_text`), not the file's whole new content: the
 * output then grows with the change, not with the file, so a one-line fix to a 200 KB file costs
 * a few dozen output tokens instead of ~57,000 and cannot be cut off by `max_tokens`. Each
 * `old_text` must occur exactly once in the file as submitted, so applying is deterministic and
 * a result that does not match is refused rather than guessed at.
 */

import { english, type Localizer } from '../../l10n';

export type BatchKind = 'answer' | 'edit' | 'review';

export const BATCH_KINDS: readonly BatchKind[] = ['answer', 'edit', 'review'];

/** What Submit's quick pick says of each kind. */
export function kindLabel(kind: BatchKind, l10n: Localizer = english): { label: string; detail: string } {
  switch (kind) {
    case 'answer':
      return { label: l10n.t('Answer per file'), detail: l10n.t('One markdown answer per file, opened as documents or written to a folder.') };
    case 'edit':
      return { label: l10n.t('Edit files'), detail: l10n.t('Claude proposes exact edits per file; you review each diff and accept or reject it.') };
    case 'review':
      return { label: l10n.t('Review files'), detail: l10n.t('Claude reports findings per file; they appear in the Problems panel, with quick fixes.') };
  }
}

export const EDIT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'edits'],
  properties: {
    summary: { type: 'string', description: 'One sentence: what changed in this file, or why nothing did.' },
    edits: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['old_text', 'new_text'],
        properties: {
          old_text: { type: 'string', description: 'Exact text of the file to replace; must occur exactly once.' },
          new_text: { type: 'string', description: 'The replacement text.' },
        },
      },
    },
  },
} as const;

export const FINDING_SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const REVIEW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['start_line', 'end_line', 'severity', 'message'],
        properties: {
          start_line: { type: 'integer', description: 'First line of the finding, 1-based.' },
          end_line: { type: 'integer', description: 'Last line of the finding, 1-based, inclusive.' },
          severity: { type: 'string', enum: [...FINDING_SEVERITIES] },
          message: { type: 'string' },
          replacement: { type: 'string', description: 'Optional: text replacing lines start_line..end_line entirely (no trailing newline).' },
        },
      },
    },
  },
} as const;

/** Added to the cached system text so the model knows what the schema's fields mean. */
const GUIDANCE: Record<BatchKind, string> = {
  answer: '',
  edit:
    'You are editing the file in the user message. Return the edits that carry out the instruction as exact ' +
    'replacements: each old_text must be copied exactly from the file (whitespace included) and occur exactly once in it; ' +
    'include enough surrounding lines to make it unique. Return no edits if the file needs no change.',
  review:
    'You are reviewing the file in the user message. Report each finding with its 1-based line range, a severity and a ' +
    'short message. Give a replacement only when you are sure of the fix: it replaces the whole lines of the range.',
};

export function kindGuidance(kind: BatchKind): string {
  return GUIDANCE[kind];
}

/** The `output_config` of a request of this kind (none for plain answers). */
export function outputConfigFor(kind: BatchKind): { format: { type: 'json_schema'; schema: Record<string, unknown> } } | undefined {
  if (kind === 'edit') return { format: { type: 'json_schema', schema: EDIT_SCHEMA as unknown as Record<string, unknown> } };
  if (kind === 'review') return { format: { type: 'json_schema', schema: REVIEW_SCHEMA as unknown as Record<string, unknown> } };
  return undefined;
}

export function isBatchKind(value: unknown): value is BatchKind {
  return typeof value === 'string' && (BATCH_KINDS as readonly string[]).includes(value);
}
