import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../..');
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');
const imports = (src: string): string[] => [...src.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('streaming core purity', () => {
  const pure = ['src/protocol.ts', 'src/api/cost.ts', ...['transcript', 'coalescer', 'continuation', 'panelHtml', 'resultSummary', 'textBuffer', 'responseSession'].map((f) => `src/stream/${f}.ts`)];
  const webview = fs.readdirSync(path.join(root, 'src/webview')).filter((f) => f.endsWith('.ts')).map((f) => `src/webview/${f}`);

  it('pure modules never import vscode', () => {
    for (const f of [...pure, ...webview]) assert.ok(!imports(read(f)).includes('vscode'), f);
  });

  it('webview code and protocol import neither vscode nor the SDK (only protocol, the display wording, markdown-it, own files)', () => {
    for (const f of [...webview, 'src/protocol.ts', 'src/protocolShape.ts']) {
      for (const spec of imports(read(f))) {
        assert.ok(spec === 'markdown-it' || spec === '../protocol' || spec === '../format/display' || spec.startsWith('./'), `${f} imports ${spec}`);
      }
    }
  });

  it('the shared display wording imports nothing (the webview, the host and batch results all use it)', () => {
    assert.deepEqual(imports(read('src/format/display.ts')), []);
  });
});
