// The project's real-VS-Code harness: code-server (VS Code 1.100 server + web workbench) with an
// isolated profile, driven by Debian's headless Chromium through playwright-core. Nothing here
// downloads anything: code-server comes from scripts/install-vscode.sh, Chromium from apt.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CS_VERSION = process.env.CS_VERSION || '4.100.3';
export const CS_DIR = path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`);
export const CODE_SERVER = process.env.CODE_SERVER_BIN || path.join(CS_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const RUNS_DIR = path.join(ROOT, '.vscode-test', 'runs');
export const RESULTS_DIR = path.join(ROOT, '.test-results');

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.restoreWindows': 'none',
};

export const isCodeServerInstalled = () =>
  fs.existsSync(CODE_SERVER) && (!!process.env.CODE_SERVER_BIN || fs.existsSync(path.join(CS_DIR, '.installed')));

/**
 * Runs scripts/install-vscode.sh (Debian packages, then code-server) when code-server is not
 * installed yet (a no-op otherwise).
 */
export function ensureCodeServer() {
  if (isCodeServerInstalled()) return;
  installVscode([]);
}

/** Runs scripts/install-vscode.sh --system-only: the missing Debian packages (Chromium...) only. */
export function ensureSystemPackages() {
  installVscode(['--system-only']);
}

function installVscode(args) {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-vscode.sh'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${['scripts/install-vscode.sh', ...args].join(' ')} failed (exit ${r.status})`);
}

const t0 = Date.now();
export const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** A new directory for one run's profile (kept under .vscode-test/runs so CI can archive it). */
export function makeRunDir(prefix) {
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  return fs.mkdtempSync(path.join(RUNS_DIR, `${prefix}-`));
}

/** Sends `signal` to the whole process group of a child started with detached: true. */
export function killGroup(proc, signal = 'SIGTERM') {
  if (!proc?.pid) return;
  try { process.kill(-proc.pid, signal); } catch { /* already gone */ }
}

/** SIGTERM the group, wait up to `graceMs` for the leader, then SIGKILL whatever is left. */
export async function stopGroup(proc, graceMs = 3000) {
  if (!proc?.pid) return;
  const exited = proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => proc.once('exit', r));
  killGroup(proc, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  killGroup(proc, 'SIGKILL');
}

/**
 * Spawns a detached child (own process group) and resolves with the first match of `pattern` in
 * its stdout/stderr. All output also goes to `logPath`.
 */
export function spawnAndWait(cmd, args, { env, cwd, pattern, timeoutMs = 60_000, logPath, echo, name = cmd }) {
  const proc = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = logPath ? fs.createWriteStream(logPath) : null;
  let buf = '';
  const onData = (d) => { const s = d.toString(); log?.write(s); if (echo) echo(s); if (buf.length < 200_000) buf += s; };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  proc.on('exit', () => log?.end());
  const match = new Promise((resolve, reject) => {
    const timer = setTimeout(() => { killGroup(proc, 'SIGKILL'); reject(new Error(`${name} did not get ready in ${timeoutMs / 1000}s:\n${buf.slice(-4000)}`)); }, timeoutMs);
    const check = () => { const m = buf.match(pattern); if (m) { clearTimeout(timer); resolve(m); } };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`${name} exited (${code ?? sig}) before it was ready:\n${buf.slice(-4000)}`)); });
  });
  return { proc, match };
}

/**
 * Starts code-server on 127.0.0.1 with its own user-data-dir, extensions dir, HOME and XDG dirs.
 * @param {object} o
 * @param {string} [o.profileDir]  where the profile lives (default: a new dir under .vscode-test/runs)
 * @param {object} [o.settings]    user settings.json entries, merged over DEFAULT_SETTINGS
 * @param {object} [o.env]         extra env for code-server; the extension host inherits it
 * @param {string[]} [o.unsetEnv]  variables removed from the inherited env (e.g. ANTHROPIC_API_KEY)
 * @param {string[]} [o.installVsix] .vsix files installed with --install-extension before start
 * @param {boolean} [o.keepSettings] keep an existing settings.json (persistent profiles)
 * @param {number} [o.port]        0 (default) picks a free port
 * @param {boolean} [o.verbose]    echo code-server's output
 * @param {boolean} [o.workspaceTrust] enable workspace trust: the opened folder starts untrusted
 */
export async function startCodeServer({ profileDir, settings = {}, env = {}, unsetEnv = [], installVsix = [], keepSettings = false, port = 0, verbose = false, name = 'cs', workspaceTrust = false } = {}) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server not found at ${CODE_SERVER}; run scripts/install-vscode.sh`);
  const root = profileDir ?? makeRunDir(name);
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
    xdg: path.join(root, 'xdg'),
    browser: path.join(root, 'chromium'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  if (!keepSettings || !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  }

  const baseEnv = { ...process.env };
  for (const k of unsetEnv) delete baseEnv[k];
  const csEnv = {
    // An empty gallery stops the workbench querying open-vsx.org, unreachable offline.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    ...baseEnv,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    // Short on purpose: VS Code puts IPC sockets in TMPDIR and a socket path must stay < 108 chars.
    TMPDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ce-cs-')),
    ...env,
  };
  const baseArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  for (const vsix of installVsix) {
    const r = spawnSync(CODE_SERVER, [...baseArgs, '--install-extension', path.resolve(vsix), '--force'], { env: csEnv, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    if (verbose) process.stdout.write(r.stdout);
  }

  const args = [...baseArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'];
  // workspaceTrust: the folder opens in Restricted Mode (untrusted), as a cloned repository would.
  if (workspaceTrust) args.splice(args.indexOf('--disable-workspace-trust'), 1);
  const { proc, match } = spawnAndWait(CODE_SERVER, args, {
    env: csEnv,
    pattern: /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/,
    logPath: path.join(root, 'code-server.log'),
    echo: verbose ? (s) => process.stderr.write(`[code-server] ${s}`) : undefined,
    name: 'code-server',
  });
  const url = (await match)[1];
  return {
    url,
    host: new URL(url).host,
    proc,
    dirs,
    logPath: path.join(root, 'code-server.log'),
    stop: async () => {
      await stopGroup(proc);
      fs.rmSync(csEnv.TMPDIR, { recursive: true, force: true });
    },
  };
}

function ensureDir(d) { fs.mkdirSync(d, { recursive: true }); return d; }

/** Headless Debian Chromium with a fresh real profile (service workers and storage work). */
export async function launchBrowser(profileDir, { width = 1400, height = 900, headless = true } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_BIN)`);
  const { chromium } = await import('playwright-core');
  const home = ensureDir(`${profileDir}-home`);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless,
    viewport: { width, height },
    // Chromium writes crashpad, dconf and font caches under HOME/XDG: keep them in the run dir.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    // Without the background-networking flags Chromium keeps dialling Google hosts, which this
    // closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-crash-reporter',
      '--disable-breakpad', '--no-default-browser-check', '--disable-quic',
      '--disable-features=Translate,MediaRouter,OptimizationHints'],
  });
}

/**
 * The workbench URL for `folder`. Payload entries are read by VS Code's
 * BrowserWorkbenchEnvironmentService, exactly like --extensionDevelopmentPath/--extensionTestsPath.
 */
export function workbenchUrl(cs, { folder, extensionDevelopmentPath = [], extensionTestsPath, extra = [] } = {}) {
  const remote = (p) => `vscode-remote://${cs.host}${path.resolve(p)}`;
  const payload = [
    ...extensionDevelopmentPath.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ...(extensionTestsPath ? [['extensionTestsPath', remote(extensionTestsPath)]] : []),
    ['skipWelcome', 'true'],
    ...extra,
  ];
  const q = new URLSearchParams();
  if (folder) q.set('folder', path.resolve(folder)); else q.set('ew', 'true');
  q.set('payload', JSON.stringify(payload));
  return `${cs.url}?${q}`;
}

/** Copies test/fixtures/workspace into `dest` (a fresh folder the run may modify). */
export function prepareWorkspace(dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), dest, { recursive: true });
  return dest;
}

/**
 * Starts the local Anthropic-compatible server (out/test/server/main.js, compiled by `tsc -p .`)
 * on a free port. Contract: it prints "Local Anthropic server listening on http://127.0.0.1:N".
 */
export async function startLocalServer({ logPath, env = {}, verbose = false } = {}) {
  const main = path.join(ROOT, 'out', 'test', 'server', 'main.js');
  if (!fs.existsSync(main)) {
    throw new Error(`${path.relative(ROOT, main)} is missing: the local Anthropic server is not built ` +
      '(it comes from test/server/main.ts via `tsc -p .`; run `npm run compile-tests`)');
  }
  const { proc, match } = spawnAndWait(process.execPath, [main, '--port', '0'], {
    env: { ...process.env, ...env },
    cwd: ROOT,
    pattern: /Local Anthropic server listening on (http:\/\/[\w.:[\]-]+)/,
    timeoutMs: 30_000,
    logPath,
    echo: verbose ? (s) => process.stderr.write(`[server] ${s}`) : undefined,
    name: 'local Anthropic server',
  });
  const url = (await match)[1];
  return { url, proc, stop: () => stopGroup(proc, 2000) };
}

/** Writes a results file in the shape scripts/test-all.mjs reads. */
export function writeResults(file, results) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

