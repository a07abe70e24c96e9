#!/usr/bin/env node
// `npm start`: the extension in a real VS Code in your browser, offline.
//  1. builds (esbuild + tsc), installs code-server if needed;
//  2. starts the local Anthropic server, unless ANTHROPIC_API_KEY is set (then the real API, or
//     ANTHROPIC_BASE_URL if set, is used);
//  3. starts code-server with a persistent profile (.vscode-test/start-profile: keys, settings and
//     batches survive restarts) and the extension linked from the repo, on a fixed port (the
//     browser keeps the workbench's storage per origin);
//  4. opens .vscode-test/demo-workspace (seeded once from test/fixtures/workspace).
// Prints the URL; Ctrl-C stops everything it started.
// Env/flags: CE_PORT or --port (default 8765), CE_VERBOSE=1, --fresh (reset profile + workspace).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ensureCodeServer, startCodeServer, startLocalServer } from './lib/codeServer.mjs';
import { manifest } from './lib/vsix.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const port = Number(opt('--port', process.env.CE_PORT || 8765));
const verbose = argv.includes('-v') || process.env.CE_VERBOSE === '1';
const profileDir = path.join(ROOT, '.vscode-test', 'start-profile');
const demoWorkspace = path.join(ROOT, '.vscode-test', 'demo-workspace');
const log = (msg) => console.log(`[start] ${msg}`);

function run(cmd, args, { mustSucceed = true } = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    if (mustSucceed) { console.error(`[start] ${[cmd, ...args].join(' ')} failed`); process.exit(1); }
    log(`warning: ${path.basename(args[0] ?? cmd)} reported errors (continuing with what it emitted)`);
  }
}

if (argv.includes('--fresh')) {
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.rmSync(demoWorkspace, { recursive: true, force: true });
}

log('building (esbuild, tsc)');
run(process.execPath, ['esbuild.js']);
// Type errors elsewhere should not block a demo: tsc still emits, `npm test` is the gate.
run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { mustSucceed: false });
ensureCodeServer();

if (!fs.existsSync(demoWorkspace)) fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), demoWorkspace, { recursive: true });

// Load the extension straight from the repo: a link in the profile's extensions dir, named like an
// installed extension. A rebuild + browser reload picks up changes.
const { publisher, name, version } = manifest();
const extDir = path.join(profileDir, 'extensions');
fs.mkdirSync(extDir, { recursive: true });
for (const entry of fs.readdirSync(extDir)) {
  if (entry.startsWith(`${publisher}.${name}-`)) fs.rmSync(path.join(extDir, entry), { recursive: true, force: true });
}
fs.symlinkSync(ROOT, path.join(extDir, `${publisher}.${name}-${version}`), 'dir');
// VS Code keeps a manifest of installed extensions; a stale one (from another version) would hide
// the link, so let the scanner rebuild it.
fs.rmSync(path.join(extDir, 'extensions.json'), { force: true });

let server, cs, stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping');
  await Promise.all([cs?.stop(), server?.stop()]);
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void shutdown(0));

try {
  const env = {};
  if (process.env.ANTHROPIC_API_KEY) {
    log(`ANTHROPIC_API_KEY is set: using ${process.env.ANTHROPIC_BASE_URL || 'the real Anthropic API'}`);
  } else {
    server = await startLocalServer({ logPath: path.join(ROOT, '.vscode-test', 'start-server.log'), verbose });
    Object.assign(env, { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'sk-ant-local-demo' });
    log(`local Anthropic server: ${server.url} (offline demo; log: .vscode-test/start-server.log)`);
    server.proc.on('exit', (c) => { if (!stopping) { console.error(`[start] local server exited (${c})`); void shutdown(1); } });
  }
  cs = await startCodeServer({ profileDir, port, env, keepSettings: true, verbose, name: 'start' });
  cs.proc.on('exit', (c) => { if (!stopping) { console.error(`[start] code-server exited (${c}); log: ${cs.logPath}`); void shutdown(1); } });
  const url = `${cs.url}?folder=${encodeURIComponent(demoWorkspace)}`;
  console.log(`\n  Claude Events is running in VS Code ${'─'.repeat(30)}\n\n    ${url}\n\n` +
    `  Open it in a browser (forward port ${port} if this machine is remote). Ctrl-C stops.\n`);
} catch (e) {
  console.error(`[start] ${e.message}`);
  if (/EADDRINUSE|address already in use/i.test(String(e.message))) console.error(`[start] port ${port} is busy: CE_PORT=<port> npm start`);
  await shutdown(1);
}

