#!/usr/bin/env node
// `npm run l10n`: writes l10n/bundle.l10n.json, the English bundle of every `vscode.l10n.t('…')`
// string in the host code (the key is the English text; translators add bundle.l10n.<lang>.json
// next to it). test/unit/l10n.test.ts fails when the bundle and the sources disagree.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** `l10n.t('literal'` or `l10n.t("literal"`: the first argument must be a plain string literal. */
const CALL = /\bl10n\.t\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")/g;
const unescape = (s) => s.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t' })[c] ?? c);

export function l10nKeys(root = ROOT) {
  const keys = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'webview') walk(p); continue; }
      if (!e.name.endsWith('.ts')) continue;
      for (const m of fs.readFileSync(p, 'utf8').matchAll(CALL)) keys.add(unescape(m[1] ?? m[2]));
    }
  };
  walk(path.join(root, 'src'));
  return [...keys].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundle = Object.fromEntries(l10nKeys().map((k) => [k, k]));
  const out = path.join(ROOT, 'l10n', 'bundle.l10n.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, out)} (${Object.keys(bundle).length} strings)`);
}
