import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'ce-batch-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The host's reader, in tests: the uri is an absolute path. */
export const readByPath = (uri: string): Promise<Uint8Array> => fsp.readFile(uri);

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/batch');

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

export function fixtureLines(name: string): MessageBatchIndividualResponse[] {
  return readFileSync(path.join(FIXTURES, name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MessageBatchIndividualResponse);
}

export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** A MessageBatch as the API returns it. */
export function apiBatch(id: string, createdAt: Date, total: number, overrides: Partial<MessageBatch> = {}): MessageBatch {
  return {
    id,
    type: 'message_batch',
    processing_status: 'in_progress',
    request_counts: { processing: total, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: createdAt.toISOString(),
    expires_at: new Date(createdAt.getTime() + 24 * 3600_000).toISOString(),
    ended_at: null,
    cancel_initiated_at: null,
    archived_at: null,
    results_url: null,
    ...overrides,
  };
}

/** A settable clock. */
export function fakeClock(start: Date): { now: () => Date; advance: (ms: number) => void; set: (d: Date) => void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => (t += ms), set: (d) => (t = d.getTime()) };
}
