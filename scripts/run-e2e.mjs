#!/usr/bin/env node
// `npm run test:e2e`: Playwright end-to-end tests on the real workbench. Builds nothing (`npm test`'s
// pretest does): packages the current dist/ into a VSIX and installs it into a fresh code-server
// with --install-extension (what a user's install does), starts the local Anthropic server, points
// the extension host at it (ANTHROPIC_BASE_URL, no ANTHROPIC_API_KEY), opens a copy of
// test/fixtures/workspace in headless Chromium, then runs out/test/e2e/**/*.test.js with mocha in
// this process; test/e2e/workbench.ts hands the page and URLs to the tests.
//
// Env: CE_GREP (mocha grep), CE_TIMEOUT (hard timeout, seconds, default 600), CE_SCREENSHOTS=1
// (screenshots into docs/screenshots), CE_E2E_FROM_SOURCE=1 (load the extension from the repo via
// extensionDevelopmentPath instead of the VSIX), CE_KEEP=1, CE_VERBOSE=1.
// Exit code = test result. Results: .test-results/e2e.json.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  ROOT, RESULTS_DIR, CHROMIUM, ensureCodeServer, startCodeServer, startLocalServer, launchBrowser,
  workbenchUrl, makeRunDir, prepareWorkspace, writeResults, since,
} from './lib/codeServer.mjs';
import { vscePackage } from './lib/vsix.mjs';

const require = createRequire(import.meta.url);
const timeoutS = Number(process.env.CE_TIMEOUT || 600);
const verbose = process.argv.includes('-v') || process.env.CE_VERBOSE === '1';
const fromSource = process.env.CE_E2E_FROM_SOURCE === '1';
const e2eDir = path.join(ROOT, 'out', 'test', 'e2e');
const resultsFile = path.join(RESULTS_DIR, 'e2e.json');
const log = (msg) => console.log(`[e2e] ${msg}`);
const die = (msg, code = 2) => {
  console.error(`[e2e] ${msg}`);
  writeResults(resultsFile, { suite: 'e2e', passes: 0, failures: 1, pending: 0, error: msg, tests: [] });
  process.exit(code);
};

fs.rmSync(resultsFile, { force: true });
fs.rmSync(path.join(RESULTS_DIR, 'screenshots'), { recursive: true, force: true });
for (const [file, hint] of [
  [path.join(e2eDir, 'workbench.js'), 'npm run compile-tests'],
  [path.join(ROOT, 'dist', 'extension.js'), 'npm run build'],
  // The local Anthropic server, compiled from test/server/main.ts.
  [path.join(ROOT, 'out', 'test', 'server', 'main.js'), 'npm run compile-tests'],
]) {
  if (!fs.existsSync(file)) die(`${path.relative(ROOT, file)} is missing: run \`${hint}\` (or \`npm test\`)`);
}
if (!fs.existsSync(CHROMIUM)) die(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_BIN)`);

/** Test files, firstRun first: it needs the profile as a fresh install leaves it. */
function findTests(dir) {
  const first = (f) => (path.basename(f) === 'firstRun.test.js' ? 0 : 1);
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(full);
    return e.name.endsWith('.test.js') ? [full] : [];
  }).sort((a, b) => first(a) - first(b) || a.localeCompare(b));
}

let server, cs, browser, page;
let exitCode = 1;
const runDir = makeRunDir('e2e');

async function cleanup() {
  await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
  await cs?.stop();
  await server?.stop();
}
async function finish(code) {
  exitCode = code;
  await cleanup();
  if (!fs.existsSync(resultsFile)) {
    writeResults(resultsFile, { suite: 'e2e', passes: 0, failures: 1, pending: 0, error: `no results (exit ${code})`, tests: [] });
  }
  if (code === 0 && !process.env.CE_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
  else log(`run files kept in ${path.relative(ROOT, runDir)} (code-server.log, server.log, workspace)`);
  log(`exit ${code} (${since()})`);
  process.exit(code);
}
const hardTimer = setTimeout(async () => {
  console.error(`[e2e] TIMEOUT after ${timeoutS}s`);
  const shot = path.join(RESULTS_DIR, 'e2e-timeout.png');
  try { await page?.screenshot({ path: shot }); console.error(`[e2e] screenshot: ${path.relative(ROOT, shot)}`); } catch { /* gone */ }
  await finish(124);
}, timeoutS * 1000);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { clearTimeout(hardTimer); void finish(130); });

try {
  ensureCodeServer();
  const workspace = prepareWorkspace(path.join(runDir, 'workspace'));
  let vsix;
  if (!fromSource) {
    vsix = vscePackage(path.join(runDir, 'claude-events-e2e.vsix'), { quiet: true }).file;
    log(`packaged ${path.relative(ROOT, vsix)} (${since()})`);
  }

  try {
    server = await startLocalServer({ logPath: path.join(runDir, 'server.log'), verbose });
  } catch (e) {
    die(`cannot start the local Anthropic server: ${e.message}`);
  }
  log(`local Anthropic server ${server.url} (${since()})`);

  cs = await startCodeServer({
    profileDir: runDir,
    name: 'e2e',
    installVsix: vsix ? [vsix] : [],
    env: { ANTHROPIC_BASE_URL: server.url },
    // Batches end when a test says so; poll quickly so the tree sees it within seconds.
    settings: { 'claudeEvents.batch.pollIntervalSeconds': 1 },
    // No key: the smoke test sets one through the UI.
    unsetEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
    verbose,
  });
  log(`code-server ${cs.url} (${since()})`);

  browser = await launchBrowser(cs.dirs.browser);
  page = browser.pages()[0] ?? await browser.newPage();
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  if (verbose) page.on('console', (m) => console.log(`[page] ${m.text()}`));
  await page.goto(workbenchUrl(cs, { folder: workspace, extensionDevelopmentPath: fromSource ? [ROOT] : [] }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  log(`workbench up (${since()}); running tests`);

  require(path.join(e2eDir, 'workbench.js')).attach({
    page, browser, codeServerUrl: cs.url, serverUrl: server.url, workspace, repoRoot: ROOT,
  });
  const Mocha = require('mocha');
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: require('./lib/specJsonReporter.cjs'),
    reporterOptions: { output: resultsFile, suite: 'e2e' },
  });
  if (process.env.CE_GREP) mocha.grep(process.env.CE_GREP);
  // A screenshot of every failing test, next to the results.
  mocha.rootHooks({
    async afterEach() {
      if (this.currentTest?.state !== 'failed') return;
      const shot = path.join(RESULTS_DIR, 'screenshots', `FAIL-${this.currentTest.fullTitle().replace(/[^\w.-]+/g, '-')}.png`);
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).then(() => console.log(`      screenshot: ${path.relative(ROOT, shot)}`), () => {});
    },
  });
  for (const f of findTests(e2eDir)) mocha.addFile(f);
  const failures = await new Promise((resolve) => mocha.run(resolve));
  clearTimeout(hardTimer);
  await finish(failures > 0 ? 1 : 0);
} catch (e) {
  clearTimeout(hardTimer);
  console.error('[e2e] harness error:', e);
  try { await page?.screenshot({ path: path.join(RESULTS_DIR, 'e2e-harness-error.png') }); } catch { /* gone */ }
  await finish(2);
}
