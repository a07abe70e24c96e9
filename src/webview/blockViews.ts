// The parts of a response that are not markdown: server-tool results, the status line, the footer words.

import type { ResponseStatus, ToolResultSummary } from '../protocol';
import { isHttpUrl } from '../protocol';
import { el, link } from './dom';

/** Stop reasons in words, for the footer. */
export const STOP_REASON_TEXT: Record<string, string> = {
  end_turn: 'Finished',
  max_tokens: 'Stopped: max tokens reached',
  stop_sequence: 'Stopped at a stop sequence',
  tool_use: 'Waiting for tool results',
  pause_turn: 'Paused (long-running turn; continue to resume)',
  refusal: 'Declined to answer (refusal)',
  model_context_window_exceeded: "Stopped: model's context window exceeded",
};


export function renderToolResult(s: ToolResultSummary): HTMLElement {
  const box = el('div', 'block tool-result');
  box.append(el('div', 'tool-result-head', resultTitle(s.resultType)));
  if (s.error) box.append(el('div', 'tool-error', `Error: ${s.error}`));
  if (s.links.length) {
    const list = el('ul', 'result-links');
    for (const r of s.links) {
      const li = el('li', 'result-link');
      li.append(isHttpUrl(r.url) ? link(r.title || r.url, r.url) : el('span', '', r.title || r.url), el('span', 'result-url', r.url));
      if (r.pageAge) li.append(el('span', 'result-age', r.pageAge));
      list.append(li);
    }
    box.append(list);
  }
  if (s.output) {
    if (s.output.stdout) box.append(el('div', 'output-label', 'stdout'), el('pre', 'stdout', s.output.stdout));
    if (s.output.stderr) box.append(el('div', 'output-label', 'stderr'), el('pre', 'stderr', s.output.stderr));
    if (s.output.returnCode !== undefined) box.append(el('div', 'return-code', `return code ${s.output.returnCode}`));
  }
  if (s.note) box.append(el('div', 'tool-note', s.note));
  return box;
}

function resultTitle(type: string): string {
  switch (type) {
    case 'web_search_tool_result': return 'Web search results';
    case 'web_fetch_tool_result': return 'Fetched page';
    case 'code_execution_tool_result':
    case 'bash_code_execution_tool_result': return 'Code execution result';
    case 'text_editor_code_execution_tool_result': return 'File operation result';
    case 'tool_result': return 'Tool result';
    default: return type;
  }
}

export function statusText(s: ResponseStatus): string {
  switch (s.state) {
    case 'streaming': return 'Streaming…';
    case 'continuing': return 'Continuing the interrupted answer…';
    case 'complete': return 'Complete';
    case 'cancelled': return 'Cancelled';
    case 'error': return `Error: ${s.message}${s.retryable ? ' (retryable)' : ''}`;
  }
}
