/**
 * Batch core benchmarks: `node out/test/bench/batch.js` after `tsc -p .`.
 * 1. Building requests for 10,000 ~4 KB files vs just reading them (same bounded pool).
 * 2. Folder-mode results writer vs a bare iteration of the same results.
 * 3. First page of children (100,000 entries) from a cold store.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { FolderResultsWriter } from '../../src/batch/results/folderResultsWriter';
import { nodeFsPort } from '../../src/batch/store/nodeFs';
import { mapPool } from '../../src/batch/pool';
import { buildBatchRequests } from '../../src/batch/requests/requestBuilder';
import type { CandidateFile, ManifestEntry } from '../../src/batch/requests/requestBuilder';
import { BatchStore } from '../../src/batch/store/batchStore';
import { HEAD_ENTRIES } from '../../src/batch/store/manifestCodec';

export interface Row {
  name: string;
  value: string;
  target: string;
  ok: boolean;
}

const LINE = 'export function handler(request: Request): Response { return respond(request.body ?? `none`); }\n';

function codeText(bytes: number, seed: number): string {
  let out = `// file ${seed}\n`;
  while (out.length < bytes) out += LINE.replace('handler', `handler${out.length % 97}`);
  return out.slice(0, bytes);
}

async function median(runs: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** 1. Builder vs bare reads. */
export async function benchBuilder(fileCount = 10_000): Promise<Row[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ce-bench-build-'));
  try {
    const files: CandidateFile[] = [];
    for (let i = 0; i < fileCount; i++) {
      const rel = `src/m${i % 50}/file${i}.ts`;
      const abs = path.join(dir, rel);
      if (i < 50) mkdirSync(path.dirname(abs), { recursive: true });
      const size = 1024 + ((i * 7919) % 6144); // 1-7 KB, mean ≈ 4 KB
      writeFileSync(abs, codeText(size, i));
      files.push({ uri: abs, relPath: rel, size });
    }
    const read = (uri: string) => fsp.readFile(uri);
    const options = { model: 'claude-sonnet-4-5', maxTokens: 1024, instruction: 'Summarize.', maxFileBytes: 200_000 };
    // Warm the page cache so both sides measure the same thing.
    await mapPool(files, 32, (f) => read(f.uri));
    // Alternate the two so that load from other processes hits both alike; medians of 7.
    const readTimes: number[] = [];
    const buildTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      readTimes.push(await median(1, async () => void (await mapPool(files, 32, (f) => read(f.uri)))));
      buildTimes.push(await median(1, async () => void (await buildBatchRequests(files, read, options))));
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const readMs = mid(readTimes);
    const buildMs = mid(buildTimes);
    const ratio = buildMs / readMs;
    return [
      { name: `build ${fileCount} files (~4 KB)`, value: `${buildMs.toFixed(0)} ms`, target: '', ok: true },
      { name: `read only (same pool of 32)`, value: `${readMs.toFixed(0)} ms`, target: '', ok: true },
      { name: 'build ÷ read', value: ratio.toFixed(2), target: '≤ 1.5', ok: ratio <= 1.5 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FolderWriterBench {
  /** The first bare iteration, just before the writer. */
  bareMs: number;
  writerMs: number;
  /** Median of the idempotent refetches (nothing rewritten). */
  secondFetchMs: number;
  /** Median over pairs of a refetch ÷ the bare iteration right after it. */
  refetchRatio: number;
  ratio: number;
  peakRssGrowthMb: number;
  written: number;
}

/**
 * Times the folder writer over `results()` against a bare `for await` over a fresh iterable from
 * the same factory. Call it with the real SDK over the local server
 * (`() => client.messages.batches.results(id)`) to compare against HTTP + JSONL parsing.
 * The refetch is timed `refetchPairs` times, each next to a bare iteration, so that the ratio of
 * a pair is measured under the same load (the machine is shared; a lone pair can be far off).
 */
export async function benchFolderWriter(
  results: () => AsyncIterable<MessageBatchIndividualResponse> | Promise<AsyncIterable<MessageBatchIndividualResponse>>,
  manifest: ReadonlyMap<string, ManifestEntry> = new Map(),
  refetchPairs = 1,
): Promise<FolderWriterBench> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ce-bench-results-'));
  try {
    let n = 0;
    const bare = async (): Promise<number> => {
      const t = performance.now();
      n = 0;
      for await (const line of await results()) if (line.custom_id) n++;
      return performance.now() - t;
    };
    const bareMs = await bare();

    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peak = baseRss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const writer = new FolderResultsWriter({ fs: nodeFsPort(dir), batchId: 'msgbatch_bench', manifest });
    let writerMs = performance.now();
    const counts = await writer.write(await results());
    writerMs = performance.now() - writerMs;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (counts.written !== n) throw new Error(`unexpected counts ${JSON.stringify({ counts, n })}`);

    const refetchMs: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < refetchPairs; i++) {
      let ms = performance.now();
      const again = await new FolderResultsWriter({ fs: nodeFsPort(dir), batchId: 'msgbatch_bench', manifest }).write(await results());
      ms = performance.now() - ms;
      if (again.written !== 0 || again.unchanged !== n) throw new Error(`unexpected refetch counts ${JSON.stringify({ again, n })}`);
      refetchMs.push(ms);
      ratios.push(ms / (await bare()));
    }
    return {
      bareMs, writerMs, secondFetchMs: mid(refetchMs), refetchRatio: mid(ratios), ratio: writerMs / bareMs,
      peakRssGrowthMb: (peak - baseRss) / 2 ** 20, written: counts.written,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function syntheticResult(i: number): MessageBatchIndividualResponse {
  const text = `## Summary of file${i}\n\n` + 'This module wires the request handler to the response helpers. '.repeat(30);
  return {
    custom_id: `f${i.toString(36)}-file${i}_ts`,
    result: {
      type: 'succeeded',
      message: {
        id: `msg_${i}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text, citations: null }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1200, output_tokens: 480 },
      } as never,
    },
  };
}

async function* syntheticResults(count: number): AsyncGenerator<MessageBatchIndividualResponse> {
  for (let i = 0; i < count; i++) yield syntheticResult(i);
}

export function manifestFor(count: number): ManifestEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    customId: `f${i.toString(36)}-file${i}_ts`,
    uri: `file:///home/dev/projects/app/src/module${i % 200}/file${i}.ts`,
    relPath: `src/module${i % 200}/file${i}.ts`,
    bytes: 4096,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  }));
}

/**
 * The file system's floor: the same number of ~2 KB files in 200 folders, written with a bare
 * `fs.promises.writeFile` at the writer's concurrency. No writer can beat it.
 */
async function writeFloorMs(count: number, concurrency = 64): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ce-bench-floor-'));
  try {
    for (let d = 0; d < 200; d++) mkdirSync(path.join(dir, `module${d}`));
    const data = Buffer.alloc(2200, 0x61);
    const t = performance.now();
    await mapPool(Array.from({ length: count }, (_, i) => i), concurrency, (i) =>
      fsp.writeFile(path.join(dir, `module${i % 200}`, `file${i}.ts.md`), data),
    );
    return performance.now() - t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 2. In-process results generator (no HTTP, no JSON parsing). */
async function benchWriterRows(count = 100_000): Promise<Row[]> {
  const manifest = new Map(manifestFor(count).map((e) => [e.customId, e]));
  const r = await benchFolderWriter(() => syntheticResults(count), manifest);
  const floorMs = await writeFloorMs(count);
  return [
    { name: 'bare fs.writeFile of as many files (floor)', value: `${floorMs.toFixed(0)} ms`, target: '', ok: true },
    { name: 'writer ÷ file-system floor', value: (r.writerMs / floorMs).toFixed(2), target: '', ok: true },
    { name: `folder writer, ${count} results (~2 KB)`, value: `${r.writerMs.toFixed(0)} ms`, target: '', ok: true },
    { name: 'bare in-process iteration', value: `${r.bareMs.toFixed(0)} ms`, target: '', ok: true },
    { name: 'writer ÷ bare (in-process)', value: r.ratio.toFixed(1), target: '≤ 1.5 vs SDK', ok: r.ratio <= 1.5 },
    { name: 'second fetch (all unchanged)', value: `${r.secondFetchMs.toFixed(0)} ms`, target: '', ok: true },
    { name: 'peak RSS growth while writing', value: `${r.peakRssGrowthMb.toFixed(0)} MB`, target: '≤ 200 MB', ok: r.peakRssGrowthMb <= 200 },
  ];
}

/** 3. Cold first page of a 100,000-request batch. */
export async function benchFirstPage(count = 100_000, pageSize = count): Promise<Row[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ce-bench-store-'));
  try {
    const manifest = manifestFor(count);
    const requests = manifest.map((m) => ({ custom_id: m.customId, params: { model: 'm', max_tokens: 1, messages: [] } }));
    const record = await new BatchStore(nodeFsPort(dir)).beginSubmission({ model: 'm', instruction: 'i', requests, manifest, keepRequests: false });
    const times: number[] = [];
    const pastHead: number[] = [];
    for (let i = 0; i < 5; i++) {
      const cold = new BatchStore(nodeFsPort(dir));
      let t = performance.now();
      const page = await cold.manifestPage(record, 0, pageSize);
      times.push(performance.now() - t);
      if (page.entries.length !== Math.min(pageSize, count)) throw new Error("short page");
      // A page past the manifest's head, from another cold store: the whole manifest is parsed.
      const other = new BatchStore(nodeFsPort(dir));
      t = performance.now();
      await other.manifestPage(record, HEAD_ENTRIES, pageSize);
      pastHead.push(performance.now() - t);
    }
    const ms = mid(times);
    return [
      { name: `batch 3: first tree page (${Math.min(pageSize, count)}) of a ${count}-request batch, cold store`, value: `${ms.toFixed(0)} ms`, target: '≤ 100 ms', ok: ms <= 100 },
      { name: `batch: a page past the first ${HEAD_ENTRIES} children, cold store (the whole manifest is read)`, value: `${mid(pastHead).toFixed(0)} ms`, target: '(reference)', ok: true },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]): void {
  const w = [Math.max(...rows.map((r) => r.name.length)), Math.max(...rows.map((r) => r.value.length)), 14];
  console.log(`| ${'benchmark'.padEnd(w[0]!)} | ${'result'.padEnd(w[1]!)} | ${'target'.padEnd(w[2]!)} |    |`);
  console.log(`|${'-'.repeat(w[0]! + 2)}|${'-'.repeat(w[1]! + 2)}|${'-'.repeat(w[2]! + 2)}|----|`);
  for (const r of rows) {
    console.log(`| ${r.name.padEnd(w[0]!)} | ${r.value.padEnd(w[1]!)} | ${r.target.padEnd(w[2]!)} | ${r.target ? (r.ok ? 'ok' : '✗ ') : '  '} |`);
  }
}

async function main(): Promise<void> {
  const rows = [...(await benchBuilder()), ...(await benchWriterRows()), ...(await benchFirstPage())];
  printTable(rows);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
