import type { ServerResponse } from 'node:http';
import type { BatchCreateParams, MessageBatch, MessageBatchRequestCounts } from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchOutcome, CreateFailure, EndBatchOptions, SyntheticBatchOptions } from './types';
import { answerFor } from './answers';
import { estimateTokens } from './events';
import { HttpError, isRecord, statusErrorType, statusMessage, writeWithBackpressure } from './http';
import { countInputTokens } from './messages';
import { findModel } from './models';
import { batchCacheUsage, uncachedInputTokens } from './promptCache';
import type { CacheUsage } from './promptCache';
import { structuredAnswerFor } from './structured';
import { paramsError } from './structuredValidation';
import { paginate } from './paging';
import type { PageResult } from './paging';
import { SeededRandom, hashString, randomId, shuffledIndices } from './rng';

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_REQUESTS = 100_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const CANCEL_DELAY_MS = 300;
const OUTCOMES: readonly BatchOutcome[] = ['succeeded', 'errored', 'expired', 'canceled'];
const WRITE_CHUNK = 64 * 1024;

type BatchRequest = BatchCreateParams.Request;

interface BatchRecord {
  id: string;
  createdAt: number;
  status: MessageBatch['processing_status'];
  cancelInitiatedAt: number | null;
  endedAt: number | null;
  count: number;
  requests: BatchRequest[] | null;
  synthetic: SyntheticBatchOptions | null;
  /** Per request index, set when the batch ends. */
  outcomes: BatchOutcome[] | null;
  counts: MessageBatchRequestCounts | null;
  timers: NodeJS.Timeout[];
  failRetrieves: number;
  dropResultsAfter: number | null;
  /** Per request index: a control script's text, taken when the batch ends. */
  scripted: (string | undefined)[] | null;
}

export interface BatchStoreOptions {
  baseUrl: () => string;
  batchDurationMs: number | null;
  log: (line: string) => void;
  /** A queued control script's `text` for a batch request (its params as JSON), consuming it. */
  scriptedText?: (rawParams: string) => string | undefined;
}

/** Message Batches state: validation, lifecycle timers and lazily generated JSONL results. */
export class BatchStore {
  private readonly batches: BatchRecord[] = [];
  private nextCreateFailure: CreateFailure | null = null;

  constructor(private readonly opts: BatchStoreOptions) {}

  // ----- API -----

  /** Returns 'drop' when a drop failure is armed; the caller then destroys the socket. */
  create(body: unknown): MessageBatch | 'drop' {
    const failure = this.nextCreateFailure;
    this.nextCreateFailure = null;
    if (failure === 'drop') return 'drop';
    if (failure !== null) throw new HttpError(failure, statusErrorType(failure), statusMessage(failure));
    const requests = validateCreate(body);
    const record = this.newRecord(requests.length, requests, null);
    if (this.opts.batchDurationMs !== null) {
      this.schedule(record, this.opts.batchDurationMs, () => this.finish(record, {}));
    }
    this.opts.log(`batch ${record.id} created with ${requests.length} requests`);
    return this.toWire(record);
  }

  list(query: Record<string, string | string[]>): PageResult<MessageBatch> {
    const newestFirst = [...this.batches].reverse();
    const page = paginate(newestFirst, query);
    return { ...page, data: page.data.map((r) => this.toWire(r)) };
  }

  retrieve(id: string): MessageBatch {
    const record = this.get(id);
    if (record.failRetrieves > 0) {
      record.failRetrieves--;
      throw new HttpError(500, 'api_error', 'Internal server error');
    }
    return this.toWire(record);
  }

  cancel(id: string): MessageBatch {
    const record = this.get(id);
    if (record.status === 'in_progress') {
      record.status = 'canceling';
      record.cancelInitiatedAt = Date.now();
      this.schedule(record, CANCEL_DELAY_MS, () => this.finish(record, {}, 'canceled'));
    }
    return this.toWire(record);
  }

  delete(id: string): { id: string; type: 'message_batch_deleted' } {
    const record = this.get(id);
    if (record.status !== 'ended') {
      throw new HttpError(400, 'invalid_request_error', `Batch ${id} cannot be deleted while it is ${record.status}; cancel it first.`);
    }
    this.batches.splice(this.batches.indexOf(record), 1);
    this.clearTimers(record);
    return { id, type: 'message_batch_deleted' };
  }

  /** Streams JSONL in shuffled order, a chunk at a time, honouring backpressure. */
  async writeResults(id: string, res: ServerResponse, onDeliberateDrop: () => void): Promise<void> {
    const record = this.get(id);
    if (record.status !== 'ended' || !record.outcomes) {
      throw new HttpError(400, 'invalid_request_error', `Batch ${id} has not ended yet; results are available once processing_status is 'ended'.`);
    }
    const dropAfter = record.dropResultsAfter;
    record.dropResultsAfter = null;
    res.writeHead(200, { 'content-type': 'application/binary' });
    const order = shuffledIndices(record.count, new SeededRandom(hashString(record.id)));
    let buffer = '';
    for (let n = 0; n < order.length; n++) {
      if (dropAfter !== null && n === dropAfter) {
        if (buffer) await writeWithBackpressure(res, buffer);
        onDeliberateDrop();
        await new Promise((resolve) => setTimeout(resolve, 5));
        res.socket?.destroy();
        return;
      }
      buffer += this.resultLine(record, order[n]) + '\n';
      if (buffer.length >= WRITE_CHUNK) {
        if (!(await writeWithBackpressure(res, buffer))) return;
        buffer = '';
      }
    }
    if (buffer && !(await writeWithBackpressure(res, buffer))) return;
    res.end();
  }

  // ----- control -----

  endBatch(id: string, options: EndBatchOptions = {}): MessageBatch {
    const record = this.get(id);
    this.finish(record, options);
    return this.toWire(record);
  }

  expireBatch(id: string): MessageBatch {
    const record = this.get(id);
    this.finish(record, {}, 'expired');
    return this.toWire(record);
  }

  batchRequests(id: string): BatchRequest[] {
    return this.get(id).requests ?? [];
  }

  failRetrieve(id: string, times: number): void {
    this.get(id).failRetrieves = times;
  }

  dropResultsAfter(id: string, lines: number): void {
    this.get(id).dropResultsAfter = lines;
  }

  failNextCreate(failure: CreateFailure): void {
    this.nextCreateFailure = failure;
  }

  createSyntheticBatch(options: SyntheticBatchOptions): MessageBatch {
    if (!(options.count >= 1 && options.count <= MAX_REQUESTS)) {
      throw new HttpError(400, 'invalid_request_error', `count: must be between 1 and ${MAX_REQUESTS}`);
    }
    const record = this.newRecord(options.count, null, options);
    const outcomes = Array.from({ length: options.count }, (_, i) => syntheticOutcome(options, i));
    this.end(record, outcomes);
    return this.toWire(record);
  }

  reset(): void {
    for (const record of this.batches) this.clearTimers(record);
    this.batches.length = 0;
    this.nextCreateFailure = null;
  }

  // ----- internals -----

  private newRecord(count: number, requests: BatchRequest[] | null, synthetic: SyntheticBatchOptions | null): BatchRecord {
    const record: BatchRecord = {
      id: randomId('msgbatch_'),
      createdAt: Date.now(),
      status: 'in_progress',
      cancelInitiatedAt: null,
      endedAt: null,
      count,
      requests,
      synthetic,
      outcomes: null,
      counts: null,
      timers: [],
      failRetrieves: 0,
      dropResultsAfter: null,
      scripted: null,
    };
    this.batches.push(record);
    return record;
  }

  private get(id: string): BatchRecord {
    const record = this.batches.find((b) => b.id === id);
    if (!record) throw new HttpError(404, 'not_found_error', `message_batch_id: ${id} not found`);
    return record;
  }

  private schedule(record: BatchRecord, ms: number, fn: () => void): void {
    const timer = setTimeout(fn, ms);
    timer.unref();
    record.timers.push(timer);
  }

  private clearTimers(record: BatchRecord): void {
    record.timers.forEach(clearTimeout);
    record.timers = [];
  }

  /**
   * Ends a batch. Requests count as done in order over batchDurationMs; done ones keep their
   * rule outcome, unfinished ones get `unfinished` (or the rule outcome when ending normally).
   */
  private finish(record: BatchRecord, options: EndBatchOptions, unfinished?: BatchOutcome): void {
    if (record.status === 'ended' || !record.requests) return;
    const requests = record.requests;
    const doneCount = unfinished ? this.doneBefore(record, record.cancelInitiatedAt ?? Date.now()) : requests.length;
    const outcomes = requests.map((r, i) => {
      const explicit = options.outcomes?.[r.custom_id] ?? options.default;
      if (explicit) return explicit;
      return i < doneCount || !unfinished ? ruleOutcome(r) : unfinished;
    });
    this.end(record, outcomes);
  }

  private doneBefore(record: BatchRecord, time: number): number {
    const duration = this.opts.batchDurationMs;
    if (duration === null || duration <= 0) return 0;
    const fraction = Math.min(1, (time - record.createdAt) / duration);
    return Math.floor(fraction * record.count);
  }

  private end(record: BatchRecord, outcomes: BatchOutcome[]): void {
    this.clearTimers(record);
    record.outcomes = outcomes;
    record.scripted = this.scriptedTexts(record);
    record.status = 'ended';
    record.endedAt = Date.now();
    const counts: MessageBatchRequestCounts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const o of outcomes) counts[o]++;
    record.counts = counts;
    this.opts.log(`batch ${record.id} ended: ${JSON.stringify(counts)}`);
  }

  private toWire(record: BatchRecord): MessageBatch {
    const ended = record.status === 'ended';
    return {
      id: record.id,
      type: 'message_batch',
      processing_status: record.status,
      request_counts: record.counts ?? { processing: record.count, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: iso(record.endedAt),
      created_at: new Date(record.createdAt).toISOString(),
      expires_at: new Date(record.createdAt + DAY_MS).toISOString(),
      archived_at: null,
      cancel_initiated_at: iso(record.cancelInitiatedAt),
      results_url: ended ? `${this.opts.baseUrl()}/v1/messages/batches/${record.id}/results` : null,
    };
  }

  private resultLine(record: BatchRecord, index: number): string {
    const outcome = record.outcomes![index];
    if (record.synthetic) return syntheticLine(record, record.synthetic, index, outcome);
    const requests = record.requests!;
    const request = requests[index];
    const cache = () => batchCacheUsage(requests, (i) => record.outcomes![i] === 'succeeded', index);
    return JSON.stringify({ custom_id: request.custom_id, result: resultFor(record.id, request, outcome, cache, record.scripted?.[index]) });
  }

  /** Scripted answers are settled once, at the end, so every download of the results agrees. */
  private scriptedTexts(record: BatchRecord): (string | undefined)[] | null {
    const take = this.opts.scriptedText;
    if (!take || !record.requests) return null;
    return record.requests.map((r) => take(JSON.stringify(r.params)));
  }
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_request_error', message);
}

function validateCreate(body: unknown): BatchRequest[] {
  if (!isRecord(body) || !Array.isArray(body['requests'])) throw invalid('requests: Field required');
  const requests = body['requests'] as unknown[];
  if (requests.length < 1 || requests.length > MAX_REQUESTS) {
    throw invalid(`requests: must contain between 1 and ${MAX_REQUESTS} items`);
  }
  const seen = new Set<string>();
  requests.forEach((r, i) => {
    if (!isRecord(r)) throw invalid(`requests.${i}: Input should be an object`);
    const id = r['custom_id'];
    if (typeof id !== 'string' || !CUSTOM_ID.test(id)) {
      throw invalid(`requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    }
    if (seen.has(id)) throw invalid(`requests: custom_id '${id}' is not unique within the batch`);
    seen.add(id);
    const params = r['params'];
    if (!isRecord(params)) throw invalid(`requests.${i}.params: Field required`);
    if (typeof params['model'] !== 'string') throw invalid(`requests.${i}.params.model: Field required`);
    if (typeof params['max_tokens'] !== 'number') throw invalid(`requests.${i}.params.max_tokens: Field required`);
    if (!Array.isArray(params['messages'])) throw invalid(`requests.${i}.params.messages: Field required`);
  });
  return requests as BatchRequest[];
}

function ruleOutcome(request: BatchRequest): BatchOutcome {
  const text = JSON.stringify(request.params);
  for (const outcome of OUTCOMES) if (text.includes(`[[outcome:${outcome}]]`)) return outcome;
  // Params the API rejects are not refused at create: that request alone ends errored.
  if (paramsError(paramsOf(request))) return 'errored';
  const model = findModel(request.params.model);
  return model && model.lifecycle !== 'retired' ? 'succeeded' : 'errored';
}

function paramsOf(request: BatchRequest): Record<string, unknown> {
  return request.params as unknown as Record<string, unknown>;
}

function resultFor(batchId: string, request: BatchRequest, outcome: BatchOutcome, cache: () => CacheUsage, scripted?: string): object {
  switch (outcome) {
    case 'succeeded':
      return { type: 'succeeded', message: succeededMessage(batchId, request, cache(), scripted) };
    case 'errored': {
      const model = findModel(request.params.model);
      const problem = paramsError(paramsOf(request));
      const error = !model
        ? { type: 'not_found_error', message: `model: ${request.params.model}` }
        : problem
          ? { type: 'invalid_request_error', message: problem }
          : { type: 'overloaded_error', message: 'Overloaded' };
      return { type: 'errored', error: { type: 'error', error, request_id: null } };
    }
    default:
      return { type: outcome };
  }
}

function succeededMessage(batchId: string, request: BatchRequest, cache: CacheUsage, scripted?: string): object {
  const params = paramsOf(request);
  // A scripted answer wins; a JSON-schema output format gets its structured answer (structured.ts) instead of markdown.
  const structured = scripted === undefined ? structuredAnswerFor(params) : undefined;
  const text = scripted ?? structured?.text ?? answerFor(request.params);
  return {
    id: `msg_${hashString(batchId + request.custom_id).toString(36).padStart(8, '0')}${request.custom_id.length}`,
    type: 'message',
    role: 'assistant',
    model: request.params.model,
    content: [{ type: 'text', text }],
    stop_reason: structured?.stopReason ?? 'end_turn',
    stop_sequence: null,
    usage: {
      // Same measure as count_tokens (system + messages + tools), less the cached prefix.
      input_tokens: uncachedInputTokens(countInputTokens(params), cache),
      output_tokens: structured?.outputTokens ?? estimateTokens(text.length),
      ...cache,
      service_tier: 'batch',
    },
  };
}

function syntheticOutcome(options: SyntheticBatchOptions, index: number): BatchOutcome {
  const weights = options.outcomes ?? { succeeded: 1 };
  const total = OUTCOMES.reduce((n, o) => n + (weights[o] ?? 0), 0);
  if (total <= 0) return 'succeeded';
  let point = (hashString(`synthetic-${index}`) / 4294967296) * total;
  for (const o of OUTCOMES) {
    point -= weights[o] ?? 0;
    if (point < 0) return o;
  }
  return 'succeeded';
}

export function syntheticCustomId(index: number): string {
  return `req-${String(index).padStart(6, '0')}`;
}

function syntheticLine(record: BatchRecord, options: SyntheticBatchOptions, index: number, outcome: BatchOutcome): string {
  const customId = syntheticCustomId(index);
  if (outcome !== 'succeeded') {
    const result =
      outcome === 'errored'
        ? { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: null } }
        : { type: outcome };
    return JSON.stringify({ custom_id: customId, result });
  }
  const head = `Result ${index} of ${record.id}. `;
  const lineFor = (text: string, outputTokens: number): string =>
    JSON.stringify({
      custom_id: customId,
      result: {
        type: 'succeeded',
        message: {
          id: `msg_syn${index}`,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-5-5',
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'batch' },
        },
      },
    });
  // The token count's digits change the line length, so settle it in a couple of passes.
  let tokens = 1;
  let text = head;
  for (let pass = 0; pass < 3; pass++) {
    const overhead = Buffer.byteLength(lineFor(head, tokens)) + 1;
    text = head + asciiFiller(Math.max(0, options.bytesPerResult - overhead));
    const next = estimateTokens(text.length);
    if (next === tokens) break;
    tokens = next;
  }
  return lineFor(text, tokens);
}

/** ASCII-only filler so byte length equals character length. */
const ASCII_FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '.repeat(256);

function asciiFiller(bytes: number): string {
  let out = '';
  while (out.length < bytes) out += ASCII_FILLER.slice(0, bytes - out.length);
  return out;
}
