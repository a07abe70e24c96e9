import { stopReasonText, refusalText, tokensText } from '../format/display';
import type { FooterInfo, ResponsePatch, ToolResultSummary } from '../protocol';

/** Where the output-channel mode writes: `vscode.OutputChannel` fits this shape. */
export interface TextWriter {
  append(text: string): void;
  appendLine(text: string): void;
}

/**
 * The output-channel rendering of an answer. It reads the transcript reducer's patches, as the
 * webview does, so the event stream is parsed once and stop reasons, tokens and costs are worded
 * by the shared module (src/format/display.ts): the text as it streams, one line per tool call
 * and result, then the stop reason and usage.
 */
export class TextSink {
  private readonly blocks = new Map<number, { kind: string; name?: string; json: string }>();
  private footer: FooterInfo = {};
  private lastRequestId: string | undefined;
  private atLineStart = true;

  constructor(private readonly out: TextWriter, private readonly onUnknown?: (what: string) => void) {}

  begin(title: string, model: string): void {
    this.out.appendLine('');
    this.out.appendLine(`━━ ${title} (${model}) ━━`);
  }

  patches(patches: readonly ResponsePatch[]): void {
    for (const p of patches) this.patch(p);
  }

  /** The next request continues the answer after tool results (or a paused turn). */
  nextTurn(turn: number): void {
    this.line(`[turn ${turn + 1}]`);
  }

  finish(state: 'complete' | 'cancelled' | 'error', note?: string): void {
    const f = this.footer;
    const reason = state !== 'complete' ? state
      : f.stopReason === 'refusal' ? refusalText(f.refusalCategory, f.refusalExplanation)
      : stopReasonText(f.stopReason);
    this.line(`[${reason}${note ? `: ${note}` : ''}] ${tokensText(f)}`);
  }

  private patch(p: ResponsePatch): void {
    switch (p.type) {
      case 'blockStart': {
        const b = p.block;
        this.blocks.set(p.index, { kind: b.kind, name: b.kind === 'toolUse' ? b.name : undefined, json: '' });
        if (b.kind === 'thinking') this.line('[thinking]');
        else if (b.kind === 'redactedThinking') this.line('[redacted thinking]');
        else if (b.kind === 'toolResult') this.line(resultLine(b.summary));
        else if (b.kind === 'userTurn') this.line('[follow-up]');
        else if (b.kind === 'unknown') {
          this.onUnknown?.(`block: ${b.blockType}`);
          this.line(`[unknown block: ${b.blockType}]`);
        }
        return;
      }
      case 'textAppend':
      case 'thinkingAppend':
        this.write(p.text);
        return;
      case 'toolInputAppend': {
        const b = this.blocks.get(p.index);
        if (b) b.json += p.json;
        return;
      }
      case 'blockStop': {
        const b = this.blocks.get(p.index);
        if (b?.kind === 'thinking') this.line('[/thinking]');
        else if (b?.kind === 'userTurn') this.line('');
        else if (b?.kind === 'toolUse') this.line(`[tool call] ${b.name ?? ''} ${b.json || '{}'}`);
        return;
      }
      case 'note':
        if (p.text.startsWith('unknown ')) this.onUnknown?.(p.text.slice('unknown '.length));
        this.line(`[${p.text}]`);
        return;
      case 'footer':
        this.footer = p.footer;
        if (p.footer.requestId && p.footer.requestId !== this.lastRequestId) {
          this.lastRequestId = p.footer.requestId;
          this.line(`[request ${p.footer.requestId}]`);
        }
        return;
      case 'status':
        if (p.status.state === 'error') this.line(`[interrupted: ${p.status.message}]`);
        return;
      case 'continuation':
        this.line('[continuing the interrupted answer]');
        return;
      case 'citations':
        return;
    }
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

/** One line for a tool result, from the same summary the panel shows. */
function resultLine(r: ToolResultSummary): string {
  if (r.resultType === 'tool_result') {
    const first = (r.error ?? r.output?.stdout ?? '').split('\n')[0].slice(0, 120);
    return `[tool result] ${r.note ?? ''}${r.error ? ' (error)' : ''}: ${first}`;
  }
  const body = r.error ? `error: ${r.error}`
    : r.links.length ? r.links.map((l) => `${l.title} <${l.url}>`.trim()).join('; ')
    : r.output ? `exit ${r.output.returnCode ?? '?'}; ${r.output.stdout.slice(0, 200)}`
    : r.note ?? '';
  return `[${r.resultType}] ${body}`;
}
