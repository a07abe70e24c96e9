// Loaded into the real extension host by test/bench/activation.ts (as extensionTestsPath): waits
// until the extension has activated by itself (onStartupFinished; it never calls activate()),
// keeps watching a few seconds more for late requests, then writes VS Code's own performance
// marks (the extension host's `code/extHost/...` marks around loading and activating each
// extension) to CE_ACTIVATION_OUT.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';

interface PerfMarks {
  getMarks(): { name: string; startTime: number }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const out = process.env.CE_ACTIVATION_OUT;
  if (!out) throw new Error('CE_ACTIVATION_OUT is not set');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  const started = Date.now();
  while (!ext?.isActive && Date.now() - started < 60_000) await sleep(20);
  await sleep(Number(process.env.CE_ACTIVATION_QUIET_MS ?? 3000));
  // VS Code's vs/base/common/performance keeps its marks on globalThis in Node processes.
  const perf = (globalThis as { MonacoPerformanceMarks?: PerfMarks }).MonacoPerformanceMarks;
  // The same extension host: which of the extension's bundles it has loaded by now.
  const dist = ext ? path.join(ext.extensionPath, 'dist') + path.sep : '\0';
  const bundles = Object.keys(require.cache).filter((k) => k.startsWith(dist)).map((k) => k.slice(dist.length));
  fs.writeFileSync(out, JSON.stringify({ active: !!ext?.isActive, marks: perf?.getMarks() ?? [], bundles }));
}
