import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryStore, type HistoryLimits } from '../../../src/history/historyStore';
import { HistoryWriter } from '../../../src/history/historyWriter';
import { nodeHistoryFs } from '../../../src/history/nodeHistoryFs';
import { SESSION_RECORD_VERSION, parseSessionRecord, type SessionRecord } from '../../../src/stream/sessionRecord';

function record(id: string, createdAt: number, text = 'hello'): SessionRecord {
  return {
    version: SESSION_RECORD_VERSION, id, title: `t ${id}`, model: 'claude-sonnet-5-5', createdAt, updatedAt: createdAt, state: 'complete',
    conversation: { params: { model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'q' }] }, partialText: '', interrupted: false },
    transcript: {
      type: 'snapshot', requestId: id, seq: 1, title: 't', notes: [], footer: {}, status: { state: 'complete' },
      blocks: [{ index: 0, block: { kind: 'text' }, content: text, done: true, citations: [] }],
    },
    usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    elapsedMs: 5,
  };
}

describe('history store', () => {
  let dir: string;
  let logs: string[];
  let limits: HistoryLimits;
  const store = () => new HistoryStore(nodeHistoryFs(dir), () => limits, (l) => logs.push(l));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-history-'));
    logs = [];
    limits = { maxAnswers: 500, maxBytes: 200 * 1024 * 1024 };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves and loads answers, newest first', async () => {
    const a = store();
    await a.save(record('a', 1));
    await a.save(record('b', 3));
    await a.save(record('c', 2));
    const loaded = await store().load();
    assert.deepEqual(loaded.map((r) => r.id), ['b', 'c', 'a']);
    assert.deepEqual(loaded[0], record('b', 3));
  });

  it('skips a corrupt, a foreign and an unreadable file with a log line, and loads the rest', async () => {
    await store().save(record('good', 1));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"version":1,');
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ ...record('other', 2), version: 99 }));
    fs.writeFileSync(path.join(dir, 'renamed.json'), JSON.stringify(record('not-renamed', 2)));
    fs.mkdirSync(path.join(dir, 'folder.json'));
    fs.writeFileSync(path.join(dir, 'README.txt'), 'not history');
    const loaded = await store().load();
    assert.deepEqual(loaded.map((r) => r.id), ['good']);
    assert.equal(logs.length, 4, logs.join('\n'));
    assert.ok(logs.every((l) => /^History: skipped /.test(l)));
  });

  it('a missing folder is an empty history', async () => {
    fs.rmSync(dir, { recursive: true });
    assert.deepEqual(await store().load(), []);
    assert.deepEqual(logs, []);
  });

  it('prunes the oldest past maxAnswers and past maxBytes, never the answer being saved', async () => {
    limits = { maxAnswers: 3, maxBytes: 1e9 };
    const s = store();
    for (let i = 1; i <= 5; i++) await s.save(record(`r${i}`, i));
    assert.deepEqual((await store().load()).map((r) => r.id), ['r5', 'r4', 'r3']);
    const size = fs.statSync(path.join(dir, 'r5.json')).size;
    limits = { maxAnswers: 100, maxBytes: size * 2 + 10 };
    await s.save(record('r6', 6));
    assert.deepEqual((await store().load()).map((r) => r.id), ['r6', 'r5']);
    limits = { maxAnswers: 100, maxBytes: 1 };
    await s.save(record('r7', 7, 'x'.repeat(1000)));
    assert.deepEqual((await store().load()).map((r) => r.id), ['r7'], 'the newest stays even when alone over the limit');
  });

  it('delete removes the file', async () => {
    const s = store();
    await s.save(record('gone', 1));
    await s.delete('gone');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('rejects records with a bad id or shape', () => {
    assert.equal(parseSessionRecord({ ...record('a', 1), id: '../../etc/passwd' }), undefined);
    assert.equal(parseSessionRecord({ ...record('a', 1), state: 'exploded' }), undefined);
    assert.equal(parseSessionRecord({ ...record('a', 1), transcript: { type: 'patch' } }), undefined);
    assert.equal(parseSessionRecord({ ...record('a', 1), usage: {} }), undefined);
    assert.ok(parseSessionRecord(record('a', 1)));
  });
});

describe('history writer', () => {
  it('writes a streaming answer at most once per interval, and at once when it ends', () => {
    const timers: (() => void)[] = [];
    const saved: SessionRecord[] = [];
    const w = new HistoryWriter({ save: async (r) => void saved.push(r), intervalMs: 1000, setTimer: (fn) => timers.push(fn), clearTimer: () => undefined });
    let running = true;
    const s = { id: 'a', get isRunning() { return running; }, toRecord: () => record('a', 1) };
    for (let i = 0; i < 10_000; i++) w.changed(s); // ten thousand deltas in one interval
    assert.equal(saved.length, 0);
    assert.equal(timers.length, 1, 'one timer for the whole burst');
    timers.shift()!();
    assert.equal(saved.length, 1);
    running = false;
    w.changed(s);
    assert.equal(saved.length, 2, 'the end is saved at once');
  });

  it('after detachAll (the window closes) nothing more is saved, so a cut-off answer stays "running" on disk', () => {
    const saved: SessionRecord[] = [];
    const w = new HistoryWriter({ save: async (r) => void saved.push(r), setTimer: () => 0, clearTimer: () => undefined });
    const s = { id: 'a', isRunning: true, toRecord: () => record('a', 1) };
    w.changed(s);
    void w.flushAll();
    assert.equal(saved.length, 1);
    w.detachAll();
    w.changed({ ...s, isRunning: false });
    assert.equal(saved.length, 1);
  });
});
