/**
 * Reads back the user turn the extension builds for one file (`fileMessage` in
 * src/batch/requestBuilder.ts): `File: <relPath>\n\n<fence><lang>\n<content>\n<fence>\n`, where the
 * fence is a backtick run longer than any inside the content, so the LAST fence is the closing one.
 * Kept separate from src/ so the server never depends on extension code.
 */
export interface FileInMessage {
  relPath: string;
  /** The language hint after the opening fence ('' when none). */
  lang: string;
  /**
   * The content exactly as sent: always newline-terminated, because fileMessage appends a newline
   * when the file lacks one (so "a" and "a\n" read back the same).
   */
  content: string;
}

const HEADER = /^File: ([^\n]*)\n\n(`{3,})([^`\n]*)\n/;

export function parseFileMessage(text: string): FileInMessage | undefined {
  const header = HEADER.exec(text);
  if (!header) return undefined;
  const fence = header[2];
  const closing = `${fence}\n`;
  // The content ends with its own newline, then comes the closing fence line.
  if (!text.endsWith(closing) || text.length - closing.length < header[0].length) return undefined;
  const content = text.slice(header[0].length, text.length - closing.length);
  if (content.length > 0 && !content.endsWith('\n')) return undefined;
  return { relPath: header[1], lang: header[3], content };
}

/** The file's lines without the final newline's empty tail: "a\nb\n" → ["a", "b"]; "\n" → [""]. */
export function linesOf(content: string): string[] {
  const body = content.endsWith('\n') ? content.slice(0, -1) : content;
  return body.split('\n');
}

/** Lower-cased extension of a path ('' when none). */
export function extensionOf(relPath: string): string {
  const m = /\.([A-Za-z0-9+#-]{1,12})$/.exec(relPath);
  return m ? m[1].toLowerCase() : '';
}
