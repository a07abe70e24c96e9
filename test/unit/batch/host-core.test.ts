import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { BatchPoller } from '../../../src/batch/batchPoller';
import type { PollerClock } from '../../../src/batch/batchPoller';
import { BatchesModel } from '../../../src/batch/batchesModel';
import { nodeFsPort } from '../../../src/batch/store/nodeFs';
import type { BatchRequestParams, ManifestEntry } from '../../../src/batch/requests/requestBuilder';
import { indexLabel, parseEditorIndex, resultsIndexMarkdown } from '../../../src/batch/results/resultsIndex';
import { inCompletionOrder } from '../../../src/batch/pool';
import { newRunId, ResultCacheStore } from '../../../src/batch/results/resultCache';
import type { MappedResult } from '../../../src/batch/results/mapResult';
import { ResultStateStore } from '../../../src/batch/store/resultStates';
import { BatchStore } from '../../../src/batch/store/batchStore';
import { confirmationText, describeSkipped, formatUsd } from '../../../src/batch/requests/confirmation';
import { combineGlobs, enabledPatterns, expandBraces } from '../../../src/batch/requests/globs';
import { endedMessage } from '../../../src/batch/tree/labels';
import { startServer, type LocalAnthropicServer } from '../../server/server';
import { apiBatch, tempDir } from './helpers';

/** Timers run only when the test says so. */
class ManualClock implements PollerClock {
  timers: { fn: () => void; ms: number; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.push({ fn, ms, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Runs the earliest timer and returns its delay. */
  async tick(): Promise<number> {
    this.timers.sort((a, b) => a.ms - b.ms);
    const t = this.timers.shift();
    assert.ok(t, 'a timer is pending');
    t.fn();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    return t.ms;
  }
}

describe('batch/submitPlan', () => {
  it('describes skipped files by reason, naming a few', () => {
    assert.equal(describeSkipped([]), 'Nothing skipped.');
    assert.equal(
      describeSkipped([
        { relPath: 'a.png', reason: 'binary' },
        { relPath: 'e.txt', reason: 'empty' },
        { relPath: 'b.png', reason: 'binary' },
        { relPath: 'c.png', reason: 'binary' },
        { relPath: 'd.png', reason: 'binary' },
        { relPath: 'big.log', reason: 'too-large' },
      ]),
      '6 skipped: 4 binary (a.png, b.png, c.png, +1 more); 1 empty (e.txt); 1 too large (big.log).',
    );
  });

  it('builds the confirmation with count, model, tokens, batch and standard cost, and the split', () => {
    const requests = [{ custom_id: 'a' }, { custom_id: 'b' }] as unknown as BatchRequestParams[];
    const text = confirmationText(
      { requests, skipped: [{ relPath: 'x.png', reason: 'binary' }], tokens: { inputTokens: 2_000_000, cachedTokens: 0, cacheWriteTokens: 0 } },
      'claude-sonnet-4-5',
      1000,
      [{ start: 0, end: 1, bytes: 1 }, { start: 1, end: 2, bytes: 1 }],
    );
    assert.equal(text.message, 'Send 2 files to Claude?');
    assert.match(text.detail, /Model: claude-sonnet-4-5/);
    assert.match(text.detail, /Estimated input tokens: ~2,000,000/);
    // 2M input at $3/M + 500 output at $15/M = 6.0075 standard, half as a batch.
    assert.match(text.detail, /\$3\.00 as a batch \(half price\), \$6\.01 run now/);
    assert.match(text.detail, /1 skipped: 1 binary \(x\.png\)/);
    assert.match(text.detail, /Split into 2 batches/);
    assert.match(confirmationText({ requests, skipped: [], tokens: { inputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0 } }, 'gpt-x', 1, []).detail, /unknown \(no price known for gpt-x\)/);
  });

  it('combines exclude globs without nesting braces', () => {
    assert.deepEqual(expandBraces('**/*.{ts,js}'), ['**/*.ts', '**/*.js']);
    assert.deepEqual(expandBraces('{a,b/{c,d}}/x'), ['a/x', 'b/c/x', 'b/d/x']);
    assert.equal(combineGlobs([]), undefined);
    assert.equal(combineGlobs(['**/node_modules/**']), '**/node_modules/**');
    assert.equal(combineGlobs(['**/out/**', '**/*.{log,tmp}', '**/out/**']), '{**/out/**,**/*.log,**/*.tmp}');
    assert.deepEqual(enabledPatterns({ '**/.git': true, '**/x': false, '**/y': { when: '$(basename).ts' } }), ['**/.git']);
  });

  it('formats money and the end notification', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.004), '< $0.01');
    assert.equal(formatUsd(1.234), '$1.23');
    assert.equal(endedMessage('msgbatch_1', { succeeded: 3, errored: 1, expired: 0, canceled: 0 }), 'Batch msgbatch_1 ended: 3 succeeded, 1 errored');
    assert.equal(
      endedMessage('msgbatch_1', { succeeded: 1, errored: 0, expired: 0, canceled: 0 }, true),
      'Batch msgbatch_1 ended while VS Code was closed: 1 succeeded',
    );
  });
});

describe('batch/resultsIndex (editor mode)', () => {
  it('lists failures first, marks what is open and says how to open the rest', () => {
    const md = resultsIndexMarkdown('msgbatch_1', [
      { customId: 'f0', relPath: 'b.ts', state: 'succeeded', opened: true },
      { customId: 'f1', relPath: 'a_b.ts', state: 'errored', opened: false },
    ], { mode: 'editor', model: 'claude-sonnet-4-5' });
    const lines = md.split('\n');
    assert.equal(lines[0], '# Batch results: `msgbatch_1`');
    assert.ok(md.includes('2 results: 1 succeeded · 1 errored'));
    assert.ok(md.includes('1 opened as documents now, the others open on demand'));
    // Reads cleanly: no HTML comments, no markers, just the files (failures first).
    assert.ok(lines.indexOf('- a\\_b.ts — **errored**') < lines.indexOf('- b.ts'));
    assert.ok(!md.includes('<!--') && !md.includes('(open)'));
  });

  it('gives back, from the text alone, the batch id and a link range per entry', () => {
    const items = [
      { customId: 'f0', relPath: 'src/b.ts', state: 'succeeded' as const, opened: true },
      { customId: 'f1', relPath: 'we*ird [x].ts', state: 'expired' as const, opened: false },
      { customId: 'ext id/1', state: 'canceled' as const, opened: false },
    ];
    const md = resultsIndexMarkdown('run-20250101000000000', items, { mode: 'editor' });
    const parsed = parseEditorIndex(md)!;
    assert.equal(parsed.batchId, 'run-20250101000000000');
    const lines = md.split('\n');
    const byLabel = Object.fromEntries(parsed.links.map((l) => [l.label, lines[l.line]!.slice(l.start, l.end)]));
    assert.deepEqual(byLabel, { 'src/b.ts': 'src/b.ts', 'we*ird [x].ts': 'we\\*ird \\[x\\].ts', 'ext id/1': 'ext id/1' });
    // The labels are what the presenter maps to custom_ids (indexLabel).
    assert.deepEqual(parsed.links.map((l) => l.label).sort(), items.map(indexLabel).sort());
    assert.equal(parseEditorIndex('# Something else\n- a\n'), undefined);
  });
});

describe('batch/pool inCompletionOrder', () => {
  it('yields values as they settle, rethrowing a rejection in its turn', async () => {
    const later = (v: number, ms: number) => new Promise<number>((r) => setTimeout(() => r(v), ms));
    const out: number[] = [];
    for await (const v of inCompletionOrder([later(1, 40), later(2, 5), later(3, 20)])) out.push(v);
    assert.deepEqual(out, [2, 3, 1]);
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const v of inCompletionOrder([later(1, 5), Promise.reject(new Error('boom')).catch((e) => later(0, 15).then(() => { throw e; }))])) seen.push(v);
    }, /boom/);
    assert.deepEqual(seen, [1]);
    assert.deepEqual(await (async () => { const a: number[] = []; for await (const v of inCompletionOrder<number>([])) a.push(v); return a; })(), []);
  });
});

describe('batch/resultCache', () => {
  const mapped = (customId: string): MappedResult => ({ customId, title: `${customId}.ts`, relPath: `${customId}.ts`, markdown: `# ${customId}\n`, state: 'succeeded' });

  it('keeps one file per result, opens by id, forgets a batch, and keeps the newest runs', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const cache = new ResultCacheStore(nodeFsPort(dir));
      await cache.put('msgbatch_1', mapped('f0'));
      await cache.put('msgbatch_1', mapped('../x'));
      assert.deepEqual(await new ResultCacheStore(nodeFsPort(dir)).get('msgbatch_1', 'f0'), mapped('f0'));
      assert.equal((await cache.get('msgbatch_1', '../x'))?.markdown, '# ../x\n');
      assert.equal(await cache.get('msgbatch_1', 'nope'), undefined);
      assert.equal(await cache.get('msgbatch_2', 'f0'), undefined);
      await cache.remove('msgbatch_1');
      assert.equal(await cache.get('msgbatch_1', 'f0'), undefined);
      const runs = Array.from({ length: 7 }, (_, i) => newRunId(new Date(Date.UTC(2025, 0, 1, 0, 0, i))));
      assert.match(runs[0]!, /^run-\d{17}$/);
      for (const run of runs) await cache.put(run, mapped('f0'));
      assert.deepEqual(await cache.pruneRuns(5), runs.slice(0, 2));
      assert.equal(await cache.get(runs[0]!, 'f0'), undefined);
      assert.ok(await cache.get(runs[6]!, 'f0'));
    } finally {
      cleanup();
    }
  });
});

describe('batch/resultStates', () => {
  it('persists per-request states across instances and merges', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const a = new ResultStateStore(nodeFsPort(dir));
      assert.equal(await a.has('msgbatch_1'), false);
      await a.merge('msgbatch_1', [['f0', 'succeeded'], ['f1', 'errored']]);
      await a.merge('msgbatch_1', [['f2', 'expired']]);
      const b = new ResultStateStore(nodeFsPort(dir));
      assert.deepEqual([...(await b.get('msgbatch_1'))], [['f0', 'succeeded'], ['f1', 'errored'], ['f2', 'expired']]);
      await b.remove('msgbatch_1');
      assert.equal(await new ResultStateStore(nodeFsPort(dir)).has('msgbatch_1'), false);
    } finally {
      cleanup();
    }
  });
});

describe('batch/batchPoller', () => {
  const batch = (status: MessageBatch['processing_status'], processing = 2) =>
    apiBatch('msgbatch_p', new Date(), 2, { processing_status: status, request_counts: { processing, succeeded: 2 - processing, errored: 0, canceled: 0, expired: 0 } });

  it('polls only working batches, backs off while unchanged, and stops when ended', async () => {
    const clock = new ManualClock();
    const seen: [string, boolean][] = [];
    const answers = [batch('in_progress'), batch('in_progress'), batch('in_progress'), batch('ended', 0)];
    const poller = new BatchPoller({
      retrieve: async () => answers.shift()!,
      onBatch: (b, changed) => void seen.push([b.processing_status, changed]),
      baseSeconds: () => 2,
      clock,
    });
    poller.track('msgbatch_ended', 'ended');
    assert.equal(poller.size, 0, 'an ended batch is never polled');
    poller.track('msgbatch_p', 'in_progress');
    assert.equal(await clock.tick(), 2000);
    assert.equal(await clock.tick(), 2000, 'the first poll saw a change');
    assert.equal(await clock.tick(), 3000, 'unchanged: x1.5');
    assert.equal(await clock.tick(), 4500);
    assert.deepEqual(seen, [['in_progress', true], ['in_progress', false], ['in_progress', false], ['ended', true]]);
    assert.equal(poller.isPolling('msgbatch_p'), false);
    assert.equal(clock.timers.length, 0);
  });

  it('backs off on errors and keeps polling', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const errors: string[] = [];
    const poller = new BatchPoller({
      retrieve: async () => {
        calls++;
        throw new Error('500');
      },
      onBatch: () => undefined,
      onError: (id) => errors.push(id),
      baseSeconds: () => 1,
      clock,
      rng: () => 0.5,
    });
    poller.track('msgbatch_e', 'canceling', true);
    assert.equal(await clock.tick(), 0);
    assert.equal(await clock.tick(), 2000);
    assert.equal(clock.timers[0]?.ms, 4000);
    assert.equal(calls, 2);
    assert.deepEqual(errors, ['msgbatch_e', 'msgbatch_e']);
    poller.dispose();
    assert.equal(clock.timers.length, 0);
  });
});

describe('batch/batchesModel (local server, real SDK)', () => {
  let server: LocalAnthropicServer;
  let client: Anthropic;
  before(async () => {
    server = await startServer();
    client = new Anthropic({ apiKey: 'sk-ant-unit-0123456789', baseURL: server.url, maxRetries: 0 });
  });
  after(() => server.close());

  const request = (id: string): BatchRequestParams => ({
    custom_id: id,
    params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: `File: ${id}.ts` }] },
  });
  const entry = (id: string): ManifestEntry => ({ customId: id, uri: `file:///w/${id}.ts`, relPath: `${id}.ts`, bytes: 1, sha256: '0'.repeat(64) });

  function model(dir: string, clock = new ManualClock(), splitLimits = {}) {
    const fs = nodeFsPort(dir);
    const store = new BatchStore(fs);
    return { store, clock, model: new BatchesModel({ store, states: new ResultStateStore(fs), getClient: async () => client, pollSeconds: () => 1, clock, splitLimits }) };
  }

  it('splits, records before create, polls to the end and remembers result states', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { model: m, clock } = model(dir, new ManualClock(), { maxRequests: 2 });
      const ended: string[] = [];
      const whileClosed: boolean[] = [];
      m.onDidEnd((r, info) => {
        ended.push(r.batchId!);
        whileClosed.push(info.whileClosed);
      });
      const ids = ['a', 'b', 'c'];
      const out = await m.submit({ model: 'claude-sonnet-4-5', instruction: 'x', requests: ids.map(request), manifest: ids.map(entry) });
      assert.equal(out.failure, undefined);
      assert.deepEqual(out.created.map((r) => r.requestCount), [2, 1]);
      assert.equal((await m.list()).length, 2);
      const [first] = out.created;
      server.control.endBatch(first!.batchId!, { outcomes: { a: 'errored' } });
      // Polls go over HTTP: run each timer once it is set, until the end is seen.
      for (let i = 0; !ended.includes(first!.batchId!) && i < 500; i++) {
        if (clock.timers.length) await clock.tick();
        else await new Promise((r) => setTimeout(r, 10));
      }
      assert.deepEqual(ended, [first!.batchId]);
      assert.deepEqual(whileClosed, [false], 'seen working in this session');
      const record = (await m.get(first!.batchId!))!;
      assert.equal(BatchesModel.hasRetryable(record), true);
      assert.deepEqual(await m.retryIds(record), ['a']);
      const page = await m.requestPage(record, 0, 10);
      assert.deepEqual(page.rows, [{ customId: 'a', relPath: 'a.ts', state: 'errored' }, { customId: 'b', relPath: 'b.ts', state: 'succeeded' }]);
      // A fresh model over the same directory (a restart) knows the states without downloading.
      const before = server.control.requests().length;
      const again = model(dir).model;
      assert.deepEqual((await again.requestPage((await again.get(first!.batchId!))!, 1, 1)).rows, [{ customId: 'b', relPath: 'b.ts', state: 'succeeded' }]);
      assert.equal(server.control.requests().length, before);
      m.dispose();
    } finally {
      cleanup();
    }
  });

  it('announces, once, a batch that ended while VS Code was closed (store: in progress, API: ended)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { store } = model(dir);
      const batch = await client.messages.batches.create({ requests: [request('a')] });
      const pending = await store.beginSubmission({ model: 'claude-sonnet-4-5', instruction: 'x', requests: [request('a')], manifest: [entry('a')] });
      await store.markCreated(pending.localId, batch);
      server.control.endBatch(batch.id, { outcomes: { a: 'errored' } });
      // The next session.
      const { model: m } = model(dir);
      const ended: [string, boolean][] = [];
      m.onDidEnd((r, info) => ended.push([r.batchId!, info.whileClosed]));
      await m.reconcile();
      assert.deepEqual(ended, [[batch.id, true]]);
      assert.equal((await m.get(batch.id))?.lastKnown?.processing_status, 'ended');
      await m.reconcile();
      assert.deepEqual(ended, [[batch.id, true]], 'not announced twice');
      m.dispose();
    } finally {
      cleanup();
    }
  });

  it('a failed create leaves no record and reports the failure', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { model: m, store } = model(dir);
      server.control.failNextCreate(413);
      const out = await m.submit({ model: 'claude-sonnet-4-5', instruction: 'x', requests: [request('a')], manifest: [entry('a')] });
      assert.ok(out.failure instanceof Anthropic.APIError);
      assert.equal((out.failure as InstanceType<typeof Anthropic.APIError>).status, 413);
      assert.deepEqual(out.created, []);
      assert.deepEqual(await store.list(), []);
      m.dispose();
    } finally {
      cleanup();
    }
  });
});
