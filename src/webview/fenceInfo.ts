// What a code fence's info string says: the language, and the file the block is for. Pure (no DOM).

/** Language and file named by a fence's info string (`ts`, `ts src/a.ts`, `ts title="src/a.ts"`). */
export function parseInfo(info: string): { language?: string; fileHint?: string } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  const language = words[0] && /^[\w#+.-]{1,40}$/.test(words[0]) ? words[0] : undefined;
  for (const word of words.slice(1)) {
    const path = word.replace(/^(?:title|file|filename|path)=/, '').replace(/^["']|["']$/g, '');
    if (/^[\w./@+-]{1,200}$/.test(path) && /[./]/.test(path) && !path.includes('..')) return { language, fileHint: path };
  }
  return { language };
}
