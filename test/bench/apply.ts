// Applying accepted edits in the real extension host: test/integration/applyBench.bench.ts, run
// by scripts/run-integration.mjs (code-server, the dev bundle, a copy of the fixture workspace),
// times Accept All of 1,000 proposed edits and writing the same 1,000 files with node fs in the
// same host; this turns its JSON into rows.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Row } from './batch';

const ROOT = path.resolve(__dirname, '../../..');

interface ApplyResult { files: number; bytes: number; applyMs: number; fsMs: number; fsRunsMs: number[] }

export function benchApply(): Row[] {
  const out = path.join(ROOT, '.test-results', 'bench-apply.json');
  fs.rmSync(out, { force: true });
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-integration.mjs'), '--backend', 'code-server', '--bench', 'applyBench'], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, CE_TIMEOUT: '900' },
  });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`the apply bench failed (exit ${r.status}); see .test-results/bench.json`);
  const res = JSON.parse(fs.readFileSync(out, 'utf8')) as ApplyResult;
  const ratio = res.applyMs / res.fsMs;
  return [
    { name: `apply: Accept All of ${res.files} proposed edits (${(res.bytes / 1e6).toFixed(1)} MB) in the extension host`, value: `${res.applyMs.toFixed(0)} ms`, target: '', ok: true },
    { name: `apply: writing the same ${res.files} files with node fs in that host (64 at a time, median of ${res.fsRunsMs.length})`, value: `${res.fsMs.toFixed(0)} ms`, target: '', ok: true },
    { name: `apply 1: applying ${res.files} accepted edits ÷ writing the same files with fs`, value: ratio.toFixed(2), target: '≤ 3', ok: ratio <= 3 },
  ];
}
