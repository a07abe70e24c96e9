import * as assert from 'node:assert/strict';
import { retryAfterMs } from '../../../src/api/retryAfter';
import { JobCancelledError, JobQueue, type Clock } from '../../../src/stream/jobQueue';

const tick = () => new Promise((r) => setImmediate(r));

/** A controllable clock: time moves only when the test says so. */
function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn, id: ++ids };
      timers.push(t);
      return t.id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { clock, advance };
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('JobQueue', () => {
  it('never runs more than `concurrency` jobs and runs them in order', async () => {
    const q = new JobQueue(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let peak = 0;
    const jobs = gates.map((g, i) =>
      q.enqueue(`job ${i}`, async () => {
        started.push(i);
        peak = Math.max(peak, q.snapshot().running.length);
        await g.promise;
        return i;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(q.snapshot().queued.length, 2);
    gates[0].resolve();
    await jobs[0].promise;
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    gates.forEach((g) => g.resolve());
    assert.deepEqual(await Promise.all(jobs.map((j) => j.promise)), [0, 1, 2, 3]);
    assert.equal(peak, 2);
    assert.equal(q.size, 0);
    assert.deepEqual(q.snapshot().finished, { succeeded: 4, failed: 0, cancelled: 0 });
  });

  it('cancelling a running job aborts its signal and settles it as cancelled at once', async () => {
    const q = new JobQueue(1);
    let aborted = false;
    const job = q.enqueue('long', ({ signal }) => new Promise((_, rej) => signal.addEventListener('abort', () => { aborted = true; rej(new Error('aborted')); })));
    const next = q.enqueue('next', async () => 'ran');
    await tick();
    assert.equal(job.state, 'running');
    job.cancel();
    await assert.rejects(job.promise, JobCancelledError);
    assert.ok(aborted);
    assert.equal(job.state, 'cancelled');
    assert.equal(await next.promise, 'ran', 'the queue moves on');
  });

  it('cancelling a queued job means it never starts', async () => {
    const q = new JobQueue(1);
    const gate = deferred();
    q.enqueue('first', () => gate.promise);
    let ran = false;
    const second = q.enqueue('second', async () => { ran = true; });
    second.cancel();
    gate.resolve();
    await assert.rejects(second.promise, JobCancelledError);
    await tick();
    assert.equal(ran, false);
  });

  it('a failing job is "failed" and does not stop the queue', async () => {
    const q = new JobQueue(1);
    const bad = q.enqueue('bad', async () => { throw new Error('boom'); });
    const good = q.enqueue('good', async () => 1);
    await assert.rejects(bad.promise, /boom/);
    assert.equal(bad.state, 'failed');
    assert.equal(await good.promise, 1);
  });

  it('pauses starting jobs for retry-after, then resumes', async () => {
    const { clock, advance } = fakeClock();
    const q = new JobQueue(2, clock);
    q.pauseFor(5000);
    let ran = false;
    const job = q.enqueue('waits', async () => { ran = true; });
    await tick();
    assert.equal(ran, false);
    assert.equal(q.snapshot().pausedUntil, 5000);
    advance(4999);
    await tick();
    assert.equal(ran, false);
    advance(1);
    await job.promise;
    assert.equal(ran, true);
    assert.equal(q.snapshot().pausedUntil, undefined);
  });

  it('cancelAll empties the queue', async () => {
    const q = new JobQueue(1);
    const jobs = [1, 2, 3].map((i) => q.enqueue(`j${i}`, ({ signal }) => new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('x'))))));
    q.cancelAll();
    for (const j of jobs) await assert.rejects(j.promise, JobCancelledError);
    assert.equal(q.size, 0);
  });
});

describe('retryAfterMs', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('reads retry-after-ms, retry-after seconds and dates', () => {
    assert.equal(retryAfterMs(h({ 'retry-after-ms': '250' })), 250);
    assert.equal(retryAfterMs(h({ 'retry-after': '3' })), 3000);
    assert.equal(retryAfterMs(h({ 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6_000);
    assert.equal(retryAfterMs(h({})), undefined);
  });
});
