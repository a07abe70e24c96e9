import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { FolderResultsWriter, INDEX_STATE_FILE, resultFormat } from '../../../src/batch/results/folderResultsWriter';
import { LEDGER_FILE, LEDGER_SNAPSHOT_FILE } from '../../../src/batch/results/resultsLedger';
import type { FsPort } from '../../../src/batch/store/fsPort';
import { nodeFsPort } from '../../../src/batch/store/nodeFs';
import type { ManifestEntry } from '../../../src/batch/requests/requestBuilder';
import { asAsync, fixtureLines, tempDir } from './helpers';
import { english } from '../../../src/l10n';

function succeeded(id: string, text: string): MessageBatchIndividualResponse {
  return {
    custom_id: id,
    result: {
      type: 'succeeded',
      message: {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-5',
        content: [{ type: 'text', text, citations: null }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 2 } as never,
      } as never,
    },
  };
}

async function* failingAfter<T>(items: T[], k: number): AsyncGenerator<T> {
  for (let i = 0; i < items.length; i++) {
    if (i === k) throw new Error('connection reset');
    yield items[i] as T;
  }
}

/** nodeFsPort, recording which result files (not the ledger or the index) are read and written. */
function spyFs(root: string): { fs: FsPort; reads: string[]; writes: string[]; anyWrites: string[] } {
  const inner = nodeFsPort(root);
  const reads: string[] = [];
  const writes: string[] = [];
  const anyWrites: string[] = [];
  const result = (p: string) => ![LEDGER_FILE, LEDGER_SNAPSHOT_FILE, INDEX_STATE_FILE, 'index.md'].some((f) => p.endsWith(`/${f}`));
  return {
    reads,
    writes,
    anyWrites,
    fs: {
      ...inner,
      readFile: (p) => (result(p) && reads.push(p), inner.readFile(p)),
      writeFile: (p, d, o) => (anyWrites.push(p), result(p) && writes.push(p), inner.writeFile(p, d, o)),
      appendFile: (p, d) => (anyWrites.push(p), inner.appendFile(p, d)),
    },
  };
}

function rewriteLedger(file: string, change: (entry: Record<string, unknown>) => void): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  lines.forEach(change);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  // A ledger rewritten in place is what an older version leaves, and those wrote no snapshot.
  rmSync(path.join(path.dirname(file), LEDGER_SNAPSHOT_FILE), { force: true });
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), base) : [path.relative(base, path.join(dir, d.name)).split(path.sep).join('/')],
  );
}

describe('batch/FolderResultsWriter', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const N = 50;
  const lines = Array.from({ length: N }, (_, i) => succeeded(`f${i}-x`, `Answer ${i}`));
  const manifest = new Map<string, ManifestEntry>(
    lines.map((l, i) => [l.custom_id, { customId: l.custom_id, uri: `u${i}`, relPath: `src/d${i % 5}/file${i}.ts`, bytes: 1, sha256: '' }]),
  );
  const writer = (concurrency = 4) => new FolderResultsWriter({ fs: nodeFsPort(dir), batchId: 'msgbatch_1', manifest, model: 'claude-opus-5', concurrency });

  it('writes <batchId>/<relPath>.md and index.md', async () => {
    const counts = await writer().write(asAsync(lines));
    assert.deepEqual(counts, { written: N, unchanged: 0, succeeded: N, errored: 0, expired: 0, canceled: 0, indexWritten: true });
    const files = walk(path.join(dir, 'msgbatch_1'));
    assert.equal(files.filter((f) => f.endsWith('.md')).length, N + 1);
    assert.ok(files.includes('src/d3/file3.ts.md'));
    assert.ok(readFileSync(path.join(dir, 'msgbatch_1/src/d3/file3.ts.md'), 'utf8').endsWith('Answer 3\n'));
    const index = readFileSync(path.join(dir, 'msgbatch_1/index.md'), 'utf8');
    assert.ok(index.includes('- [src/d3/file3.ts](src/d3/file3.ts.md)'));
  });

  it('is idempotent: a second fetch writes nothing', async () => {
    await writer().write(asAsync(lines));
    const mtime = statSync(path.join(dir, 'msgbatch_1/src/d0/file0.ts.md')).mtimeMs;
    const ledgerSize = statSync(path.join(dir, 'msgbatch_1', LEDGER_FILE)).size;
    const counts = await writer().write(asAsync([...lines].reverse()));
    assert.equal(counts.written, 0);
    assert.equal(counts.unchanged, N);
    assert.equal(counts.indexWritten, false);
    assert.equal(statSync(path.join(dir, 'msgbatch_1/src/d0/file0.ts.md')).mtimeMs, mtime);
    assert.equal(statSync(path.join(dir, 'msgbatch_1', LEDGER_FILE)).size, ledgerSize);
  });

  it('a refetch trusts the ledger for results written in this format: no result file is read or written', async () => {
    await writer().write(asAsync(lines));
    const spy = spyFs(dir);
    const states: string[] = [];
    const counts = await new FolderResultsWriter({ fs: spy.fs, batchId: 'msgbatch_1', manifest, model: 'claude-opus-5', onResult: (_id, s) => states.push(s) }).write(asAsync(lines));
    assert.deepEqual(counts, { written: 0, unchanged: N, succeeded: N, errored: 0, expired: 0, canceled: 0, indexWritten: false });
    assert.equal(states.length, N, 'every state is still told');
    assert.deepEqual(spy.reads, []);
    assert.deepEqual(spy.anyWrites, [], 'nothing at all is written, not even the index state');
    const ledger = readFileSync(path.join(dir, 'msgbatch_1', LEDGER_FILE), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { fmt?: string });
    assert.ok(ledger.every((e) => e.fmt === resultFormat()));
    assert.match(resultFormat(), /^[0-9a-f]{16}$/);
  });

  it('keeps a result file the user edited, on the fast path and on the full comparison', async () => {
    await writer().write(asAsync(lines));
    const file = path.join(dir, 'msgbatch_1/src/d2/file2.ts.md');
    writeFileSync(file, 'my own notes\n');
    assert.equal((await writer().write(asAsync(lines))).written, 0);
    assert.equal(readFileSync(file, 'utf8'), 'my own notes\n');
    // A ledger written before formats were recorded: the hash decides, as it always did.
    rewriteLedger(path.join(dir, 'msgbatch_1', LEDGER_FILE), (e) => delete e['fmt']);
    const spy = spyFs(dir);
    const counts = await new FolderResultsWriter({ fs: spy.fs, batchId: 'msgbatch_1', manifest, concurrency: 4 }).write(asAsync(lines));
    assert.equal(counts.written, 0);
    assert.equal(counts.unchanged, N);
    assert.equal(readFileSync(file, 'utf8'), 'my own notes\n');
  });

  it('does not trust a ledger line of another format: the content is compared and rewritten when it differs', async () => {
    await writer().write(asAsync(lines));
    const file = path.join(dir, 'msgbatch_1/src/d4/file4.ts.md');
    const expected = readFileSync(file, 'utf8');
    writeFileSync(file, 'written by an older version\n');
    // What an older mapping would have recorded: another format, and the hash of its own output.
    rewriteLedger(path.join(dir, 'msgbatch_1', LEDGER_FILE), (e) => {
      e['fmt'] = 'an-older-format0';
      if (e['id'] === 'f4-x') e['sha'] = '0'.repeat(64);
    });
    const spy = spyFs(dir);
    const counts = await new FolderResultsWriter({ fs: spy.fs, batchId: 'msgbatch_1', manifest, concurrency: 4 }).write(asAsync(lines));
    assert.equal(counts.written, 1);
    assert.equal(counts.unchanged, N - 1);
    assert.deepEqual(spy.writes, ['msgbatch_1/src/d4/file4.ts.md']);
    assert.equal(readFileSync(file, 'utf8'), expected);
  });

  it('rebuilds index.md only when the ledger, the model or the file itself changed', async () => {
    await writer().write(asAsync(lines));
    const index = path.join(dir, 'msgbatch_1/index.md');
    const original = readFileSync(index, 'utf8');
    // Edited or deleted by the user: written again, as before.
    writeFileSync(index, 'my notes\n');
    assert.equal((await writer().write(asAsync(lines))).indexWritten, true);
    assert.equal(readFileSync(index, 'utf8'), original);
    unlinkSync(index);
    assert.equal((await writer().write(asAsync(lines))).indexWritten, true);
    assert.equal(readFileSync(index, 'utf8'), original);
    // Another model: another index.
    const other = await new FolderResultsWriter({ fs: nodeFsPort(dir), batchId: 'msgbatch_1', manifest, model: 'claude-other' }).write(asAsync(lines));
    assert.equal(other.indexWritten, true);
    assert.match(readFileSync(index, 'utf8'), /claude-other/);
    // A result written again (its file was deleted) grows the ledger: the index is rebuilt, the same.
    await writer().write(asAsync(lines));
    unlinkSync(path.join(dir, 'msgbatch_1/src/d1/file1.ts.md'));
    const again = await writer().write(asAsync(lines));
    assert.equal(again.written, 1);
    assert.equal(again.indexWritten, false);
    assert.equal(readFileSync(index, 'utf8'), original);
    // A state file that is not ours is ignored.
    writeFileSync(path.join(dir, 'msgbatch_1', INDEX_STATE_FILE), '{"ledgerBytes":');
    assert.equal((await writer().write(asAsync(lines))).indexWritten, false);
    assert.equal(readFileSync(index, 'utf8'), original);
  });

  it('rebuilds index.md in a new display language even when nothing else changed', async () => {
    // Only the index's own line is translated, so the result documents (and the ledger) stay the same.
    const l10n = { t: (m: string, ...a: Array<string | number | boolean>) => (m.startsWith('{0} results') ? '[de] ' : '') + english.t(m, ...a) };
    const inGerman = () => new FolderResultsWriter({ fs: nodeFsPort(dir), batchId: 'msgbatch_1', manifest, model: 'claude-opus-5', l10n });
    await inGerman().write(asAsync(lines));
    const index = path.join(dir, 'msgbatch_1/index.md');
    assert.match(readFileSync(index, 'utf8'), /\[de\] /);
    assert.equal((await inGerman().write(asAsync(lines))).indexWritten, false, 'same language: not rebuilt');
    assert.equal((await writer().write(asAsync(lines))).indexWritten, true, 'back in English: rebuilt');
    assert.doesNotMatch(readFileSync(index, 'utf8'), /\[de\] /);
  });

  it('rewrites a result file the user deleted', async () => {
    await writer().write(asAsync(lines));
    const file = path.join(dir, 'msgbatch_1/src/d1/file1.ts.md');
    const before = readFileSync(file, 'utf8');
    unlinkSync(file);
    const counts = await writer().write(asAsync(lines));
    assert.equal(counts.written, 1);
    assert.equal(counts.unchanged, N - 1);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('resumes after the download breaks at line k, ending complete with no duplicates', async () => {
    const k = 23;
    await assert.rejects(writer().write(failingAfter(lines, k)), /connection reset/);
    const partial = walk(path.join(dir, 'msgbatch_1')).filter((f) => f.endsWith('.md'));
    assert.equal(partial.length, k, 'everything before the break is written, no index yet');
    const counts = await writer().write(asAsync(lines));
    assert.equal(counts.written, N - k);
    assert.equal(counts.unchanged, k);
    const files = walk(path.join(dir, 'msgbatch_1'));
    assert.equal(files.filter((f) => f.endsWith('.md')).length, N + 1);
    assert.ok(!files.some((f) => f.endsWith('.tmp')));
    const index = readFileSync(path.join(dir, 'msgbatch_1/index.md'), 'utf8');
    assert.equal(index.split('\n').filter((l) => l.startsWith('- ')).length, N);
  });

  it('a refetch reads the ledger snapshot, not the ledger; a stale snapshot is ignored', async () => {
    await writer().write(asAsync(lines.slice(0, 10)));
    const staleSnapshot = readFileSync(path.join(dir, 'msgbatch_1', LEDGER_SNAPSHOT_FILE));
    await writer().write(asAsync(lines));
    // The snapshot names every entry of the ledger, in place of its lines.
    unlinkSync(path.join(dir, 'msgbatch_1/src/d2/file7.ts.md'));
    const ledgerReads: string[] = [];
    const inner = nodeFsPort(dir);
    const spy: FsPort = { ...inner, readFile: (p) => (p.endsWith(LEDGER_FILE) && ledgerReads.push(p), inner.readFile(p)) };
    const counts = await new FolderResultsWriter({ fs: spy, batchId: 'msgbatch_1', manifest, model: 'claude-opus-5' }).write(asAsync(lines));
    assert.deepEqual(ledgerReads, []);
    assert.equal(counts.written, 1, 'a deleted result file is written again');
    assert.equal(counts.unchanged, N - 1);
    assert.ok(readFileSync(path.join(dir, 'msgbatch_1/src/d2/file7.ts.md'), 'utf8').endsWith('Answer 7\n'));
    // A snapshot of a shorter ledger (a crash between the ledger and the snapshot): the ledger decides.
    writeFileSync(path.join(dir, 'msgbatch_1', LEDGER_SNAPSHOT_FILE), staleSnapshot);
    unlinkSync(path.join(dir, 'msgbatch_1/src/d3/file13.ts.md'));
    const again = await writer().write(asAsync(lines));
    assert.equal(again.written, 1);
    assert.equal(again.unchanged, N - 1);
    const third = await writer().write(asAsync(lines));
    assert.deepEqual([third.written, third.unchanged, third.indexWritten], [0, N, false]);
  });

  it('survives a torn last ledger line', async () => {
    await writer().write(asAsync(lines.slice(0, 10)));
    writeFileSync(path.join(dir, 'msgbatch_1', LEDGER_FILE), readFileSync(path.join(dir, 'msgbatch_1', LEDGER_FILE), 'utf8') + '{"id":"f1');
    const counts = await writer().write(asAsync(lines));
    assert.equal(counts.written, N - 10);
  });

  it('counts every state, names external results by custom_id and keeps colliding paths apart', async () => {
    const bad = fixtureLines('05-results-nonsuccess.SYNTHESIZED.jsonl');
    const collide = new Map<string, ManifestEntry>([
      ['file-003', { customId: 'file-003', uri: 'a', relPath: 'src/A.ts', bytes: 1, sha256: '' }],
      ['file-004', { customId: 'file-004', uri: 'b', relPath: 'src/a.ts', bytes: 1, sha256: '' }],
      ['file-005', { customId: 'file-005', uri: 'c', relPath: '../../outside', bytes: 1, sha256: '' }],
    ]);
    const states: string[] = [];
    const counts = await new FolderResultsWriter({
      fs: nodeFsPort(dir),
      batchId: 'msgbatch_2',
      manifest: collide,
      onResult: (_id, s) => states.push(s),
    }).write(asAsync(bad));
    assert.deepEqual(counts, { written: 4, unchanged: 0, succeeded: 0, errored: 2, expired: 1, canceled: 1, indexWritten: true });
    assert.deepEqual(states, ['errored', 'errored', 'canceled', 'expired']);
    assert.deepEqual(walk(path.join(dir, 'msgbatch_2')).filter((f) => f.endsWith('.md')).sort(), [
      '_by-id/file-004.md',
      '_by-id/file-005.md',
      '_by-id/file-006.md',
      'index.md',
      'src/A.ts.md',
    ]);
    assert.match(readFileSync(path.join(dir, 'msgbatch_2/src/A.ts.md'), 'utf8'), /\*\*Errored\*\*: invalid_request_error/);
  });
});
