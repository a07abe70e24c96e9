// The local server's default answers: plausible and tied to the request, and deterministic (the
// same prompt always gets the same text, so tests can expect it exactly). Three shapes:
// - a file to summarize (Summarize's "File x:" / "Selection from x:" block, or a batch request's
//   "File: path" message): its real name, line count and top-level symbols;
// - a request for code: a fenced block in the language it names, plus a short explanation;
// - any other question: an answer built from the question's own words.
import { SeededRandom, hashString } from './rng';

/** A file (or selection) quoted in the prompt in one of the extension's formats. */
export interface QuotedFile {
  name: string;
  /** The fence's info string, else the file's extension. */
  lang: string;
  lines: string[];
  isSelection: boolean;
  /** Batch requests quote the file alone: the instruction is in the system prompt. */
  isBatch: boolean;
  /** The prompt without the quoted block (the question or the instruction). */
  rest: string;
}

export interface SymbolInfo {
  name: string;
  kind: string;
  line: number;
  exported: boolean;
  /** A one-line doc comment right above it. */
  doc?: string;
}

const HEADER = /^(?:(File|Selection from) (.+):|File: (.+))$/;

/** Finds the first quoted file: a header line, a blank line, then a fenced block. */
export function quotedFile(prompt: string): QuotedFile | undefined {
  const all = prompt.split('\n');
  for (let i = 0; i + 2 < all.length; i++) {
    const h = HEADER.exec(all[i]);
    if (!h || all[i + 1] !== '') continue;
    const open = /^(`{3,})(.*)$/.exec(all[i + 2]);
    if (!open) continue;
    const close = all.findIndex((l, j) => j > i + 2 && l === open[1]);
    if (close < 0) continue;
    let lines = all.slice(i + 3, close);
    // Summarize quotes the text as is: a final newline leaves an empty last line.
    if (lines.length && lines[lines.length - 1] === '') lines = lines.slice(0, -1);
    const name = (h[2] ?? h[3]).trim();
    const ext = /\.([A-Za-z0-9+#-]{1,12})$/.exec(name)?.[1]?.toLowerCase() ?? '';
    const rest = [...all.slice(0, i), ...all.slice(close + 1)].join('\n').trim();
    return { name, lang: open[2].trim().toLowerCase() || ext, lines, isSelection: h[1] === 'Selection from', isBatch: !!h[3], rest };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Languages

interface Lang {
  id: string;
  label: string;
  fence: string;
}

const LANGS: { re: RegExp; lang: Lang }[] = [
  { re: /\b(typescript|ts|tsx)\b/, lang: { id: 'ts', label: 'TypeScript', fence: 'ts' } },
  { re: /\b(javascript|js|jsx|mjs|cjs|node\.?js)\b/, lang: { id: 'js', label: 'JavaScript', fence: 'js' } },
  { re: /\b(python|py)\b/, lang: { id: 'python', label: 'Python', fence: 'python' } },
  { re: /\b(golang|go)\b/, lang: { id: 'go', label: 'Go', fence: 'go' } },
  { re: /\b(rust|rs)\b/, lang: { id: 'rust', label: 'Rust', fence: 'rust' } },
  { re: /\b(bash|shell|sh|zsh)\b/, lang: { id: 'bash', label: 'Bash', fence: 'bash' } },
];
const PROSE: Record<string, string> = {
  md: 'Markdown', markdown: 'Markdown', txt: 'plain-text', plaintext: 'plain-text', json: 'JSON', yaml: 'YAML', yml: 'YAML',
  html: 'HTML', css: 'CSS', java: 'Java', cs: 'C#', csharp: 'C#', cpp: 'C++', c: 'C', rb: 'Ruby', ruby: 'Ruby', php: 'PHP',
  kt: 'Kotlin', swift: 'Swift', sql: 'SQL',
};

function langOf(tag: string): Lang | undefined {
  return LANGS.find((l) => l.re.test(tag))?.lang;
}

function labelOf(tag: string): string {
  return langOf(tag)?.label ?? PROSE[tag] ?? (tag ? tag.toUpperCase() : 'plain-text');
}

// ---------------------------------------------------------------------------------------------
// Symbols

const TS_DECL = /^(export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(function\*?|class|interface|type|enum|const|let|var|namespace)\s+([A-Za-z_$][\w$]*)/;
const PY_DECL = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)|^([A-Z][A-Z0-9_]*)\s*=/;
const GO_DECL = /^(func)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)|^(type)\s+([A-Za-z_]\w*)/;
const RS_DECL = /^(pub(?:\([^)]*\))?\s+)?(fn|struct|enum|trait|mod|const|static|type)\s+([A-Za-z_]\w*)/;
const SH_DECL = /^(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{/;

const KIND: Record<string, string> = { 'function*': 'generator', const: 'constant', let: 'variable', var: 'variable', def: 'function', fn: 'function', func: 'function', mod: 'module', static: 'static' };

/** Top-level declarations (unindented lines), or a Markdown document's headings. */
export function topLevelSymbols(file: Pick<QuotedFile, 'lang' | 'lines'>): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  const lang = langOf(file.lang)?.id ?? file.lang;
  file.lines.forEach((line, i) => {
    let name: string | undefined;
    let kind = '';
    let exported = false;
    if (lang === 'ts' || lang === 'js') {
      const m = TS_DECL.exec(line);
      if (m) [name, kind, exported] = [m[3], m[2], !!m[1]];
    } else if (lang === 'python') {
      const m = PY_DECL.exec(line);
      if (m) [name, kind, exported] = m[2] ? [m[2], m[1], !m[2].startsWith('_')] : [m[3], 'const', true];
    } else if (lang === 'go') {
      const m = GO_DECL.exec(line);
      if (m) [name, kind] = m[2] ? [m[2], 'func'] : [m[4], 'type'];
      exported = !!name && /^[A-Z]/.test(name);
    } else if (lang === 'rust') {
      const m = RS_DECL.exec(line);
      if (m) [name, kind, exported] = [m[3], m[2], !!m[1]];
    } else if (lang === 'bash') {
      const m = SH_DECL.exec(line);
      if (m) [name, kind] = [m[1], 'function'];
    } else if (lang === 'md' || lang === 'markdown') {
      const m = /^(#{1,2})\s+(.+?)\s*#*$/.exec(line);
      if (m) [name, kind] = [m[2], m[1].length === 1 ? 'title' : 'section'];
    }
    if (!name) return;
    out.push({ name, kind: KIND[kind] ?? kind, line: i + 1, exported, ...docAbove(file.lines, i) });
  });
  return out;
}

function docAbove(lines: string[], i: number): { doc?: string } {
  const prev = lines[i - 1]?.trim() ?? '';
  const m = /^\/\*\*\s*(.+?)\s*\*\/$/.exec(prev) ?? /^(?:\/\/\/?|#)\s+(.+)$/.exec(prev);
  return m ? { doc: m[1] } : {};
}

function importsOf(file: Pick<QuotedFile, 'lang' | 'lines'>): string[] {
  const found = new Set<string>();
  for (const l of file.lines) {
    const m = /^import\s.*?from\s+['"]([^'"]+)['"]/.exec(l) ?? /^import\s+['"]([^'"]+)['"]/.exec(l)
      ?? /^from\s+(\S+)\s+import\s/.exec(l) ?? /^import\s+([\w.]+)\s*$/.exec(l) ?? /^use\s+([\w:]+)/.exec(l);
    if (m) found.add(m[1]);
  }
  return [...found];
}

// ---------------------------------------------------------------------------------------------
// Summaries

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const clip = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s);

/** The summary of a quoted file: its name, its line count and its top-level symbols. */
export function summaryAnswer(file: QuotedFile): string {
  const label = labelOf(file.lang);
  const lines = file.lines.length;
  const nonBlank = file.lines.filter((l) => l.trim()).length;
  const symbols = topLevelSymbols(file);
  const imports = importsOf(file);
  const what = file.isSelection ? `The selection from ${file.name}` : file.name;
  const isDoc = label === 'Markdown';
  const parts: string[] = [`# Summary of ${file.isSelection ? `a selection from ${file.name}` : file.name}`];

  let intro = `**${what}** is ${label === 'plain-text' ? 'a plain-text file' : `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label} ${isDoc ? 'document' : 'file'}`}` +
    ` of ${plural(lines, 'line')} (${nonBlank} not blank).`;
  if (file.isSelection) intro = `${what} is ${plural(lines, 'line')} of ${label} (${nonBlank} not blank).`;
  if (symbols.length) {
    const names = symbols.slice(0, 6).map((s) => code(s.name));
    intro += isDoc
      ? ` Its top-level ${symbols.length === 1 ? 'heading is' : 'headings are'} ${list(names)}.`
      : ` Its top-level ${symbols.length === 1 ? 'symbol is' : `symbols are`} ${list(names)}${symbols.length > 6 ? `, and ${symbols.length - 6} more` : ''}.`;
  } else if (lines) {
    intro += ` It declares no top-level symbols; it begins with “${clip(file.lines.find((l) => l.trim())?.trim() ?? '', 60)}”.`;
  }
  parts.push(intro);

  if (symbols.length && !isDoc) {
    parts.push('## Top-level symbols');
    parts.push(['| Symbol | Kind | Line |', '|---|---|---:|',
      ...symbols.slice(0, 12).map((s) => `| ${code(s.name)} | ${s.kind}${s.exported ? ', exported' : ''} | ${s.line} |`)].join('\n'));
  } else if (symbols.length) {
    parts.push('## Outline');
    parts.push(symbols.slice(0, 12).map((s) => `${s.kind === 'title' ? '-' : '  -'} ${s.name} (line ${s.line})`).join('\n'));
  }

  const notes: string[] = [];
  for (const s of symbols.filter((x) => x.doc).slice(0, 2)) notes.push(`The comment above ${code(s.name)} says: “${clip(s.doc!, 90)}”`);
  if (imports.length) notes.push(`It depends on ${list(imports.slice(0, 4).map(code))}.`);
  const exported = symbols.filter((s) => s.exported);
  if (!isDoc && symbols.length) notes.push(exported.length ? `${plural(exported.length, 'symbol')} ${exported.length === 1 ? 'is' : 'are'} exported: this is its public surface.` : 'Nothing is exported: it is used on its own, not imported.');
  const nonAscii = file.lines.filter((l) => /[^\x00-\x7f]/.test(l)).length;
  if (nonAscii) {
    const sample = clip(file.lines.find((l) => /[^\x00-\x7f]/.test(l))!.replace(/[`*_#>|[\]]/g, '').trim(), 40);
    notes.push(`${plural(nonAscii, 'line')} of ${lines} ${nonAscii === 1 ? 'contains' : 'contain'} non-ASCII text (for example “${sample}”).`);
  }
  const todo = file.lines.findIndex((l) => /\b(TODO|FIXME|XXX)\b/.test(l));
  if (todo >= 0) notes.push(`There is an open ${/FIXME/.test(file.lines[todo]) ? 'FIXME' : 'TODO'} on line ${todo + 1}.`);
  if (!notes.length) notes.push(lines ? 'Nothing in it is surprising.' : 'It is empty.');
  parts.push('## Worth knowing');
  parts.push(notes.map((n) => `- ${n}`).join('\n'));

  const size = lines < 50 ? 'small' : lines < 300 ? 'medium-sized' : 'large';
  parts.push(`In short: a ${size} ${label} ${file.isSelection ? 'selection' : isDoc ? 'document' : 'file'} of ${plural(lines, 'line')}` +
    `${symbols.length && !isDoc ? ` with ${plural(symbols.length, 'top-level symbol')}` : ''}.`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Code

const CODE_ASK = /\b(write|code|function|snippet|example|implement|implementation|script|program|sample|show me how)\b/i;

/** The language a question asks code in, or undefined when it does not ask for code. */
export function codeRequest(question: string, contextLang?: string): Lang | undefined {
  const q = question.toLowerCase();
  if (!CODE_ASK.test(q)) return undefined;
  return langOf(q.replace(/[`'"]/g, ' ')) ?? (contextLang ? langOf(contextLang) : undefined) ?? LANGS[0].lang;
}

type Task = 'reverse' | 'sort' | 'sum' | 'count' | 'other';

const STOP = new Set(('a an the that which who to for of in on with and or but it its is are be this these those me my your ' +
  'please can could would should will how what why when where write code function snippet example implement implementation ' +
  'script program sample show some small short simple using use into from by as at do does typescript javascript python rust ' +
  'golang go bash shell sh zsh ts js py rs node about explain describe tell give make create returns return takes long ' +
  'does did done there here they them than then also just very much many more most').split(' '));

/** The words that carry a question's meaning, in order, without repeats. */
export function keywords(text: string, max = 4): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) {
    if (w.length < 3 || STOP.has(w) || /^\d+$/.test(w) || seen.has(w)) continue;
    seen.add(w);
    out.push(w);
    if (out.length === max) break;
  }
  return out;
}

function identifier(words: string[], style: 'camel' | 'snake'): string {
  const ascii = words.map((w) => w.normalize('NFKD').replace(/[^a-z0-9]/g, '')).filter(Boolean).slice(0, 3);
  const parts = ascii.length ? ascii : ['process', 'input'];
  const id = style === 'snake' ? parts.join('_') : parts[0] + parts.slice(1).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  return /^[0-9]/.test(id) ? `f${id}` : id;
}

function taskOf(q: string): Task {
  if (/\brevers/i.test(q)) return 'reverse';
  if (/\bsort/i.test(q)) return 'sort';
  if (/\b(sum|total|add up)/i.test(q)) return 'sum';
  if (/\bcount/i.test(q)) return 'count';
  return 'other';
}

const TEMPLATES: Record<string, Record<Task, (f: string) => string>> = {
  ts: {
    reverse: (f) => `export function ${f}(text: string): string {\n  // Array.from splits by code point, so emoji and accents survive.\n  return Array.from(text).reverse().join('');\n}\n\nconsole.log(${f}('héllo 🚀')); // "🚀 olléh"`,
    sort: (f) => `export function ${f}<T>(items: readonly T[], key: (item: T) => string | number): T[] {\n  // A copy: the caller's array is left alone.\n  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));\n}\n\nconsole.log(${f}([{ n: 3 }, { n: 1 }], (x) => x.n)); // [{ n: 1 }, { n: 3 }]`,
    sum: (f) => `export function ${f}(values: readonly number[]): number {\n  return values.reduce((total, v) => total + v, 0);\n}\n\nconsole.log(${f}([1, 2, 3.5])); // 6.5`,
    count: (f) => `export function ${f}(text: string): Map<string, number> {\n  const counts = new Map<string, number>();\n  for (const word of text.toLowerCase().match(/[\\p{L}\\p{N}']+/gu) ?? []) {\n    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts;\n}\n\nconsole.log(${f}('the cat and the hat')); // Map { 'the' => 2, ... }`,
    other: (f) => `export interface Result {\n  ok: boolean;\n  value: string;\n}\n\nexport function ${f}(input: string): Result {\n  const value = input.trim();\n  if (!value) return { ok: false, value };\n  return { ok: true, value: value.replace(/\\s+/g, ' ') };\n}\n\nconsole.log(${f}('  some   input ')); // { ok: true, value: 'some input' }`,
  },
  js: {
    reverse: (f) => `function ${f}(text) {\n  // Array.from splits by code point, so emoji and accents survive.\n  return Array.from(text).reverse().join('');\n}\n\nconsole.log(${f}('héllo 🚀')); // "🚀 olléh"`,
    sort: (f) => `function ${f}(items, key) {\n  // A copy: the caller's array is left alone.\n  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));\n}\n\nconsole.log(${f}([{ n: 3 }, { n: 1 }], (x) => x.n));`,
    sum: (f) => `function ${f}(values) {\n  return values.reduce((total, v) => total + v, 0);\n}\n\nconsole.log(${f}([1, 2, 3.5])); // 6.5`,
    count: (f) => `function ${f}(text) {\n  const counts = new Map();\n  for (const word of text.toLowerCase().match(/[\\p{L}\\p{N}']+/gu) ?? []) {\n    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts;\n}\n\nconsole.log(${f}('the cat and the hat'));`,
    other: (f) => `function ${f}(input) {\n  const value = String(input).trim();\n  if (!value) return { ok: false, value };\n  return { ok: true, value: value.replace(/\\s+/g, ' ') };\n}\n\nconsole.log(${f}('  some   input ')); // { ok: true, value: 'some input' }`,
  },
  python: {
    reverse: (f) => `def ${f}(text: str) -> str:\n    """Return text reversed, code point by code point."""\n    return text[::-1]\n\n\nprint(${f}("héllo 🚀"))  # 🚀 olléh`,
    sort: (f) => `def ${f}(items, key=None):\n    """Return a sorted copy; the input list is left alone."""\n    return sorted(items, key=key)\n\n\nprint(${f}([3, 1, 2]))  # [1, 2, 3]`,
    sum: (f) => `def ${f}(values):\n    """Add up the numbers in values (0 for an empty list)."""\n    return sum(values, 0)\n\n\nprint(${f}([1, 2, 3.5]))  # 6.5`,
    count: (f) => `from collections import Counter\nimport re\n\n\ndef ${f}(text: str) -> Counter:\n    """Count each word, ignoring case."""\n    return Counter(re.findall(r"[\\w']+", text.lower()))\n\n\nprint(${f}("the cat and the hat"))  # Counter({'the': 2, ...})`,
    other: (f) => `def ${f}(value: str) -> dict:\n    """Normalise the input: trim it and collapse runs of whitespace."""\n    cleaned = " ".join(value.split())\n    return {"ok": bool(cleaned), "value": cleaned}\n\n\nprint(${f}("  some   input "))  # {'ok': True, 'value': 'some input'}`,
  },
  go: {
    reverse: (f) => `package main\n\nimport "fmt"\n\n// ${f} reverses s rune by rune, so multi-byte characters survive.\nfunc ${f}(s string) string {\n\tr := []rune(s)\n\tfor i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {\n\t\tr[i], r[j] = r[j], r[i]\n\t}\n\treturn string(r)\n}\n\nfunc main() { fmt.Println(${f}("héllo")) }`,
    sort: (f) => `package main\n\nimport (\n\t"fmt"\n\t"sort"\n)\n\n// ${f} returns a sorted copy of xs.\nfunc ${f}(xs []int) []int {\n\tout := append([]int(nil), xs...)\n\tsort.Ints(out)\n\treturn out\n}\n\nfunc main() { fmt.Println(${f}([]int{3, 1, 2})) }`,
    sum: (f) => `package main\n\nimport "fmt"\n\n// ${f} adds up xs.\nfunc ${f}(xs []float64) float64 {\n\ttotal := 0.0\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn total\n}\n\nfunc main() { fmt.Println(${f}([]float64{1, 2, 3.5})) }`,
    count: (f) => `package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\n// ${f} counts each word of s, ignoring case.\nfunc ${f}(s string) map[string]int {\n\tcounts := map[string]int{}\n\tfor _, w := range strings.Fields(strings.ToLower(s)) {\n\t\tcounts[w]++\n\t}\n\treturn counts\n}\n\nfunc main() { fmt.Println(${f}("the cat and the hat")) }`,
    other: (f) => `package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\n// ${f} trims s and collapses runs of whitespace.\nfunc ${f}(s string) (string, bool) {\n\tv := strings.Join(strings.Fields(s), " ")\n\treturn v, v != ""\n}\n\nfunc main() { fmt.Println(${f}("  some   input ")) }`,
  },
  rust: {
    reverse: (f) => `/// Reverses \`s\` by chars, so multi-byte characters survive.\nfn ${f}(s: &str) -> String {\n    s.chars().rev().collect()\n}\n\nfn main() {\n    println!("{}", ${f}("héllo"));\n}`,
    sort: (f) => `/// Returns a sorted copy of \`xs\`.\nfn ${f}(xs: &[i64]) -> Vec<i64> {\n    let mut out = xs.to_vec();\n    out.sort();\n    out\n}\n\nfn main() {\n    println!("{:?}", ${f}(&[3, 1, 2]));\n}`,
    sum: (f) => `/// Adds up \`xs\`.\nfn ${f}(xs: &[f64]) -> f64 {\n    xs.iter().sum()\n}\n\nfn main() {\n    println!("{}", ${f}(&[1.0, 2.0, 3.5]));\n}`,
    count: (f) => `use std::collections::HashMap;\n\n/// Counts each word of \`s\`, ignoring case.\nfn ${f}(s: &str) -> HashMap<String, usize> {\n    let mut counts = HashMap::new();\n    for w in s.split_whitespace() {\n        *counts.entry(w.to_lowercase()).or_insert(0) += 1;\n    }\n    counts\n}\n\nfn main() {\n    println!("{:?}", ${f}("the cat and the hat"));\n}`,
    other: (f) => `/// Trims \`s\` and collapses runs of whitespace; \`None\` when nothing is left.\nfn ${f}(s: &str) -> Option<String> {\n    let v = s.split_whitespace().collect::<Vec<_>>().join(" ");\n    if v.is_empty() { None } else { Some(v) }\n}\n\nfn main() {\n    println!("{:?}", ${f}("  some   input "));\n}`,
  },
  bash: {
    reverse: (f) => `#!/usr/bin/env bash\nset -euo pipefail\n\n# ${f}: reverse each line of the input (rev handles UTF-8).\n${f}() {\n  rev\n}\n\necho "héllo" | ${f}`,
    sort: (f) => `#!/usr/bin/env bash\nset -euo pipefail\n\n# ${f}: sort lines, numbers in numeric order, duplicates removed.\n${f}() {\n  sort -n -u\n}\n\nprintf '3\\n1\\n2\\n' | ${f}`,
    sum: (f) => `#!/usr/bin/env bash\nset -euo pipefail\n\n# ${f}: add up the numbers, one per line.\n${f}() {\n  awk '{ total += $1 } END { print total + 0 }'\n}\n\nprintf '1\\n2\\n3.5\\n' | ${f}`,
    count: (f) => `#!/usr/bin/env bash\nset -euo pipefail\n\n# ${f}: count each word of the input, most frequent first.\n${f}() {\n  tr -cs '[:alnum:]' '\\n' | tr '[:upper:]' '[:lower:]' | sort | uniq -c | sort -rn\n}\n\necho "the cat and the hat" | ${f}`,
    other: (f) => `#!/usr/bin/env bash\nset -euo pipefail\n\n# ${f}: trim each line and collapse runs of spaces.\n${f}() {\n  sed -E 's/^[[:space:]]+|[[:space:]]+$//g; s/[[:space:]]+/ /g'\n}\n\necho "  some   input " | ${f}`,
  },
};

const EXPLAIN: Record<Task, string> = {
  reverse: 'It walks the text by character rather than by byte or UTF-16 unit, so accented letters and emoji come out whole.',
  sort: 'It sorts a copy, so the input is left unchanged, and it is stable for equal keys.',
  sum: 'An empty input adds up to 0 instead of failing.',
  count: 'Case is ignored, so “The” and “the” count as one word.',
  other: 'It is a starting point shaped by your request: one small function with a usage example you can run as is.',
};

/** A fenced block in the requested language plus a short explanation. */
export function codeAnswer(question: string, lang: Lang, file?: QuotedFile): string {
  const task = taskOf(question);
  const words = keywords(question.replace(/\b(that|which)\b/gi, ' '));
  const style = lang.id === 'python' || lang.id === 'rust' || lang.id === 'bash' ? 'snake' : 'camel';
  const fallback = { reverse: ['reverse', 'text'], sort: ['sorted', 'items'], sum: ['sum', 'values'], count: ['count', 'words'], other: [] as string[] }[task];
  const id = identifier(task === 'other' ? words : fallback, style);
  // Go exports by capital letter.
  const name = lang.id === 'go' ? id[0].toUpperCase() + id.slice(1) : id;
  const body = TEMPLATES[lang.id][task](name);
  const head = `# ${lang.label}: ${clip(question.replace(/\s+/g, ' ').replace(/[#*_`]/g, '').trim(), 60)}`;
  const context = file
    ? `It fits next to the code you selected in ${code(file.name)} (${plural(file.lines.length, 'line')} of ${labelOf(file.lang)}).`
    : '';
  return [
    head,
    `Here is ${lang.id === 'bash' ? 'a script' : 'a function'} that does what you asked, in ${lang.label}.${context ? ` ${context}` : ''}`,
    '```' + lang.fence + '\n' + body + '\n```',
    '## How it works',
    [
      `- ${code(name)} is the entry point; the last line shows a call and what it prints.`,
      `- ${EXPLAIN[task]}`,
      '- It uses only the standard library, so it runs without installing anything.',
    ].join('\n'),
    '## Edge cases',
    [
      `- Empty input returns an empty result rather than an error: decide whether your caller wants that.`,
      `- Very large inputs are processed in one pass; for a stream of data, call it once per chunk instead.`,
      `- Add a unit test next to it with the example above as its first case.`,
    ].join('\n'),
    'Ask again with another language named (TypeScript, Python, Go, Rust, Bash) to get the same idea in that language.',
  ].join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Any other question

const OPENERS = [
  (k: string) => `Start from ${k}: most of the question turns on it.`,
  (k: string) => `${cap(k)} is the part to get right first; the rest follows from it.`,
  (k: string) => `Think of ${k} as the contract: name what goes in and what comes out before changing anything.`,
];
const POINTS = [
  (k: string) => `**${cap(k)}**: write down what it must guarantee, then check that guarantee with one small test.`,
  (k: string) => `**${cap(k)}**: keep it in one place, so that changing it later touches one file.`,
  (k: string) => `**${cap(k)}**: measure before optimising it; the slow part is rarely where it looks.`,
  (k: string) => `**${cap(k)}**: handle the failure case explicitly, with a message that says what to do next.`,
];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** An answer built from the question's own words (and the selection, when there is one). */
export function generalAnswer(question: string, seed: number, file?: QuotedFile): string {
  const rng = new SeededRandom(seed);
  const q = question.replace(/\s+/g, ' ').trim();
  const words = keywords(q);
  const topics = words.length ? words : ['the question'];
  const heading = clip(q.replace(/[#*_`>]/g, '').trim(), 70) || 'Your question';
  const parts: string[] = [`# ${heading}`];
  let intro = `You asked: “${clip(q, 160)}”.`;
  if (file) {
    const symbols = topLevelSymbols(file);
    intro += ` The selection from **${file.name}** is ${plural(file.lines.length, 'line')} of ${labelOf(file.lang)}` +
      `${symbols.length ? ` and declares ${list(symbols.slice(0, 4).map((s) => code(s.name)))}` : ''}.`;
  }
  parts.push(`${intro} ${rng.pick(OPENERS)(topics[0])}`);
  parts.push('## Key points');
  const order = [0, 1, 2, 3].sort((a, b) => ((a * 7 + seed) % 5) - ((b * 7 + seed) % 5));
  const points = [...topics, ...['errors', 'tests', 'names'].filter((t) => !topics.includes(t))].slice(0, 4);
  parts.push(points.map((t, i) => `- ${POINTS[order[i]](t)}`).join('\n'));
  parts.push('## A way to proceed');
  parts.push([
    `1. Restate the goal in one sentence that mentions ${topics.slice(0, 2).join(' and ')}.`,
    `2. Try the smallest change that could work, and look at what it does.`,
    `3. Keep what worked, remove what did not, and note why for the next person.`,
    `4. Once it holds, write the one test that would have caught the problem in the first place.`,
  ].join('\n'));
  parts.push(`None of this needs a new dependency: the simplest version that handles ${topics[topics.length > 1 ? 1 : 0]} correctly ` +
    `is usually the one that is easiest to change later.`);
  parts.push(`> This answer comes from the project's local Anthropic-compatible server, offline and the same every time. ` +
    `Ask for code in a named language, or Summarize a file, to see its other answers.`);
  parts.push(`That covers ${topics.length > 1 ? `${list(topics.slice(0, 3))}` : topics[0]}; ask a follow-up to go deeper on any of them.`);
  return parts.join('\n\n');
}

/** The deterministic answer for a prompt (directives such as `[[slow:2]]` already removed). */
export function demoAnswer(prompt: string): string {
  const file = quotedFile(prompt);
  const question = file ? file.rest : prompt;
  if (file && (file.isBatch || /summar/i.test(question) || !question.trim())) return summaryAnswer(file);
  const lang = codeRequest(question, file?.lang);
  if (lang) return codeAnswer(question, lang, file);
  return generalAnswer(question, hashString(prompt), file);
}
