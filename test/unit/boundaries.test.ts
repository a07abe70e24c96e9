import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The shape of src/, enforced: which modules may touch `vscode`, and which way imports run
 * between the layers. Each failure names the offending file and import.
 */

/**
 * The only modules allowed to import `vscode`. Everything else in src/ is pure and runs in
 * plain Node (and is unit-tested there). Add a host module here deliberately, never a pure one.
 * Host modules are thin: commands, views, panels, presenters, the composition root.
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
  'src/batch/batchFeature.ts',
  'src/batch/batchLoader.ts',
  'src/batch/commands/context.ts',
  'src/batch/commands/findings.ts',
  'src/batch/commands/files.ts',
  'src/batch/commands/manage.ts',
  'src/batch/commands/notify.ts',
  'src/batch/commands/results.ts',
  'src/batch/commands/review.ts',
  'src/batch/commands/runNow.ts',
  'src/batch/commands/submit.ts',
  'src/batch/findings/findingsPresenter.ts',
  'src/batch/findings/reviewResults.ts',
  'src/batch/results/resultsPresenter.ts',
  'src/batch/review/editApplier.ts',
  'src/batch/review/proposalProvider.ts',
  'src/batch/review/reviewTreeProvider.ts',
  'src/batch/tree/batchTreeProvider.ts',
  'src/stream/codeActions.ts',
  'src/stream/conversationCommands.ts',
]);

type Layer = 'root' | 'services' | 'shared' | 'api' | 'stream' | 'batch' | 'webview';

/** The layer of a source file, from its folder. */
function layerOf(file: string): Layer {
  if (file === 'src/extension.ts') return 'root';
  if (file === 'src/services.ts') return 'services';
  const dir = file.split('/')[1];
  if (dir === 'api' || dir === 'stream' || dir === 'batch' || dir === 'webview') return dir;
  // Saved answers belong to the streaming feature (stream/ writes them, history/ stores them).
  if (dir === 'history') return 'stream';
  return 'shared'; // constants, settings, protocol, log, markdownFence: imported by all, import none of the features
}

/**
 * Which layers each layer may import. Features import downwards (batch → stream → api →
 * shared); `services.ts` is the composition contract that features receive (type-only), and
 * it names the api and stream services it carries. The webview sees only the protocol and
 * shared helpers.
 */
const MAY_IMPORT: Record<Layer, ReadonlySet<Layer>> = {
  root: new Set(['services', 'shared', 'api', 'stream', 'batch']),
  services: new Set(['shared', 'api', 'stream']),
  shared: new Set(['shared']),
  api: new Set(['shared', 'api', 'services']),
  stream: new Set(['shared', 'api', 'stream', 'services']),
  batch: new Set(['shared', 'api', 'stream', 'batch', 'services']),
  webview: new Set(['shared', 'webview']),
};

/** Packages the webview bundle may use (it runs in the browser, under the panel's CSP). */
const WEBVIEW_PACKAGES = new Set(['markdown-it']);
/** Shared modules the webview may import: nothing that touches vscode, Node or the SDK. */
const WEBVIEW_SHARED = new Set(['src/protocol.ts', 'src/protocolShape.ts', 'src/format/display.ts', 'src/markdownFence.ts', 'src/constants.ts']);

const root = path.resolve(__dirname, '../../..');
const SPEC = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const files = walk(path.join(root, 'src')).map((f) => path.relative(root, f).split(path.sep).join('/'));
/** Imports that exist at run time (`import type` is erased, so it cannot make a cycle). */
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s[^;]*?from\s+['"]([^'"]+)['"]/gm;
const runtimeImportsOf = new Map<string, string[]>(
  files.map((f) => {
    const src = fs.readFileSync(path.join(root, f), 'utf8');
    const typeOnly = new Set([...src.matchAll(TYPE_ONLY)].map((m) => m[1] as string));
    return [f, [...src.matchAll(SPEC)].map((m) => m[1] as string).filter((spec) => !typeOnly.has(spec))];
  }),
);
const importsOf = new Map<string, string[]>(
  files.map((f) => [f, [...fs.readFileSync(path.join(root, f), 'utf8').matchAll(SPEC)].map((m) => m[1] as string)]),
);

/** A relative import resolved to a file of src/, or undefined for a package. */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return [`${base}.ts`, `${base}/index.ts`].find((c) => files.includes(c)) ?? `${base}.ts`;
}

describe('module boundaries', () => {
  it('finds the sources', () => assert.ok(files.includes('src/extension.ts') && files.length > 40));

  it('only host modules import vscode (pure modules stay testable in plain Node)', () => {
    const offenders = files.filter((f) => !HOST_MODULES.has(f) && importsOf.get(f)!.includes('vscode'));
    assert.deepEqual(offenders, [], `pure modules importing vscode: ${offenders.join(', ')}`);
  });

  it('every listed host module exists', () => {
    for (const f of HOST_MODULES) assert.ok(files.includes(f), `${f} is listed but missing`);
  });

  it('imports run down the layers (batch → stream → api → shared helpers)', () => {
    const offenders: string[] = [];
    for (const f of files) {
      for (const spec of importsOf.get(f)!) {
        const target = resolve(f, spec);
        if (!target) continue;
        if (!files.includes(target)) offenders.push(`${f} imports ${spec}, which does not exist`);
        else if (!MAY_IMPORT[layerOf(f)].has(layerOf(target))) offenders.push(`${f} (${layerOf(f)}) imports ${spec} (${layerOf(target)})`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the webview imports only the protocol, shared helpers, its own files and markdown-it (never vscode or the SDK)', () => {
    const offenders: string[] = [];
    for (const f of files.filter((x) => layerOf(x) === 'webview' || WEBVIEW_SHARED.has(x))) {
      for (const spec of importsOf.get(f)!) {
        const target = resolve(f, spec);
        const ok = target ? layerOf(target) === 'webview' || WEBVIEW_SHARED.has(target) : WEBVIEW_PACKAGES.has(spec) && f !== 'src/protocol.ts';
        if (!ok) offenders.push(`${f} imports ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('shared helpers import no feature, and api imports neither stream nor batch', () => {
    // Covered by MAY_IMPORT; stated on its own so a failure reads as the rule it breaks.
    const offenders = files.flatMap((f) =>
      (layerOf(f) === 'shared' || layerOf(f) === 'api')
        ? importsOf.get(f)!.map((s) => [s, resolve(f, s)] as const)
            .filter(([, t]) => t && ['stream', 'batch', 'webview'].includes(layerOf(t)))
            .map(([s]) => `${f} imports ${s}`)
        : [],
    );
    assert.deepEqual(offenders, []);
  });

  it('the shared display wording imports nothing (the webview, the host and batch results all use it)', () => {
    assert.deepEqual(importsOf.get('src/format/display.ts'), []);
  });

  it('host modules take vscode as `import vscode = require(\'vscode\')`, never `import * as vscode`', () => {
    // esbuild turns `import * as` into a copy of the whole API object (hundreds of getters) per
    // module when the bundle loads; that was a third of the activation bundle's load time.
    const offenders = files.filter((f) => layerOf(f) !== 'webview' && /^\s*import\s+\*\s+as\s+\w+\s+from\s+['"]vscode['"]/m.test(fs.readFileSync(path.join(root, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('the activation bundle holds no batch feature code: it is reached only through batchLoader\'s require', () => {
    // What src/extension.ts loads at run time, minus the lazy edge that esbuild makes dist/batch.js.
    const lazy = (from: string, spec: string) => from === 'src/batch/batchLoader.ts' && spec === './index';
    const seen = new Set<string>();
    const visit = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const spec of runtimeImportsOf.get(f) ?? []) {
        const t = resolve(f, spec);
        if (t && files.includes(t) && !lazy(f, spec)) visit(t);
      }
    };
    visit('src/extension.ts');
    const batchAtActivation = [...seen].filter((f) => layerOf(f) === 'batch').sort();
    assert.deepEqual(batchAtActivation, ['src/batch/batchLoader.ts', 'src/batch/batchWake.ts']);
  });

  it('has no import cycles (at run time)', () => {
    const graph = new Map(files.map((f) => [f, runtimeImportsOf.get(f)!.map((s) => resolve(f, s)).filter((t): t is string => !!t && files.includes(t))]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const t of graph.get(f)!) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(cycles, []);
  });
});
