import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The only modules allowed to import `vscode`. Everything else in src/ is pure and runs in
 * plain Node (and is unit-tested there). Add a host module here deliberately, never a pure one.
 */
const HOST_MODULES = new Set([
  'src/extension.ts',
  'src/log.ts',
  'src/services.ts',
  'src/walkthrough.ts',
  'src/api/apiService.ts',
  'src/api/apiCommands.ts',
  'src/api/errorUi.ts',
  'src/api/modelStatusBar.ts',
  'src/stream/queueStatusBar.ts',
  'src/stream/responsePanel.ts',
  'src/stream/responseManager.ts',
  'src/stream/responsesView.ts',
  'src/stream/streamCommands.ts',
  'src/batch/batchCommands.ts',
  'src/batch/batchTreeProvider.ts',
  'src/batch/resultsPresenter.ts',
]);

const root = path.resolve(__dirname, '../../..');
const importsOf = (file: string) => fs.readFileSync(file, 'utf8');
const VSCODE_IMPORT = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\s*\(\s*['"]vscode['"]\s*\))/;
const SDK_IMPORT = /from\s+['"]@anthropic-ai\/sdk|require\(\s*['"]@anthropic-ai\/sdk/;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('module boundaries', () => {
  const files = walk(path.join(root, 'src')).map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('finds the sources', () => assert.ok(files.includes('src/extension.ts')));

  it('only host modules import vscode (pure modules stay testable in plain Node)', () => {
    const offenders = files.filter((f) => !HOST_MODULES.has(f) && VSCODE_IMPORT.test(importsOf(path.join(root, f))));
    assert.deepEqual(offenders, [], `pure modules importing vscode: ${offenders.join(', ')}`);
  });

  it('the webview and the protocol import neither vscode nor the SDK', () => {
    const browserSide = files.filter((f) => f.startsWith('src/webview/') || f === 'src/protocol.ts');
    const offenders = browserSide.filter((f) => {
      const src = importsOf(path.join(root, f));
      return VSCODE_IMPORT.test(src) || SDK_IMPORT.test(src);
    });
    assert.deepEqual(offenders, []);
  });

  it('every listed host module exists', () => {
    for (const f of HOST_MODULES) assert.ok(fs.existsSync(path.join(root, f)), `${f} is listed but missing`);
  });
});
