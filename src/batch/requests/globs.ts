/**
 * One glob for `findFiles`' exclude argument from several patterns: `{a,b,c}`. VS Code globs do
 * not nest braces, so patterns that contain braces are expanded first.
 */
export function combineGlobs(patterns: readonly string[]): string | undefined {
  const flat = [...new Set(patterns.flatMap(expandBraces).map((p) => p.trim()).filter(Boolean))];
  if (flat.length === 0) return undefined;
  return flat.length === 1 ? flat[0] : `{${flat.join(',')}}`;
}

/** `a/{b,c}/*.{ts,js}` → the four plain patterns; text without braces is returned as is. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return splitTopLevel(pattern.slice(open + 1, i)).flatMap((alt) => expandBraces(head + alt + tail));
    }
  }
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** The enabled patterns of a `files.exclude`-shaped object (`{ "**\/.git": true }`). */
export function enabledPatterns(setting: Record<string, unknown> | undefined): string[] {
  return Object.entries(setting ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}
