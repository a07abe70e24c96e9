// `CE_BENCH=apply npm run bench` (test/bench/apply.ts) runs this file in the real extension host
// through scripts/run-integration.mjs --bench apply; the integration suite never picks it up (it
// is not a *.test.js). It times Accept All of 1,000 proposed edits through the extension's own
// command (conflict check, WorkspaceEdit, saves, decisions), then writing the same 1,000 files with
// node fs in the same host, and writes both to .test-results/bench-apply.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startServer, type LocalAnthropicServer } from '../server/server';
import { connectBatches, disconnectBatches, extensionApi, waitFor } from './helpers';
import type { BatchHost } from '../../src/batch/batchFeature';
import type { SubmitResult } from '../../src/batch/commands/submit';
import type { ReviewMeta } from '../../src/batch/review/reviewStore';

const FILES = 1000;
const KEY = 'sk-ant-api03-apply-bench-0123456789';
const HEADER = 'Applied by the bench';
const FS_RUNS = 5;

/**
 * ~3 KB of code, different per file. Named .txt: a language extension reacting to 1,000 opened
 * documents (the built-in TypeScript one would sync each to tsserver) is not the applier's cost.
 */
function source(i: number): string {
  let out = `// module ${i}\n`;
  for (let k = 0; out.length < 3000; k++) out += `export function handler${i}_${k}(request: Request): Response {\n  return respond(request.body ?? 'none');\n}\n`;
  return out;
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

describe('bench: applying accepted edits (real extension host)', function () {
  this.timeout(600_000);
  let server: LocalAnthropicServer;
  let host: BatchHost;
  let dir: string;

  before(async () => {
    server = await startServer();
    host = (await extensionApi()).batches!;
    dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'applybench');
    for (let i = 0; i < FILES; i++) {
      const file = path.join(dir, `m${i % 20}`, `f${i}.txt`);
      if (i < 20) fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, source(i));
    }
    await connectBatches(server.url, KEY);
  });

  after(async () => {
    await vscode.commands.executeCommand('claudeEvents.batch.closeReview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The window's local history copies saved files a moment after each save.
    await new Promise((r) => setTimeout(r, 3000));
    // Retried: after a failed run the window may still be saving some of the files.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    await disconnectBatches();
    await server.close();
  });

  it(`Accept All of ${FILES} proposed edits, then the same files written with fs`, async () => {
    const rels = Array.from({ length: FILES }, (_, i) => `m${i % 20}/f${i}.txt`);
    const uris = rels.map((r) => vscode.Uri.file(path.join(dir, r)));
    const result = await vscode.commands.executeCommand<SubmitResult>('claudeEvents.batch.submit', {
      uris, instruction: `Add a header comment "${HEADER}".`, kind: 'edit', choice: 'batch',
    });
    assert.equal(result.status, 'submitted', JSON.stringify(result));
    if (result.status !== 'submitted') return;
    assert.equal(result.batchIds.length, 1);
    const batchId = result.batchIds[0]!;
    server.control.endBatch(batchId, {});
    await waitFor(async () => (await host.model.get(batchId))?.lastKnown?.processing_status === 'ended', 60_000, 'the poller to see the end');
    const meta = await vscode.commands.executeCommand<ReviewMeta>('claudeEvents.batch.openResults', batchId);
    assert.equal(meta.counts.proposed, FILES, JSON.stringify(meta.counts));

    const t = performance.now();
    const counts = await vscode.commands.executeCommand<{ accepted: number; conflicts: number; deleted: number; failed: number }>('claudeEvents.batch.acceptAllEdits', { confirmed: true });
    const applyMs = performance.now() - t;
    assert.deepEqual(counts, { accepted: FILES, conflicts: 0, deleted: 0, failed: 0 });
    const contents = rels.map((r, i) => {
      const text = fs.readFileSync(path.join(dir, r), 'utf8');
      assert.equal(text, `// ${HEADER}\n${source(i)}`, `${r} holds exactly the proposal`);
      return text;
    });
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.fsPath.startsWith(dir)).length;
    assert.equal(dirty, 0, 'every applied document is saved');
    // The edits stay undoable in their editors (models closed after the save get their undo back).
    for (const i of [0, FILES - 1]) {
      const doc = await vscode.workspace.openTextDocument(uris[i]!);
      await vscode.window.showTextDocument(doc, { preview: false });
      await waitFor(() => vscode.window.activeTextEditor?.document === doc, 5_000, `${rels[i]} to be the active editor`);
      await vscode.commands.executeCommand('undo');
      await waitFor(() => doc.getText() === source(i), 5_000, `undo in ${rels[i]}`);
      await vscode.commands.executeCommand('redo');
      await waitFor(() => doc.getText() === contents[i] && !doc.isDirty, 5_000, `redo in ${rels[i]}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // The same files, with the same new content, written by node fs in this host, 64 at a time.
    const fsMs: number[] = [];
    for (let run = 0; run < FS_RUNS; run++) {
      const t0 = performance.now();
      await pool(rels.map((r, i) => [path.join(dir, r), contents[i]!] as const), 64, ([file, text]) => fsp.writeFile(file, text));
      fsMs.push(performance.now() - t0);
    }
    fsMs.sort((a, b) => a - b);
    const out = path.join(path.dirname(process.env.CE_RESULTS_FILE ?? path.resolve(__dirname, '../../../.test-results/x')), 'bench-apply.json');
    fs.writeFileSync(out, JSON.stringify({ files: FILES, bytes: contents.reduce((n, c) => n + c.length, 0), applyMs, fsMs: fsMs[Math.floor(FS_RUNS / 2)], fsRunsMs: fsMs }, null, 2));
  });
});
