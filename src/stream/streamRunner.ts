import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  MessageParam,
  RawMessageStreamEvent,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { classifyError, type ClassifiedError, type ClassifyContext } from '../api/errors';
import type { StreamParams } from './promptBuilder';
import type { ToolOutcome } from './workspaceTools';

/**
 * Runs one answer end to end: streams a request through the SDK, feeds every raw event to a
 * sink, runs workspace tool calls and loops until the model is done, and continues an
 * interrupted answer where it broke. Pure of `vscode`: the host supplies the client, the sink
 * and the tool runner.
 */

export interface StreamSink {
  /** Every raw SDK event, in order, unknown types included. */
  event(ev: RawMessageStreamEvent): void;
  /** The `request-id` of the HTTP response now streaming. */
  requestId(id: string): void;
  toolResult(toolUseId: string, name: string, outcome: ToolOutcome): void;
  /** The next request continues the same answer (tool results went back, or `pause_turn`). */
  nextTurn(turn: number): void;
  /** The next request continues an interrupted answer: its text joins the partial text. */
  continuation(mode: ContinuationMode): void;
  /** A stream failed part-way; `willContinue` says whether the runner continues on its own. */
  interrupted(error: ClassifiedError, willContinue: boolean): void;
}

export type ContinuationMode = 'prefill' | 'userTurn' | 'restart';

/** A conversation saved for a reload: the committed turns, and the unfinished answer's text. */
export interface ConversationState {
  params: StreamParams;
  partialText: string;
  /** The last run broke off: the next `run()` continues `partialText`. */
  interrupted: boolean;
  lastAnswer?: MessageParam['content'];
}

export interface ToolExecutor {
  handles(name: string): boolean;
  run(name: string, input: unknown): Promise<ToolOutcome>;
}

export interface ContinuationBuilder {
  /** Params that continue `partialText` as the answer to `params`. */
  build(params: StreamParams, partialText: string): { params: StreamParams; mode: ContinuationMode };
}

export interface RunOptions {
  client: Anthropic;
  sink: StreamSink;
  signal: AbortSignal;
  tools?: ToolExecutor;
  maxTurns: number;
  /** How many times a broken stream is continued without asking (0 = never). */
  autoContinue: number;
  continuation: ContinuationBuilder;
  errorContext?: ClassifyContext;
  /**
   * Longest wait for the next stream event. The SDK's timeout covers the request until the
   * response starts; a stream that then goes silent would otherwise hang for minutes.
   */
  idleTimeoutMs?: number;
}

export type RunOutcome =
  | { state: 'complete'; stopReason: string | null }
  | { state: 'cancelled' }
  | { state: 'error'; error: ClassifiedError };

/**
 * Everything needed to run, retry or continue one answer. `run()` may be called again after an
 * error or a cancel: it continues from the text received so far.
 */
export class StreamConversation {
  /** The conversation so far, without the unfinished assistant turn. */
  private params: StreamParams;
  /** Text of the current, unfinished assistant turn (what continuation must preserve). */
  private partialText = '';
  private turns = 0;
  private interruptedOnce = false;
  /** The last finished assistant turn, exactly as received (sent back with a follow-up). */
  private lastAnswer: MessageParam['content'] | undefined;

  constructor(params: StreamParams, saved?: ConversationState) {
    this.params = structuredClone(saved?.params ?? params);
    if (saved) {
      this.partialText = saved.partialText;
      this.interruptedOnce = saved.interrupted;
      this.lastAnswer = saved.lastAnswer;
    }
  }

  get originalParams(): StreamParams {
    return this.params;
  }

  /** What a reload needs to continue, retry or follow up on this conversation (plain JSON). */
  state(): ConversationState {
    const state: ConversationState = { params: this.params, partialText: this.partialText, interrupted: this.interruptedOnce };
    if (this.lastAnswer !== undefined) state.lastAnswer = this.lastAnswer;
    return state;
  }

  /**
   * Adds a follow-up question after the last answer, which goes back exactly as received
   * (thinking with its signature, redacted thinking, tool and server-tool blocks). An answer cut
   * off by an error or a cancel goes back as the text shown. The next `run()` asks the question.
   */
  followUp(question: string): void {
    const messages = [...this.params.messages];
    const partial = this.partialText.trimEnd();
    const answer = this.lastAnswer ?? (partial.trim() ? [{ type: 'text' as const, text: partial }] : undefined);
    if (answer) messages.push({ role: 'assistant', content: answer });
    const last = messages[messages.length - 1];
    if (last?.role === 'user') {
      // Nothing came back to the last question: roles must alternate, so both go in one turn.
      const blocks = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
      messages[messages.length - 1] = { role: 'user', content: [...blocks, { type: 'text', text: question }] };
    } else {
      messages.push({ role: 'user', content: question });
    }
    this.params = { ...this.params, messages };
    this.partialText = '';
    this.interruptedOnce = false;
    this.lastAnswer = undefined;
    this.turns = 0;
  }

  async run(opts: RunOptions): Promise<RunOutcome> {
    let continuations = 0;
    for (;;) {
      let request = this.params;
      if (this.interruptedOnce) {
        if (this.partialText.trim()) {
          const built = opts.continuation.build(this.params, this.partialText);
          request = built.params;
          opts.sink.continuation(built.mode);
        } else {
          // Nothing worth keeping arrived (or only a partial tool call): ask again from the top of this turn.
          opts.sink.continuation('restart');
        }
      }
      const outcome = await this.streamOnce(request, opts);
      if (outcome.kind === 'done') return { state: 'complete', stopReason: outcome.stopReason };
      if (outcome.kind === 'cancelled') {
        // A later run() (Retry) continues the partial text instead of appending a fresh answer to it.
        this.interruptedOnce = true;
        return { state: 'cancelled' };
      }
      if (outcome.kind === 'nextTurn') {
        if (++this.turns >= opts.maxTurns) {
          return { state: 'complete', stopReason: 'max_turns' };
        }
        opts.sink.nextTurn(this.turns);
        continue;
      }
      this.interruptedOnce = true;
      const willContinue = outcome.error.retryable && continuations < opts.autoContinue;
      opts.sink.interrupted(outcome.error, willContinue);
      if (!willContinue) return { state: 'error', error: outcome.error };
      continuations++;
    }
  }

  private async streamOnce(
    request: StreamParams,
    opts: RunOptions,
  ): Promise<
    | { kind: 'done'; stopReason: string | null }
    | { kind: 'nextTurn' }
    | { kind: 'cancelled' }
    | { kind: 'error'; error: ClassifiedError }
  > {
    // Our own signal, so that a stalled stream can be aborted without cancelling the answer.
    const controller = new AbortController();
    const onCancel = () => controller.abort();
    opts.signal.addEventListener('abort', onCancel);
    let stalled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (!opts.idleTimeoutMs) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, opts.idleTimeoutMs);
    };
    armIdle();
    // Top-level cache_control marks the last cacheable block: the conversation so far is written
    // to the prompt cache, and the next turn (a tool turn, a follow-up) reads it back.
    const stream = opts.client.messages.stream({ ...request, cache_control: { type: 'ephemeral' } }, { signal: controller.signal });
    // Text kept from before an interruption: the response only holds what comes after it.
    const carried = this.partialText;
    try {
      const { request_id } = await stream.withResponse();
      if (request_id) opts.sink.requestId(request_id);
      let lastYield = Date.now();
      for await (const ev of stream) {
        armIdle();
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
          this.partialText += ev.delta.text;
        }
        opts.sink.event(ev);
        // Buffered events are iterated as one long run of microtasks; about once a frame, let
        // I/O through (the patches already posted to the webview leave the extension host then).
        if (Date.now() - lastYield >= 16) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
      }
      const message = await stream.finalMessage();
      this.interruptedOnce = false;
      return await this.afterMessage(carried, message.content, message.stop_reason, opts);
    } catch (e) {
      if (opts.signal.aborted) return { kind: 'cancelled' };
      if (stalled) {
        const seconds = Math.round((opts.idleTimeoutMs ?? 0) / 1000);
        return {
          kind: 'error',
          error: { kind: 'timeout', message: `The stream stalled: nothing arrived for ${seconds} s (claudeEvents.timeoutSeconds).`, actions: ['retry'], retryable: true },
        };
      }
      return { kind: 'error', error: classifyError(e, opts.errorContext) };
    } finally {
      clearTimeout(idleTimer);
      opts.signal.removeEventListener('abort', onCancel);
    }
  }

  private async afterMessage(
    carried: string,
    content: ContentBlock[],
    stopReason: string | null,
    opts: RunOptions,
  ): Promise<{ kind: 'done'; stopReason: string | null } | { kind: 'nextTurn' } | { kind: 'cancelled' }> {
    // The assistant turn as sent back: any text from before an interruption is part of it.
    const assistantContent = joinCarried(carried, content);
    if (stopReason === 'tool_use' && opts.tools) {
      const results: ToolResultBlockParam[] = [];
      for (const block of content) {
        if (block.type !== 'tool_use') continue;
        if (opts.signal.aborted) return { kind: 'cancelled' };
        const outcome = opts.tools.handles(block.name)
          ? await opts.tools.run(block.name, block.input)
          : { content: `Tool ${block.name} is not available.`, isError: true };
        opts.sink.toolResult(block.id, block.name, outcome);
        results.push({ type: 'tool_result', tool_use_id: block.id, content: outcome.content, is_error: outcome.isError || undefined });
      }
      this.commitTurn(assistantContent, { role: 'user', content: results });
      return { kind: 'nextTurn' };
    }
    if (stopReason === 'pause_turn') {
      // A long server-tool turn paused: send the turn back as is and the API resumes it.
      this.commitTurn(assistantContent);
      return { kind: 'nextTurn' };
    }
    this.partialText = '';
    this.lastAnswer = assistantContent;
    return { kind: 'done', stopReason };
  }

  private commitTurn(assistant: MessageParam['content'], user?: MessageParam): void {
    const messages = [...this.params.messages, { role: 'assistant', content: assistant } as MessageParam];
    if (user) messages.push(user);
    this.params = { ...this.params, messages };
    this.partialText = '';
  }
}

/** The finished assistant turn as sent back, with any text kept from before an interruption. */
function joinCarried(carried: string, content: ContentBlock[]): MessageParam['content'] {
  const blocks = content as Exclude<MessageParam['content'], string>;
  if (!carried) return blocks;
  const [first, ...rest] = blocks;
  if (first?.type === 'text') return [{ type: 'text', text: carried + first.text }, ...rest];
  return [{ type: 'text', text: carried }, ...blocks];
}
