// Loaded by the VS Code extension host through extensionTestsPath (the @vscode/test-electron
// contract, also used by the code-server backend): run() resolves when every test passed.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

function findTests(dir: string, suffix = '.test.js'): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full, suffix));
    else if (entry.name.endsWith(suffix)) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  if (process.env.CE_GREP) mocha.grep(process.env.CE_GREP);
  // CE_FILES=a,b: only test files whose name contains one of the words (`npm run test:faults`).
  const only = (process.env.CE_FILES ?? '').split(',').map((w) => w.trim()).filter(Boolean);
  // *untrusted* files need a window in Restricted Mode: they run only in that run (--untrusted).
  const untrustedRun = process.env.CE_UNTRUSTED === '1';
  // CE_BENCH_FILES=a,b (`run-integration.mjs --bench a,b`, from `npm run bench`): only the
  // benchmarks *.bench.js whose name contains a word, and none of the tests.
  const bench = (process.env.CE_BENCH_FILES ?? '').split(',').map((w) => w.trim()).filter(Boolean);
  if (bench.length > 0) {
    for (const file of findTests(__dirname, '.bench.js')) if (bench.some((w) => path.basename(file).includes(w))) mocha.addFile(file);
  }
  for (const file of bench.length > 0 ? [] : findTests(__dirname)) {
    const name = path.basename(file);
    if (name.includes('untrusted') !== untrustedRun) continue;
    if (only.length === 0 || only.some((w) => name.includes(w))) mocha.addFile(file);
  }

  // out/test/integration -> repo root
  const resultsFile = process.env.CE_RESULTS_FILE || path.resolve(__dirname, '../../../.test-results/integration.json');
  const tests: TestRecord[] = [];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const results = {
        suite: bench.length > 0 ? 'bench' : process.env.CE_UNTRUSTED === '1' ? 'untrusted' : 'integration',
        passes: tests.filter((t) => t.state === 'passed').length,
        failures,
        pending: tests.filter((t) => t.state === 'pending').length,
        durationMs: Date.now() - started,
        tests,
      };
      try {
        fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
        fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      } catch (e) {
        console.error(`could not write ${resultsFile}:`, e);
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: String(err?.message) }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
  });
}
