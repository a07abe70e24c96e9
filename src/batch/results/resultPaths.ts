const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;
const MAX_SEGMENT_BYTES = 200;
const MAX_REL_LENGTH = 1000;
const MAX_DEPTH = 64;
/** Results whose path cannot be used go here, named by custom_id; no relPath can reach it. */
export const FALLBACK_DIR = '_by-id';
export const INDEX_FILE = 'index.md';

/**
 * The result file for `relPath`, relative to the batch's folder: `<relPath>.md`, normalised.
 * Never leaves the batch folder whatever `relPath` holds: `..`, absolute paths, drive letters,
 * UNC paths, NUL and control characters, Windows-reserved names and characters, or names that
 * Windows would trim into `..`. Unusable paths fall back to `_by-id/<custom_id>.md`.
 */
export function safeRelativeResultPath(relPath: string | undefined, customId: string): string {
  const fallback = (): string => `${FALLBACK_DIR}/${safeFileStem(customId)}.md`;
  if (!relPath || relPath.length > MAX_REL_LENGTH) return fallback();
  const unified = relPath.replace(/\\/g, '/');
  // Absolute, drive-relative (C:foo), UNC and URI-like paths are not workspace-relative.
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(unified)) {
    return fallback();
  }
  const raw = unified.split('/').filter((s) => s !== '' && s !== '.');
  if (raw.length === 0 || raw.length > MAX_DEPTH || raw.includes('..')) return fallback();
  const segments = raw.map(safeSegment);
  if (segments[0] === FALLBACK_DIR) segments[0] = `_${FALLBACK_DIR}`;
  const path = `${segments.join('/')}.md`;
  // `index` at the top would overwrite the index.
  return path.toLowerCase() === INDEX_FILE ? `_${path}` : path;
}

/**
 * `<resultsRoot>/<batchId>/<safe relative path>`; see `safeRelativeResultPath`. The batch id is
 * sanitised too (it comes from the API, and external batches are not ours).
 */
export function safeResultPath(
  resultsRoot: string,
  batchId: string,
  relPath: string | undefined,
  customId = 'result',
): string {
  const root = resultsRoot.replace(/[\\/]+$/, '');
  return `${root}/${safeBatchDir(batchId)}/${safeRelativeResultPath(relPath, customId)}`;
}

/** The batch's folder name under the results root. */
export function safeBatchDir(batchId: string): string {
  return safeFileStem(batchId) || 'batch';
}

function safeFileStem(id: string): string {
  const stem = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return stem || 'result';
}

/**
 * Segments that the rules of safeSegment leave as they are, but for the reserved names: no
 * character to replace, no trailing dot or space, not `.` or `..`, ASCII within the byte limit.
 * Nearly every path is made of them, and the rules cost a few regex passes per segment.
 */
const PLAIN_SEGMENT = new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_SEGMENT_BYTES}}$`);

function safeSegment(segment: string): string {
  if (PLAIN_SEGMENT.test(segment) && !segment.endsWith('.')) return WINDOWS_RESERVED.test(segment) ? `_${segment}` : segment;
  let s = segment.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_');
  // Windows drops trailing dots and spaces: ". ." would become "..".
  s = s.replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return truncateUtf8(s, MAX_SEGMENT_BYTES);
}

function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}
