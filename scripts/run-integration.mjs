#!/usr/bin/env node
// `npm run test:integration`: runs the mocha suite out/test/integration/index.js (exports run())
// INSIDE a real VS Code extension host, with the extension loaded from the repo
// (extensionDevelopmentPath) and a copy of test/fixtures/workspace open.
//
// Backends (VSCODE_TEST_BACKEND):
//   electron     @vscode/test-electron: downloads desktop VS Code (needs internet)
//   code-server  code-server from .vscode-test + Debian's headless Chromium (works offline)
//   auto         (default) try the desktop download with a short timeout, else code-server
// Env: CE_GREP (mocha grep), CE_FILES or --files a,b (only test files whose name contains a word), CE_TIMEOUT (hard timeout, seconds, default 600), CE_KEEP=1 (keep the
// run's profile dir), CE_VERBOSE=1 (code-server and browser console output).
// --bench a,b: instead of the tests, the benchmarks test/integration/*.bench.ts whose name contains
// a word (`npm run bench` runs them so); mocha's results go to .test-results/bench.json.
// Exit code = test result. Results: .test-results/integration.json.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import {
  ROOT, RESULTS_DIR, ensureCodeServer, startCodeServer, launchBrowser, workbenchUrl, makeRunDir,
  prepareWorkspace, writeResults, since,
} from './lib/codeServer.mjs';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };

const backend = opt('--backend', process.env.VSCODE_TEST_BACKEND || 'auto');
const timeoutS = Number(opt('--timeout', process.env.CE_TIMEOUT || 600));
const verbose = flag('-v') || process.env.CE_VERBOSE === '1';
const testsPath = path.join(ROOT, 'out', 'test', 'integration', 'index.js');
// --untrusted: a second run with workspace trust on, so the folder opens in Restricted Mode; only
// test files named *untrusted* run there (and only there).
const untrusted = flag('--untrusted');
const bench = opt('--bench', undefined);
const suiteName = bench ? 'bench' : untrusted ? 'untrusted' : 'integration';
const resultsFile = path.join(RESULTS_DIR, `${suiteName}.json`);
const log = (msg) => console.log(`[integration] ${msg}`);

for (const [file, hint] of [[testsPath, 'npm run compile-tests'], [path.join(ROOT, 'dist', 'extension.js'), 'npm run build']]) {
  if (!fs.existsSync(file)) { console.error(`[integration] ${path.relative(ROOT, file)} is missing: run \`${hint}\` (or \`npm test\`)`); process.exit(2); }
}
if (!['auto', 'electron', 'code-server'].includes(backend)) { console.error(`[integration] unknown backend ${backend}`); process.exit(2); }

fs.rmSync(resultsFile, { force: true });
const runDir = makeRunDir(suiteName);
const workspace = prepareWorkspace(path.join(runDir, 'workspace'));
// The suite controls the key and base URL itself: a developer's own must not leak in.
const files = opt('--files', process.env.CE_FILES);
const testEnv = {
  CE_RESULTS_FILE: resultsFile, ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: '',
  ...(untrusted ? { CE_UNTRUSTED: '1' } : {}),
  ...(process.env.CE_GREP ? { CE_GREP: process.env.CE_GREP } : {}),
  ...(files ? { CE_FILES: files } : {}),
  ...(bench ? { CE_BENCH_FILES: bench } : {}),
};

/** Extension-host noise that is not test output. */
const NOISE = /^(\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time)[^\]]*\]|Updating additional builtin|Ignoring fetching additional builtin|Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|ChatSessionStore)/;

async function viaElectron(te, vscodeExecutablePath) {
  log(`backend: @vscode/test-electron (${vscodeExecutablePath})`);
  try {
    await te.runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: testsPath,
      extensionTestsEnv: testEnv,
      launchArgs: [workspace, '--disable-extensions', ...(untrusted ? [] : ['--disable-workspace-trust']), '--user-data-dir', path.join(runDir, 'user-data')],
    });
    return 0;
  } catch (e) {
    console.error(`[integration] ${e.message ?? e}`);
    return 1;
  }
}

async function viaCodeServer() {
  log('backend: code-server (VS Code server + web workbench in headless Chromium; Node extension host)');
  ensureCodeServer();
  let cs, ctx, page, settle;
  const done = new Promise((r) => { settle = r; });
  const timer = setTimeout(async () => {
    console.error(`[integration] TIMEOUT after ${timeoutS}s`);
    const shot = path.join(RESULTS_DIR, 'integration-timeout.png');
    try { await page?.screenshot({ path: shot }); console.error(`[integration] screenshot: ${path.relative(ROOT, shot)}`); } catch { /* page gone */ }
    settle(124);
  }, timeoutS * 1000);
  try {
    // The first-run walkthrough would open over the tests' editors: e2e checks it (test/e2e/firstRun).
    const settings = { 'workbench.welcomePage.walkthroughs.openOnInstall': false };
    cs = await startCodeServer({
      profileDir: runDir, env: testEnv, verbose, name: suiteName,
      settings: untrusted ? { ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : settings,
      ...(untrusted ? { workspaceTrust: true } : {}),
    });
    log(`code-server ${cs.url} (${since()})`);
    ctx = await launchBrowser(cs.dirs.browser);
    page = ctx.pages()[0] ?? await ctx.newPage();
    // The workbench forwards extension-host output of a test run here, and reports its end.
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (verbose || !NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(code));
    page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
    if (verbose) page.on('console', (m) => console.log(`[page] ${m.text()}`));
    await page.goto(workbenchUrl(cs, { folder: workspace, extensionDevelopmentPath: [ROOT], extensionTestsPath: testsPath }));
    log(`workbench loaded (${since()}); running tests`);
    return await done;
  } catch (e) {
    console.error('[integration] harness error:', e);
    return 2;
  } finally {
    clearTimeout(timer);
    await Promise.race([ctx?.close(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
    await cs?.stop();
  }
}

const quietReporter = { report: (r) => { if (r.stage === 'downloading' && verbose) log(`downloading VS Code ${r.bytesSoFar}/${r.totalBytes}`); }, error: () => {} };

async function main() {
  if (backend === 'code-server') return viaCodeServer();
  const te = require('@vscode/test-electron');
  let exe;
  try {
    exe = await te.downloadAndUnzipVSCode({ version: process.env.VSCODE_TEST_VERSION || 'stable', timeout: 15_000, extensionDevelopmentPath: ROOT, reporter: quietReporter });
  } catch (e) {
    const reason = String(e?.message ?? e).split('\n')[0];
    if (backend === 'electron') { console.error(`[integration] desktop VS Code download failed: ${reason}`); return 1; }
    log(`desktop VS Code unavailable (${reason}); falling back to code-server`);
    return viaCodeServer();
  }
  return viaElectron(te, exe);
}

const code = await main();
if (!fs.existsSync(resultsFile)) {
  writeResults(resultsFile, { suite: suiteName, passes: 0, failures: 1, pending: 0, error: `no results written (exit ${code})`, tests: [] });
}
const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
const exitCode = code === 0 && r.failures === 0 ? 0 : (code || 1);
if (exitCode === 0 && !process.env.CE_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
else log(`run files kept in ${path.relative(ROOT, runDir)} (code-server.log, workspace)`);
log(`${r.passes} passing, ${r.failures} failing, ${r.pending} pending; exit ${exitCode} (${since()})`);
process.exit(exitCode);
