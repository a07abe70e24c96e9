import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { startServer, type LocalAnthropicServer } from '../server/server';
import type { Fault } from '../server/types';
import { extensionApi, useServer } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import { StreamConversation, type StreamSink } from '../../src/stream/streamRunner';

/** A real collection before each memory reading (the extension host does not expose gc). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose_gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** A seeded RNG so a failing run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const quietSink = (): StreamSink & { text: string } => ({
  text: '',
  event(ev: RawMessageStreamEvent) {
    if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') this.text += ev.delta.text;
  },
  requestId() {},
  toolResult() {},
  nextTurn() {},
  continuation() {},
  interrupted() {},
});

describe('job queue under random faults (real extension host, real SDK, local server)', function () {
  this.timeout(180_000);
  let server: LocalAnthropicServer;
  let api: ExtensionApi;

  before(async () => {
    server = await startServer({ seed: 11 });
    api = await extensionApi();
    await useServer(server.url);
    await vscode.workspace.getConfiguration('claudeEvents').update('concurrency', 4, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('claudeEvents.setApiKey', 'sk-ant-queue-faults-0001');
  });
  after(async () => {
    await vscode.workspace.getConfiguration('claudeEvents').update('concurrency', undefined, vscode.ConfigurationTarget.Global);
    await useServer(undefined);
    await server.close();
  });

  it('200 jobs with random faults through concurrency 4: each ends once, in a definite state; the queue empties; memory returns', async () => {
    const queue = api.services.queue;
    const client = await api.services.api.getClient();
    const random = rng(2026);
    const faults: (Fault | undefined)[] = [
      undefined,
      undefined,
      { type: 'drop', afterEvent: 6 },
      { type: 'error', afterEvent: 5, errorType: 'overloaded_error' },
      { type: 'status', status: 500 },
      { type: 'status', status: 529 },
      { type: 'status', status: 429, retryAfterMs: 50 },
      { type: 'malformed', afterEvent: 4 },
    ];
    const runs = async (count: number) => {
      const invocations = new Map<number, number>();
      let peakRunning = 0;
      const unsubscribe = queue.onDidChange(() => (peakRunning = Math.max(peakRunning, queue.snapshot().running.length)));
      const jobs = Array.from({ length: count }, (_, i) => {
        const marker = `job-${i}-${Math.floor(random() * 1e9)}`;
        const fault = faults[Math.floor(random() * faults.length)];
        // The status faults answer once; the SDK's retry then gets a normal answer.
        server.control.script({ match: marker, fault, deltaDelayMs: random() < 0.2 ? 5 : undefined });
        const job = queue.enqueue(marker, async ({ id, signal }) => {
          invocations.set(id, (invocations.get(id) ?? 0) + 1);
          const conv = new StreamConversation({ model: 'claude-sonnet-5-5', max_tokens: 256, messages: [{ role: 'user', content: `Say hello (${marker})` }] });
          const outcome = await conv.run({ client, sink: quietSink(), signal, maxTurns: 1, autoContinue: 0, continuation: { build: () => { throw new Error('no continuation here'); } } });
          if (outcome.state === 'error') throw new Error(outcome.error.message);
          return outcome.state;
        });
        if (random() < 0.1) setTimeout(() => job.cancel(), Math.floor(random() * 40));
        return job;
      });
      const settled = await Promise.allSettled(jobs.map((j) => j.promise));
      unsubscribe();
      return { jobs, settled, invocations, peakRunning };
    };

    await runs(20); // warm-up: JIT, sockets, caches
    server.control.reset(); // the test server records every request; that is not ours to count
    await new Promise((r) => setTimeout(r, 500));
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const { jobs, settled, invocations, peakRunning } = await runs(200);

    const states = jobs.map((j) => j.state);
    assert.ok(states.every((s) => s === 'succeeded' || s === 'failed' || s === 'cancelled'), `definite states: ${[...new Set(states)].join(', ')}`);
    for (const [i, r] of settled.entries()) {
      if (jobs[i].state === 'succeeded') assert.equal(r.status, 'fulfilled');
      if (jobs[i].state === 'cancelled') assert.ok(r.status === 'rejected' && (r.reason as Error).name === 'JobCancelledError');
    }
    assert.ok([...invocations.values()].every((n) => n === 1), 'no job ran twice');
    assert.ok(invocations.size <= 200);
    assert.ok(peakRunning <= 4, `peak running ${peakRunning}`);
    assert.equal(queue.size, 0, 'the queue is empty');
    const counts = { succeeded: 0, failed: 0, cancelled: 0 };
    for (const s of states) counts[s as keyof typeof counts]++;
    console.log(`      outcomes: ${JSON.stringify(counts)}`);
    assert.ok(counts.succeeded > 50 && counts.failed > 10, 'the faults really happened');

    server.control.reset();
    await new Promise((r) => setTimeout(r, 1000));
    collectGarbage();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`      heap growth after the run: ${growthMb.toFixed(1)} MB`);
    assert.ok(growthMb < 20, `heap grew ${growthMb.toFixed(1)} MB`);
  });
});
