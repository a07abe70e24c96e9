import { EDIT_SCHEMA, REVIEW_SCHEMA } from '../../../src/batch/requests/kinds';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import {
  buildBatchRequests,
  decodeText,
  estimateTokens,
  fileMessage,
  isValidCustomId,
  makeCustomId,
  MIN_CACHEABLE_TOKENS,
} from '../../../src/batch/requests/requestBuilder';
import { longestBacktickRun } from '../../../src/markdownFence';
import type { BuildOptions, CandidateFile } from '../../../src/batch/requests/requestBuilder';
import { estimateBatchCost, modelPrice } from '../../../src/batch/requests/batchCost';
import { readByPath, tempDir } from './helpers';
import Anthropic from '@anthropic-ai/sdk';
import { startServer, type LocalAnthropicServer } from '../../server/server';
import { countSubmissionTokens, evenSample } from '../../../src/batch/requests/tokenCount';
import { confirmationText } from '../../../src/batch/requests/confirmation';

const OPTIONS: BuildOptions = { model: 'claude-sonnet-4-5', maxTokens: 1024, instruction: 'Summarize.', maxFileBytes: 1000 };

describe('batch/requestBuilder', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  function file(rel: string, content: string | Uint8Array): CandidateFile {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return { uri: abs, relPath: rel, size: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength };
  }

  it('builds one request per file with a cached system block and the file in a fence', async () => {
    const a = file('src/a.ts', 'export const a = 1;\n');
    const result = await buildBatchRequests([a], readByPath, { ...OPTIONS, systemPrompt: 'Be brief.' });
    assert.equal(result.requests.length, 1);
    const req = result.requests[0]!;
    assert.equal(req.params.model, 'claude-sonnet-4-5');
    assert.equal(req.params.max_tokens, 1024);
    assert.deepEqual(req.params.system, [
      { type: 'text', text: 'Summarize.\n\nBe brief.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    assert.equal(req.params.messages.length, 1);
    assert.equal(req.params.messages[0]!.role, 'user');
    assert.equal(req.params.messages[0]!.content, 'File: src/a.ts\n\n```ts\nexport const a = 1;\n```\n');
    const m = result.manifest[0]!;
    assert.equal(m.customId, req.custom_id);
    assert.equal(m.uri, a.uri);
    assert.equal(m.relPath, 'src/a.ts');
    assert.equal(m.bytes, 20);
    assert.equal(m.sha256, createHash('sha256').update('export const a = 1;\n').digest('hex'));
    assert.ok(result.estimatedInputTokens > 0);
  });

  it('edit and review kinds ask for their JSON schema (structured outputs) and explain it in the cached block; answers ask for none', async () => {
    const a = file('src/a.ts', 'export const a = 1;\n');
    const answer = (await buildBatchRequests([a], readByPath, OPTIONS)).requests[0]!.params;
    assert.equal('output_config' in answer, false);
    const edit = (await buildBatchRequests([a], readByPath, { ...OPTIONS, kind: 'edit' })).requests[0]!.params;
    assert.deepEqual(edit.output_config, { format: { type: 'json_schema', schema: EDIT_SCHEMA } });
    const system = edit.system as { text: string; cache_control: unknown }[];
    assert.match(system[0]!.text, /^Summarize\.\n\nYou are editing the file/);
    assert.deepEqual(system[0]!.cache_control, { type: 'ephemeral', ttl: '1h' });
    const review = (await buildBatchRequests([a], readByPath, { ...OPTIONS, kind: 'review' })).requests[0]!.params;
    assert.deepEqual(review.output_config, { format: { type: 'json_schema', schema: REVIEW_SCHEMA } });
    // Every object of both schemas closes its properties, as structured outputs require.
    const closed = (node: unknown): boolean => {
      if (!node || typeof node !== 'object') return true;
      const o = node as Record<string, unknown>;
      if (o.type === 'object' && o.additionalProperties !== false) return false;
      return Object.values(o).every(closed);
    };
    assert.ok(closed(EDIT_SCHEMA) && closed(REVIEW_SCHEMA));
  });

  it('picks a fence longer than any backtick run in the file', () => {
    const text = 'a ``` b\n````` c\n';
    assert.equal(longestBacktickRun(text), 5);
    const msg = fileMessage('x.md', text);
    assert.ok(msg.includes('\n``````md\n'));
    assert.ok(msg.endsWith('\n``````\n'));
    assert.ok(fileMessage('x', 'no ticks').includes('```\nno ticks\n```'));
  });

  it('skips binary, empty, whitespace-only, too-large and invalid UTF-8 files, saying why', async () => {
    const reads: string[] = [];
    const reader = (uri: string) => {
      reads.push(uri);
      return readByPath(uri);
    };
    const files = [
      file('bin.png', new Uint8Array([0x89, 0x50, 0x00, 0x47])),
      file('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9])),
      file('empty.txt', ''),
      file('blank.txt', '  \n\t\n'),
      file('huge.log', 'x'.repeat(2000)),
      file('ok.txt', 'fine'),
    ];
    const result = await buildBatchRequests(files, reader, OPTIONS);
    assert.deepEqual(
      result.skipped.map((s) => [s.relPath, s.reason]),
      [
        ['bin.png', 'binary'],
        ['latin1.txt', 'binary'],
        ['empty.txt', 'empty'],
        ['blank.txt', 'empty'],
        ['huge.log', 'too-large'],
      ],
    );
    assert.deepEqual(result.manifest.map((m) => m.relPath), ['ok.txt']);
    assert.ok(!reads.some((u) => u.endsWith('huge.log')), 'a too-large file is never read');
  });

  it('reports files deleted or grown since selection, and uses the actual size of shrunk ones', async () => {
    const gone = file('gone.txt', 'soon gone');
    unlinkSync(gone.uri);
    const grown = file('grown.txt', 'small');
    writeFileSync(grown.uri, 'y'.repeat(5000));
    const shrunk = file('shrunk.txt', 'a longer text');
    writeFileSync(shrunk.uri, 'short');
    const result = await buildBatchRequests([gone, grown, shrunk], readByPath, OPTIONS);
    assert.deepEqual(result.skipped.map((s) => [s.relPath, s.reason]), [
      ['gone.txt', 'deleted'],
      ['grown.txt', 'changed'],
    ]);
    assert.equal(result.manifest[0]!.bytes, 5);
  });

  it('reports unreadable files', async () => {
    const result = await buildBatchRequests([{ uri: 'x', relPath: 'x', size: 1 }], async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    }, OPTIONS);
    assert.deepEqual(result.skipped, [{ relPath: 'x', reason: 'unreadable', detail: 'EACCES: permission denied' }]);
  });

  it('treats a NUL byte only in the first 8 KB as binary', () => {
    const late = new Uint8Array(9000).fill(0x61);
    late[8500] = 0;
    assert.equal(typeof decodeText(late), 'string');
    late[100] = 0;
    assert.equal(decodeText(late), undefined);
  });

  describe('custom_id', () => {
    const paths = [
      'a/index.ts',
      'b/index.ts',
      'c/d/index.ts',
      'docs/Überblick ü.md',
      '日本語/ファイル.txt',
      `${'deep/'.repeat(100)}${'long-name-'.repeat(10)}.ts`,
      '...',
      'weird name (copy) [2].js',
    ];

    it('is valid, unique and readable for duplicate, non-ASCII and 500-char paths', () => {
      assert.ok(paths[5]!.length > 500);
      const ids = paths.map((p, i) => makeCustomId(i, p));
      for (const id of ids) assert.ok(isValidCustomId(id), id);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids[0], 'f0-index_ts');
      assert.equal(ids[1], 'f1-index_ts');
      assert.equal(ids[3], 'f3-Uberblick_u_md');
      assert.equal(ids[5]!.length, 64);
      assert.ok(ids[5]!.endsWith('long-name-long-name-_ts'));
    });

    it('is deterministic and stays unique at large indexes', () => {
      const a = paths.map((p, i) => makeCustomId(i, p));
      const b = paths.map((p, i) => makeCustomId(i, p));
      assert.deepEqual(a, b);
      const many = new Set<string>();
      for (let i = 0; i < 100_000; i++) many.add(makeCustomId(i, 'same/name.ts'));
      assert.equal(many.size, 100_000);
    });

    it('is the same in built requests for the same candidates', async () => {
      const files = [file('x/index.ts', 'x'), file('y/index.ts', 'y')];
      const one = await buildBatchRequests(files, readByPath, OPTIONS);
      const two = await buildBatchRequests(files, readByPath, OPTIONS);
      assert.deepEqual(one.requests.map((r) => r.custom_id), two.requests.map((r) => r.custom_id));
      assert.notEqual(one.requests[0]!.custom_id, one.requests[1]!.custom_id);
    });
  });

  describe('estimates', () => {
    it('counts the system block per request and caches it only when long enough', () => {
      assert.deepEqual(estimateTokens(1000, 10, 5), { inputTokens: 1050, cachedTokens: 0, cacheWriteTokens: 0 });
      const big = MIN_CACHEABLE_TOKENS;
      assert.deepEqual(estimateTokens(1000, big, 5), {
        inputTokens: 1000 + big * 5,
        cacheWriteTokens: big,
        cachedTokens: big * 4,
      });
    });

    it('prices models per line and version, halves for batches and discounts cache reads', () => {
      const pick = (p: { input: number; output: number } | undefined) => p && { input: p.input, output: p.output };
      assert.deepEqual(pick(modelPrice('claude-sonnet-4-5-20250929')), { input: 3, output: 15 });
      assert.deepEqual(pick(modelPrice('claude-sonnet-5-5')), { input: 3, output: 15 });
      assert.deepEqual(pick(modelPrice('claude-opus-4-5')), { input: 5, output: 25 });
      assert.deepEqual(pick(modelPrice('claude-opus-5')), { input: 5, output: 25 });
      assert.deepEqual(pick(modelPrice('claude-opus-4-1')), { input: 15, output: 75 });
      assert.deepEqual(pick(modelPrice('claude-haiku-4-5-20251001')), { input: 1, output: 5 });
      assert.equal(modelPrice('claude-mythos-5'), undefined);
      const cost = estimateBatchCost({ inputTokens: 1_000_000, expectedOutputTokens: 1_000_000, cachedTokens: 0 }, 'claude-sonnet-4-5')!;
      assert.equal(cost.standardUsd, 18);
      assert.equal(cost.batchUsd, 9);
      assert.equal(cost.usd, 9);
      const cached = estimateBatchCost(
        { inputTokens: 1_000_000, expectedOutputTokens: 0, cachedTokens: 500_000, cacheWriteTokens: 100_000 },
        'claude-sonnet-4-5',
      )!;
      // 400k plain + 500k × 0.1 + 100k × 2 (1-hour cache writes) = 650k input-equivalent tokens at $3/MTok.
      assert.ok(Math.abs(cached.standardUsd - 1.95) < 1e-9);
      // Without caching, all 1M at $3/MTok, halved: $1.50; with it $0.975.
      assert.ok(Math.abs(cached.cacheSavingsUsd - (1.5 - 0.975)) < 1e-9);
      assert.equal(estimateBatchCost({ inputTokens: 1, expectedOutputTokens: 1, cachedTokens: 0 }, 'gpt-4'), undefined);
    });
  });
});

describe('batch/tokenCount (the API counter over the local server)', () => {
  let server: LocalAnthropicServer;
  let client: Anthropic;
  before(async () => {
    server = await startServer();
    client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: server.url, maxRetries: 0 });
  });
  after(() => server.close());

  const requestsOf = (n: number, system = 'Summarize.') =>
    Array.from({ length: n }, (_, i) => ({
      custom_id: `f${i}`,
      params: { model: 'claude-sonnet-4-5', max_tokens: 64, system: [{ type: 'text' as const, text: system }], messages: [{ role: 'user' as const, content: `File: f${i}.ts\n\n${'x'.repeat(100 * (i + 1))}` }] },
    }));
  const heuristic = { inputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0 };

  it('counts every request up to the limit, exactly what count_tokens says for each', async () => {
    const reqs = requestsOf(5);
    const counted = await countSubmissionTokens(reqs, (p) => client.messages.countTokens(p), heuristic);
    let sum = 0;
    for (const r of reqs) sum += (await client.messages.countTokens({ model: r.params.model, system: r.params.system, messages: r.params.messages })).input_tokens;
    assert.equal(counted.method, 'counted');
    assert.equal(counted.counted, 5);
    assert.equal(counted.inputTokens, sum);
    assert.ok(counted.systemTokens > 0);
  });

  it('samples past the limit, scales by size, and says so; the result is close to counting everything', async () => {
    const reqs = requestsOf(60);
    const sampled = await countSubmissionTokens(reqs, (p) => client.messages.countTokens(p), heuristic, { limit: 10, sample: 12 });
    const full = await countSubmissionTokens(reqs, (p) => client.messages.countTokens(p), heuristic, { limit: 100 });
    assert.equal(sampled.method, 'sampled');
    assert.equal(sampled.counted, 12);
    assert.ok(Math.abs(sampled.inputTokens - full.inputTokens) / full.inputTokens < 0.05, `${sampled.inputTokens} vs ${full.inputTokens}`);
    assert.deepEqual(evenSample(10, 4), [0, 3, 6, 9]);
  });

  it('counts the cache share when the shared instruction reaches the minimum, and falls back with the reason on failure', async () => {
    const big = await countSubmissionTokens(requestsOf(3, 'Rule. '.repeat(1500)), (p) => client.messages.countTokens(p), heuristic);
    assert.ok(big.systemTokens >= 1024);
    assert.equal(big.cacheWriteTokens, big.systemTokens);
    assert.equal(big.cachedTokens, big.systemTokens * 2);
    const failed = await countSubmissionTokens(requestsOf(2), async () => { throw new Error('count_tokens unavailable'); }, heuristic);
    assert.equal(failed.method, 'estimated');
    assert.equal(failed.inputTokens, 1);
    assert.match(confirmationText({ requests: requestsOf(2), skipped: [], tokens: heuristic }, 'claude-sonnet-4-5', 64, [], failed).detail, /token counting failed: count_tokens unavailable/);
  });
});
