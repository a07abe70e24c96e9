#!/usr/bin/env node
// `npm run package`: production bundle, then claude-events-<version>.vsix in the repo root, then
// checks what is inside: no node_modules, the bundles present, at most 2 MB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/codeServer.mjs';
import { listZip, manifest, vscePackage } from './lib/vsix.mjs';

const MAX_BYTES = 2 * 1024 * 1024;
const fail = (msg) => { console.error(`[package] ${msg}`); process.exit(1); };

const build = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) fail('esbuild --production failed');

const { name, version } = manifest();
const out = path.join(ROOT, `${name}-${version}.vsix`);
fs.rmSync(out, { force: true });
const { output } = vscePackage(out, { quiet: true });
const warnings = output.split('\n').filter((l) => /\bWARNING\b/i.test(l));

const entries = listZip(out);
const bytes = fs.statSync(out).size;
console.log(`\n${path.basename(out)}:`);
for (const e of entries) console.log(`  ${e.name.padEnd(44)} ${(e.size / 1024).toFixed(1).padStart(8)} KB`);
console.log(`  ${entries.length} files, ${(bytes / 1024).toFixed(1)} KB compressed`);

const problems = [];
if (entries.some((e) => e.name.split('/').includes('node_modules'))) problems.push('node_modules is inside the VSIX');
// vsce warns about what the Marketplace would reject or show badly (no repository, no icon...).
for (const w of warnings) problems.push(`vsce: ${w.trim()}`);
const { icon, contributes } = manifest();
const walkthroughMedia = (contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.media?.image ?? s.media?.markdown).filter(Boolean));
for (const f of ['extension/package.json', 'extension/package.nls.json', 'extension/l10n/bundle.l10n.json', 'extension/dist/extension.js', 'extension/dist/sdk.js', 'extension/dist/batch.js',
  'extension/dist/webview.js', `extension/${icon}`, ...walkthroughMedia.map((m) => `extension/${m}`)]) {
  if (!entries.some((e) => e.name === f)) problems.push(`${f} is missing`);
}
if (entries.some((e) => e.name.endsWith('.map') || e.name.startsWith('extension/src/') || e.name.startsWith('extension/out/'))) {
  problems.push('sources, source maps or test output are inside the VSIX (check .vscodeignore)');
}
// No key may ship: scan every packaged file for anything shaped like an Anthropic key, and for
// the key of the environment this was built in.
const unzip = spawnSync('unzip', ['-p', out], { maxBuffer: 64 * 1024 * 1024 });
if (unzip.status !== 0) problems.push('could not read the VSIX back (unzip)');
const packed = unzip.stdout?.toString('latin1') ?? '';
if (/sk-ant-[A-Za-z0-9_-]{20,}/.test(packed)) problems.push('something shaped like an API key is inside the VSIX');
const envKey = process.env.ANTHROPIC_API_KEY;
if (envKey && envKey.length >= 8 && packed.includes(envKey)) problems.push('ANTHROPIC_API_KEY is inside the VSIX');
if (bytes > MAX_BYTES) problems.push(`VSIX is ${(bytes / 1024).toFixed(0)} KB, over the 2 MB budget`);
if (problems.length) fail(problems.join('; '));
console.log(`[package] OK: ${path.relative(ROOT, out)} (${(bytes / 1024).toFixed(1)} KB)`);
