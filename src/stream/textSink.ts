import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ClassifiedError } from '../api/errors';
import type { ContinuationMode, StreamSink } from './streamRunner';
import { summarizeToolResult } from './resultSummary';
import type { ToolOutcome } from './workspaceTools';

/** Where the output-channel mode writes: `vscode.OutputChannel` fits this shape. */
export interface TextWriter {
  append(text: string): void;
  appendLine(text: string): void;
}

type Loose = Record<string, unknown>;

const STOP_WORDS: Record<string, string> = {
  end_turn: 'finished',
  max_tokens: 'stopped at max tokens',
  stop_sequence: 'stopped at a stop sequence',
  tool_use: 'waiting for tool results',
  pause_turn: 'paused (server tool still working)',
  refusal: 'refused',
  model_context_window_exceeded: 'context window exceeded',
};

/**
 * The output-channel rendering of an answer: the text as it streams, one line per tool call,
 * then stop reason and usage. Usage is cumulative in the protocol, so it is overwritten.
 */
export class TextSink implements StreamSink {
  private blocks = new Map<number, { type: string; name?: string; json: string }>();
  private usage: Loose = {};
  private stopReason: string | null = null;
  private atLineStart = true;
  private unknownSeen = new Set<string>();

  constructor(private readonly out: TextWriter, private readonly onUnknown?: (type: string) => void) {}

  begin(title: string, model: string): void {
    this.out.appendLine('');
    this.out.appendLine(`━━ ${title} (${model}) ━━`);
  }

  event(ev: RawMessageStreamEvent): void {
    const e = ev as unknown as Loose;
    switch (e.type) {
      case 'message_start':
        this.mergeUsage((e.message as Loose | undefined)?.usage as Loose | undefined);
        return;
      case 'content_block_start': {
        const block = (e.content_block ?? {}) as Loose;
        const type = String(block.type);
        this.blocks.set(Number(e.index), { type, name: block.name as string | undefined, json: '' });
        if (type === 'thinking') this.line('[thinking]');
        else if (type === 'redacted_thinking') this.line('[redacted thinking]');
        else if (type.endsWith('_tool_result')) this.line(`[${type}] ${summarizeResult(block)}`);
        else if (type !== 'text' && type !== 'tool_use' && type !== 'server_tool_use') this.unknown(`block ${type}`);
        return;
      }
      case 'content_block_delta': {
        const d = (e.delta ?? {}) as Loose;
        const b = this.blocks.get(Number(e.index));
        if (d.type === 'text_delta' || d.type === 'thinking_delta') this.write(String(d.text ?? d.thinking ?? ''));
        else if (d.type === 'input_json_delta' && b) b.json += String(d.partial_json ?? '');
        else if (d.type !== 'signature_delta' && d.type !== 'citations_delta') this.unknown(`delta ${String(d.type)}`);
        return;
      }
      case 'content_block_stop': {
        const b = this.blocks.get(Number(e.index));
        if (b?.type === 'thinking') this.line('[/thinking]');
        if (b && (b.type === 'tool_use' || b.type === 'server_tool_use')) this.line(`[tool call] ${b.name} ${b.json || '{}'}`);
        return;
      }
      case 'message_delta':
        this.stopReason = ((e.delta as Loose | undefined)?.stop_reason as string | null) ?? this.stopReason;
        this.mergeUsage(e.usage as Loose | undefined);
        return;
      case 'message_stop':
      case 'ping':
        return;
      default:
        this.unknown(`event ${String(e.type)}`);
    }
  }

  requestId(id: string): void {
    this.line(`[request ${id}]`);
  }

  toolResult(_id: string, name: string, outcome: ToolOutcome): void {
    const first = outcome.content.split('\n')[0].slice(0, 120);
    this.line(`[tool result] ${name}${outcome.isError ? ' (error)' : ''}: ${first}`);
  }

  nextTurn(turn: number): void {
    this.line(`[turn ${turn + 1}]`);
  }

  continuation(mode: ContinuationMode): void {
    this.line(`[continuing the interrupted answer (${mode})]`);
  }

  interrupted(error: ClassifiedError, willContinue: boolean): void {
    this.line(`[interrupted: ${error.message}${willContinue ? ' — continuing' : ''}]`);
  }

  finish(state: 'complete' | 'cancelled' | 'error', note?: string): void {
    const u = this.usage;
    const reason = state === 'complete' ? STOP_WORDS[this.stopReason ?? ''] ?? this.stopReason ?? 'finished' : state;
    this.line(
      `[${reason}${note ? `: ${note}` : ''}] tokens in ${u.input_tokens ?? 0}, out ${u.output_tokens ?? 0}` +
        (u.cache_read_input_tokens ? `, cache read ${u.cache_read_input_tokens}` : '') +
        (u.cache_creation_input_tokens ? `, cache write ${u.cache_creation_input_tokens}` : ''),
    );
  }

  private mergeUsage(u: Loose | undefined): void {
    if (!u) return;
    for (const [k, v] of Object.entries(u)) if (v !== null && v !== undefined) this.usage[k] = v;
  }

  private unknown(what: string): void {
    if (this.unknownSeen.has(what)) return;
    this.unknownSeen.add(what);
    this.onUnknown?.(what);
    this.line(`[unknown ${what}]`);
  }

  private write(text: string): void {
    if (!text) return;
    this.out.append(text);
    this.atLineStart = text.endsWith('\n');
  }

  private line(text: string): void {
    if (!this.atLineStart) this.out.append('\n');
    this.out.appendLine(text);
    this.atLineStart = true;
  }
}

/** One line for a server-tool result, from the same summary the panel shows. */
function summarizeResult(block: Loose): string {
  const r = summarizeToolResult(block);
  if (r.error) return `error: ${r.error}`;
  if (r.links.length) return r.links.map((l) => `${l.title} <${l.url}>`.trim()).join('; ');
  if (r.output) return `exit ${r.output.returnCode ?? '?'}; ${r.output.stdout.slice(0, 200)}`;
  return r.note ?? '';
}
