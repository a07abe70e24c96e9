#!/usr/bin/env node
// `npm test` (after pretest: build, compile-tests, typecheck): unit, integration and e2e suites,
// then a summary table. Fails when any suite fails, runs 0 tests, or skips any (pending > 0).
// A fresh machine needs nothing installed first: before any suite runs, scripts/install-vscode.sh
// installs what is missing (the Debian packages, Chromium among them, and code-server from npm),
// and only then is Chromium looked for. Where it still cannot be had (not root, no apt) the
// browser and e2e suites are not run, with a loud notice; with CI or CE_REQUIRE_ALL=1 set, a suite
// not run fails the run.
// Env: CE_SUITES=unit,browser,integration,untrusted,e2e (subset), plus the runners' own (CE_GREP, CE_TIMEOUT...).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, RESULTS_DIR, CHROMIUM, ensureCodeServer, ensureSystemPackages } from './lib/codeServer.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SUITES = {
  unit: {
    cmd: [npm, 'run', '--silent', 'test:unit', '--', '--reporter', './scripts/lib/specJsonReporter.cjs',
      '--reporter-option', `output=${path.join(RESULTS_DIR, 'unit.json')}`],
  },
  browser: {
    cmd: [npm, 'run', '--silent', 'test:browser', '--', '--reporter', './scripts/lib/specJsonReporter.cjs',
      '--reporter-option', `output=${path.join(RESULTS_DIR, 'browser.json')}`],
    needsChromium: true,
  },
  integration: { cmd: [npm, 'run', '--silent', 'test:integration'], needsCodeServer: true },
  // The same harness with workspace trust on: the folder opens untrusted (Restricted Mode).
  untrusted: { cmd: [npm, 'run', '--silent', 'test:integration', '--', '--untrusted'], needsCodeServer: true },
  e2e: { cmd: [npm, 'run', '--silent', 'test:e2e'], needsCodeServer: true, needsChromium: true },
};
const selected = (process.env.CE_SUITES || Object.keys(SUITES).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const s of selected) if (!SUITES[s]) { console.error(`[test] unknown suite ${s}`); process.exit(2); }

const banner = (text) => console.log(`\n${'='.repeat(78)}\n${text}\n${'='.repeat(78)}`);
const rows = [];
const required = process.env.CE_REQUIRE_ALL === '1' || !!process.env.CI;

// Install first, look second: the install is what brings Chromium to a fresh machine.
if (selected.some((s) => SUITES[s].needsCodeServer)) ensureCodeServer();
if (selected.some((s) => SUITES[s].needsChromium) && !fs.existsSync(CHROMIUM)) {
  // code-server may be there already while Chromium is not (or only the browser suite is wanted).
  try { ensureSystemPackages(); } catch (e) { console.error(`[test] ${e.message}`); }
}
const chromiumPresent = fs.existsSync(CHROMIUM);

for (const name of selected) {
  const suite = SUITES[name];
  const resultsFile = path.join(RESULTS_DIR, `${name}.json`);
  if (suite.needsChromium && !chromiumPresent) {
    banner(`!!! ${name} NOT RUN: Chromium not found at ${CHROMIUM}, even after scripts/install-vscode.sh.\n!!! Install it (apt-get install chromium, as root) or set CHROMIUM_BIN.${required ? ' CI / CE_REQUIRE_ALL=1: counted as a failure.' : ''}`);
    rows.push({ name, passes: 0, failures: 0, pending: 0, seconds: 0, status: required ? 'NOT RUN' : 'not run (no Chromium)', optional: !required });
    continue;
  }
  banner(`${name}: ${suite.cmd.slice(1).join(' ')}`);
  fs.rmSync(resultsFile, { force: true });
  const started = Date.now();
  const r = spawnSync(suite.cmd[0], suite.cmd.slice(1), { cwd: ROOT, stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  let res = { passes: 0, failures: 0, pending: 0 };
  try { res = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* no results: judged below */ }
  let status = 'ok';
  if (r.status !== 0) status = `exit ${r.status ?? r.signal}`;
  else if (!fs.existsSync(resultsFile)) status = 'no results';
  else if (res.failures > 0) status = 'failed';
  else if (res.passes === 0) status = '0 tests';
  else if (res.pending > 0) status = 'skipped tests';
  rows.push({ name, passes: res.passes, failures: res.failures, pending: res.pending, seconds, status });
}

const table = [['suite', 'passed', 'failed', 'pending', 'seconds', 'status'],
  ...rows.map((r) => [r.name, r.passes, r.failures, r.pending, r.seconds.toFixed(1), r.status])];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
const line = (row) => row.map((c, i) => (i === 0 || i === 5 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
banner('Summary');
console.log(line(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
const ok = rows.every((r) => r.status === 'ok' || r.optional);
const total = rows.reduce((s, r) => s + r.seconds, 0);
const notRun = rows.filter((r) => r.optional).map((r) => r.name);
const verdict = !ok ? 'FAILED' : notRun.length ? `PASSED, but NOT RUN: ${notRun.join(', ')}` : 'ALL SUITES PASSED';
console.log(`\n${verdict} (${total.toFixed(1)} s; results in ${path.relative(ROOT, RESULTS_DIR)}/)`);
process.exit(ok ? 0 : 1);
