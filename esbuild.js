// Bundles the extension host code (node, cjs, `vscode` external) and the webview (browser, iife)
// as two esbuild contexts. Flags: --watch, --production.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the shape VS Code's $esbuild-watch problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * The SDK is bundled apart, into dist/sdk.js, and required by src/api/sdk.ts on the first request:
 * it is three quarters of the host code and activation needs none of it.
 */
const sdkApart = {
  name: 'sdk-apart',
  setup(build) {
    build.onResolve({ filter: /^@anthropic-ai\/sdk$/ }, (args) =>
      args.kind === 'require-call' ? { path: './sdk.js', external: true } : undefined);
  },
};

/**
 * The batch feature is bundled apart too, into dist/batch.js, and required by
 * src/batch/batchLoader.ts when first needed: activation loads only the rest.
 */
const batchApart = {
  name: 'batch-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/index$/ }, (args) =>
      args.kind === 'require-call' && args.importer.endsWith('batchLoader.ts') ? { path: './batch.js', external: true } : undefined);
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
  legalComments: 'none',
};

async function main() {
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      plugins: [...common.plugins, sdkApart, batchApart],
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/batch/index.ts'],
      outfile: 'dist/batch.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      plugins: [...common.plugins, sdkApart],
    }),
    esbuild.context({
      ...common,
      entryPoints: ['node_modules/@anthropic-ai/sdk/index.mjs'],
      outfile: 'dist/sdk.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/webview/main.ts'],
      outfile: 'dist/webview.js',
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
    }),
  ]);
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.errors.length)) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
