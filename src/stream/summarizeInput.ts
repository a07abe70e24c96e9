// What Summarize accepts: text, not too large, not empty. Pure: the host reads the bytes.

/** Largest file or selection Summarize sends (≈100k tokens); larger input is refused, not cut. */
export const SUMMARIZE_MAX_BYTES = 400_000;

export type SummarizeCheck =
  | { ok: true; text: string }
  | { ok: false; reason: 'empty' | 'binary' | 'tooLarge'; message: string };

/** Checks a file's bytes (explorer) before anything is requested. */
export function checkFileBytes(name: string, bytes: Uint8Array, maxBytes = SUMMARIZE_MAX_BYTES): SummarizeCheck {
  if (bytes.length > maxBytes) return tooLarge(name, bytes.length, maxBytes);
  // A NUL byte or invalid UTF-8 means a binary file: the model would get noise.
  if (bytes.subarray(0, 8192).includes(0)) return binary(name);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return binary(name);
  }
  return checkText(name, text, false, maxBytes);
}

/** Checks the text of an editor (whole document or selection). */
export function checkText(name: string, text: string, isSelection: boolean, maxBytes = SUMMARIZE_MAX_BYTES): SummarizeCheck {
  if (!text.trim()) {
    return { ok: false, reason: 'empty', message: isSelection ? 'The selection is empty: nothing to summarize.' : `${name} is empty: nothing to summarize.` };
  }
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) return tooLarge(name, size, maxBytes);
  if (text.includes('\0')) return binary(name);
  return { ok: true, text };
}

function tooLarge(name: string, size: number, max: number): SummarizeCheck {
  return { ok: false, reason: 'tooLarge', message: tooLargeMessage(name, size, max) };
}

export function tooLargeMessage(name: string, size: number, max = SUMMARIZE_MAX_BYTES): string {
  return `${name} is too large to summarize (${kb(size)}; the limit is ${kb(max)}). Select a part of it instead.`;
}

function binary(name: string): SummarizeCheck {
  return { ok: false, reason: 'binary', message: `${name} looks like a binary file: only text can be summarized.` };
}

const kb = (n: number): string => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;
