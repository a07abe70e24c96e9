import { extensionOf, linesOf } from './fileMessage';

/**
 * The deterministic answers of the two structured batch kinds, computed from the instruction and
 * the file as submitted, so tests can predict every edit and finding. README.md ("Structured batch
 * kinds") states the rules; this file is the only place that implements them.
 */

export interface FileEdit {
  old_text: string;
  new_text: string;
}

export interface EditAnswer {
  summary: string;
  edits: FileEdit[];
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Finding {
  start_line: number;
  end_line: number;
  severity: Severity;
  message: string;
  replacement?: string;
}

export interface ReviewAnswer {
  findings: Finding[];
}

export const DEFAULT_HEADER = 'Header added by Claude';
const REPLACE = /replace\s+["“'`](.+?)["”'`]\s+with\s+["“'`](.+?)["”'`]/i;
// An opening quote not glued to a word, so the apostrophe in "don't" does not start a quote.
const FIRST_QUOTED = /(?<![\w])["“'`](.+?)["”'`](?![\w])/;
const TODO_MESSAGE_MAX = 80;

// ----- edit kind -----

export function editAnswer(instruction: string, relPath: string, content: string): EditAnswer {
  const replace = REPLACE.exec(instruction);
  if (replace) return replaceEdits(relPath, content, replace[1], replace[2]);
  return headerEdit(instruction, relPath, content);
}

function replaceEdits(relPath: string, content: string, from: string, to: string): EditAnswer {
  const lines = linesOf(content);
  const hits = lines.flatMap((line, i) => (line.includes(from) ? [i] : []));
  if (hits.length === 0) {
    return { summary: `Nothing to change in ${relPath}: "${from}" does not occur.`, edits: [] };
  }
  const spans: Span[] = [];
  for (const i of hits) {
    // A line already inside an extended span is replaced by that span's edit.
    if (spans.length > 0 && i <= spans[spans.length - 1].end) continue;
    pushUniqueSpan(spans, lines, content, i);
  }
  const edits = spans.map((s) => {
    const old_text = spanText(lines, s);
    return { old_text, new_text: old_text.split(from).join(to) };
  });
  const n = hits.length;
  return { summary: `Replaced "${from}" with "${to}" on ${n} line${n === 1 ? '' : 's'} of ${relPath}.`, edits };
}

function headerEdit(instruction: string, relPath: string, content: string): EditAnswer {
  const lines = linesOf(content);
  // Whitespace-only files have no unique line prefix; the extension skips them anyway.
  if (!/\S/.test(content)) return { summary: `Nothing to change in ${relPath}: the file is empty.`, edits: [] };
  const header = FIRST_QUOTED.exec(instruction)?.[1] ?? DEFAULT_HEADER;
  const comment = commentLine(relPath, header);
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  let end = 0;
  while (end < lines.length - 1 && !isUnique(content, spanText(lines, { start: 0, end }))) end++;
  const old_text = spanText(lines, { start: 0, end });
  return {
    summary: `Added the header line ${comment} at the top of ${relPath}.`,
    edits: [{ old_text, new_text: `${comment}${eol}${old_text}` }],
  };
}

/** The header as a one-line comment in the file's language (by extension). */
export function commentLine(relPath: string, text: string): string {
  const ext = extensionOf(relPath);
  if (['py', 'sh', 'rb', 'yaml', 'yml', 'toml'].includes(ext)) return `# ${text}`;
  if (['md', 'html', 'xml'].includes(ext)) return `<!-- ${text} -->`;
  if (['sql', 'lua'].includes(ext)) return `-- ${text}`;
  return `// ${text}`;
}

interface Span {
  /** 0-based, inclusive line indices. */
  start: number;
  end: number;
}

/** Lines start..end joined by '\n', without the last line's newline, so it matches the file with or without one. */
function spanText(lines: readonly string[], span: Span): string {
  return lines.slice(span.start, span.end + 1).join('\n');
}

function isUnique(content: string, text: string): boolean {
  if (text.length === 0) return false;
  const first = content.indexOf(text);
  return first >= 0 && content.indexOf(text, first + 1) < 0;
}

/**
 * Adds the span for line `i`: grown downwards until its text is unique in the file, then upwards
 * (merging with earlier spans it reaches) if the end of the file came first. Edits therefore never
 * overlap, and applying them in any order gives the same file.
 */
function pushUniqueSpan(spans: Span[], lines: readonly string[], content: string, i: number): void {
  const span: Span = { start: i, end: i };
  while (span.end < lines.length - 1 && !isUnique(content, spanText(lines, span))) span.end++;
  while (span.start > 0 && !isUnique(content, spanText(lines, span))) {
    span.start--;
    const previous = spans[spans.length - 1];
    if (previous && span.start <= previous.end) {
      spans.pop();
      span.start = previous.start;
    }
  }
  // The whole file (minus its final newline) is unique unless it is all newlines, which has no hit.
  if (isUnique(content, spanText(lines, span))) spans.push(span);
}

// ----- review kind -----

const JS_FAMILY = ['js', 'ts', 'jsx', 'tsx', 'mjs', 'cjs', 'mts', 'cts'];
const LOOSE_EQ = /(?<![=!<>])==(?!=)/g;
const LOOSE_NE = /!=(?!=)/g;

export function reviewAnswer(relPath: string, content: string): ReviewAnswer {
  const checksEquality = JS_FAMILY.includes(extensionOf(relPath));
  const findings: Finding[] = [];
  linesOf(content).forEach((raw, i) => {
    // A CRLF file's '\r' belongs to the line ending, not to the text a replacement rewrites.
    const line = raw.replace(/\r$/, '');
    const at = { start_line: i + 1, end_line: i + 1 };
    if (line.includes('TODO')) {
      findings.push({ ...at, severity: 'warning', message: `TODO left in the code: ${clip(line.trim(), TODO_MESSAGE_MAX)}` });
    }
    if (line.includes('console.log(')) {
      findings.push({ ...at, severity: 'info', message: 'Debug logging left in the code', replacement: line.split('console.log(').join('console.debug(') });
    }
    if (checksEquality && new RegExp(LOOSE_EQ.source).test(line)) {
      findings.push({ ...at, severity: 'error', message: 'Loose equality: use ===', replacement: line.replace(LOOSE_EQ, '===').replace(LOOSE_NE, '!==') });
    }
  });
  return { findings };
}

/** At most `max` code points; a cut text ends with '…' (counted in the limit). */
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
