import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import type { ServerControl } from './control';
import { sleep } from './http';
import type { Fault, Script } from './types';
import type { BlockPlan, MessagePlan, SseEvent } from './events';
import { answerFor, messagesOf, questionOf, remainderFor, textOfContent, thinkingFor, toolResultsOf } from './answers';
import { parseDirectives } from './directives';
import { estimateTokens, eventsForPlan, loadFixture, reduceEvents, withUnknownEvents } from './events';
import { HttpError, isRecord, requestIdOf, sendJson, statusErrorType, statusMessage } from './http';
import { modelGeneration, requireCallableModel, supportsPrefill } from './models';
import { SeededRandom, hashString, randomId } from './rng';
import { SseWriter } from './sse';
import { uncachedInputTokens } from './promptCache';
import { structuredAnswerFor } from './structured';
import { paramsError } from './structuredValidation';

export interface MessagesContext {
  control: ServerControl;
  chunking: 'random' | 'none';
  seed: number;
  log: (line: string) => void;
}

type Body = Record<string, unknown>;

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_request_error', message);
}

function validateBody(body: unknown, needsMaxTokens: boolean): Body {
  if (!isRecord(body)) throw invalid('Request body must be a JSON object');
  if (typeof body['model'] !== 'string') throw invalid('model: Field required');
  if (needsMaxTokens && typeof body['max_tokens'] !== 'number') throw invalid('max_tokens: Field required');
  if (!Array.isArray(body['messages'])) throw invalid('messages: Field required');
  if (body['messages'].length === 0) throw invalid('messages: at least one message is required');
  return body;
}

/** Structured-output and cache_control checks, after the model check so an unknown model stays a 404. */
function checkParams(body: Body): void {
  const problem = paramsError(body);
  if (problem) throw invalid(problem);
}

/** ≈ ceil(chars / 4) over system, messages and tools, like a rough tokenizer. */
export function countInputTokens(body: Body): number {
  const chars = [body['system'], body['messages'], body['tools']]
    .filter((v) => v !== undefined)
    .reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : JSON.stringify(v).length), 0);
  return estimateTokens(chars);
}

export function handleCountTokens(body: unknown, res: ServerResponse): void {
  const valid = validateBody(body, false);
  requireCallableModel(valid['model']);
  checkParams(valid);
  sendJson(res, 200, { input_tokens: countInputTokens(valid) });
}

function checkPrefill(body: Body, model: ModelInfo): void {
  const messages = messagesOf(body);
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return;
  if (!supportsPrefill(model.id)) {
    throw invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
  }
  if (/\s$/.test(textOfContent(last.content))) {
    throw invalid('messages: final assistant content cannot end with trailing whitespace');
  }
}

function lastUserText(body: Body): string {
  const users = messagesOf(body).filter((m) => m.role === 'user');
  return users.length > 0 ? textOfContent(users[users.length - 1].content) : '';
}

/** Script from the control queue, falling back to (and overriding) prompt directives. */
function chooseScript(body: Body, rawBody: string, ctx: MessagesContext, isContinuation: boolean): Script {
  const hasTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  const directives = parseDirectives(lastUserText(body), hasTools);
  // A continuation must not re-trigger the fault that interrupted the original answer.
  if (isContinuation) delete directives.fault;
  const script = ctx.control.takeScript(rawBody);
  return { ...directives, ...script };
}

function recordToolResults(body: Body, requestId: string, ctx: MessagesContext): void {
  const messages = messagesOf(body);
  const last = messages[messages.length - 1];
  if (last?.role !== 'user') return;
  for (const r of toolResultsOf(last.content)) ctx.control.recordToolResult({ requestId, ...r });
}

/**
 * Whether thinking text is streamed. Adaptive thinking's `display` defaults to `omitted` on the
 * 5.x models (as on the real API's newest models): the block then carries only its signature.
 */
export function thinkingDisplayed(body: Body, model: ModelInfo): boolean {
  const thinking = isRecord(body['thinking']) ? body['thinking'] : undefined;
  if (!thinking) return true;
  const display = thinking['display'];
  if (display === 'omitted') return false;
  if (display === 'summarized') return true;
  return !(thinking['type'] === 'adaptive' && modelGeneration(model.id) >= 5);
}

function wantsThinking(body: Body): boolean {
  const thinking = isRecord(body['thinking']) ? body['thinking'] : undefined;
  return thinking?.['type'] === 'adaptive' || thinking?.['type'] === 'enabled';
}

type PlannedBlocks = Pick<MessagePlan, 'blocks' | 'stopReason' | 'outputTokens'>;

function planBlocks(body: Body, model: ModelInfo, script: Script): PlannedBlocks {
  const blocks: BlockPlan[] = [];
  if (script.thinking || wantsThinking(body)) {
    const planned = thinkingFor(questionOf(body));
    blocks.push({ kind: 'thinking', signature: planned.signature, thinking: thinkingDisplayed(body, model) ? planned.thinking : '' });
  }
  if (script.toolUse) {
    blocks.push({ kind: 'text', text: script.text ?? `I’ll use the \`${script.toolUse.name}\` tool for that.` });
    blocks.push({ kind: 'tool_use', id: randomId('toolu_'), name: script.toolUse.name, input: script.toolUse.input });
    return { blocks, stopReason: 'tool_use' };
  }
  // A JSON-schema output format gets its structured answer (structured.ts) instead of markdown.
  const structured = script.text === undefined ? structuredAnswerFor(body) : undefined;
  const text = script.text ?? remainderFor(body, structured?.text ?? answerFor(body)).text;
  blocks.push({ kind: 'text', text });
  return { blocks, stopReason: structured?.stopReason ?? 'end_turn', outputTokens: structured?.outputTokens };
}

function planMessage(body: Body, model: ModelInfo, script: Script, ctx: MessagesContext): MessagePlan {
  const total = countInputTokens(body);
  let cache = ctx.control.promptCache.use(body);
  // No cached system prefix: breakpoints on messages or top-level cache_control (follow-ups).
  if (cache.cache_creation_input_tokens === 0 && cache.cache_read_input_tokens === 0) {
    const c = ctx.control.conversationCache.usage(body, total);
    if (c.read || c.write) {
      cache = { cache_creation_input_tokens: c.write, cache_read_input_tokens: c.read, cache_creation: { ephemeral_5m_input_tokens: c.write, ephemeral_1h_input_tokens: 0 } };
    }
  }
  const inputTokens = uncachedInputTokens(total, cache);
  return { id: randomId('msg_'), model: model.id, inputTokens, cache, ...planBlocks(body, model, script) };
}

function buildEvents(body: Body, model: ModelInfo, script: Script, rng: SeededRandom, ctx: MessagesContext): SseEvent[] {
  const events = script.fixture ? loadFixture(script.fixture) : eventsForPlan(planMessage(body, model, script, ctx), rng, script.deltaChars);
  return script.fault?.type === 'unknownEvents' ? withUnknownEvents(events) : events;
}

function sendStatusFault(res: ServerResponse, fault: Extract<Fault, { type: 'status' }>): void {
  const headers: Record<string, string> = {};
  const retryAfter = fault.retryAfter ?? (fault.status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  const type = fault.status === 503 ? 'api_error' : statusErrorType(fault.status);
  sendJson(res, fault.status, { type: 'error', error: { type, message: statusMessage(fault.status) }, request_id: requestIdOf(res) }, headers);
}

export async function handleMessages(req: IncomingMessage, res: ServerResponse, body: unknown, rawBody: string, ctx: MessagesContext): Promise<void> {
  const valid = validateBody(body, true);
  const model = requireCallableModel(valid['model']);
  checkParams(valid);
  checkPrefill(valid, model);
  const requestId = requestIdOf(res);
  recordToolResults(valid, requestId, ctx);
  const isContinuation = remainderFor(valid, '').kind !== 'none';
  const script = chooseScript(valid, rawBody, ctx, isContinuation);
  const fault = script.fault;
  if (fault?.type === 'status') return sendStatusFault(res, fault);
  if (fault?.type === 'notSse') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><body><h1>Gateway says hello</h1></body></html>');
    return;
  }
  const rng = new SeededRandom(ctx.seed ^ hashString(rawBody));
  const events = buildEvents(valid, model, script, rng, ctx);
  if (valid['stream'] === true) return streamEvents(req, res, events, script, rng, ctx);
  return answerWhole(res, events, fault);
}

function answerWhole(res: ServerResponse, events: SseEvent[], fault: Fault | undefined): void {
  if (fault?.type === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (fault?.type === 'stall') return;
  if (fault?.type === 'error') {
    const status = fault.errorType === 'api_error' ? 500 : 529;
    return sendStatusFault(res, { type: 'status', status });
  }
  const errorEvent = events.find((e) => e.event === 'error');
  if (errorEvent) {
    const parsed = JSON.parse(errorEvent.data) as { error: { type: string; message: string } };
    const status = parsed.error.type === 'overloaded_error' ? 529 : 500;
    return sendJson(res, status, { ...parsed, request_id: requestIdOf(res) });
  }
  sendJson(res, 200, reduceEvents(events));
}

async function streamEvents(req: IncomingMessage, res: ServerResponse, events: SseEvent[], script: Script, rng: SeededRandom, ctx: MessagesContext): Promise<void> {
  let deliberate = false;
  let written = 0;
  res.on('close', () => {
    if (!res.writableFinished && !deliberate) {
      ctx.control.recordClosedEarly({ requestId: requestIdOf(res), path: req.url ?? '', eventsWritten: written, time: Date.now() });
      ctx.log(`client closed ${requestIdOf(res)} after ${written} events`);
    }
  });
  const writer = new SseWriter(res, {
    chunking: script.chunking ?? ctx.chunking,
    rng,
    fault: script.fault,
    deltaDelayMs: script.deltaDelayMs,
    onDeliberateDrop: () => {
      deliberate = true;
    },
    onEvent: (n) => {
      written = n;
    },
  });
  if (script.headDelayMs) await sleep(script.headDelayMs);
  writer.begin();
  const firstByteAt = Date.now();
  const end = await writer.run(events);
  if (end === 'complete') ctx.control.recordStream({ requestId: requestIdOf(res), firstByteAt, lastByteAt: Date.now(), events: events.length });
  if (end !== 'complete') ctx.log(`stream ${requestIdOf(res)} ended: ${end} after ${written} events`);
}
