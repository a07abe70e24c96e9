// A conversation as markdown (Open as Markdown, Save Conversation As…): the questions, the
// answers, and optionally thinking and tool calls as collapsible <details> sections. Pure.

import { fenceFor } from '../markdownFence';
import { formatUsd, stopReasonText, tokensText } from '../format/display';
import type { BlockSnapshot, SnapshotMessage } from '../protocol';

export interface MarkdownOptions {
  /** Include thinking blocks (collapsed). */
  thinking: boolean;
  /** Include tool calls and results (collapsed). */
  tools: boolean;
}

/**
 * The markdown of a snapshot. `firstQuestion` is the prompt that started it (the first user
 * turn is not a block in the transcript: only follow-ups are).
 */
export function conversationMarkdown(s: SnapshotMessage, firstQuestion: string, options: MarkdownOptions): string {
  const out: string[] = [`# ${s.title || 'Claude'}`, '', '## You', '', firstQuestion.trim(), '', '## Claude', ''];
  let text = '';
  const flush = () => {
    if (text.trim()) out.push(text.trim(), '');
    text = '';
  };
  for (const b of s.blocks) {
    if (b.block.kind === 'text') {
      text += b.content;
      continue;
    }
    flush();
    out.push(...blockMarkdown(b, options));
  }
  flush();
  const f = s.footer;
  const footer = [f.stopReason ? stopReasonText(f.stopReason) : '', f.model ?? '', tokensText(f), f.costUsd !== undefined ? `≈ ${formatUsd(f.costUsd)}` : '']
    .filter(Boolean)
    .join(' · ');
  out.push('---', '', `*${footer}*`, '');
  return out.join('\n');
}

function blockMarkdown(b: BlockSnapshot, o: MarkdownOptions): string[] {
  switch (b.block.kind) {
    case 'userTurn':
      return ['## You', '', b.content.trim(), '', '## Claude', ''];
    case 'thinking':
      return o.thinking && b.content ? details('Thinking', b.content) : [];
    case 'redactedThinking':
      return o.thinking ? ['*Some of Claude’s reasoning was encrypted for safety reasons.*', ''] : [];
    case 'toolUse':
      return o.tools ? details(`${b.block.server ? 'Server tool' : 'Tool'}: ${b.block.name}`, b.prettyJson ?? b.content, 'json') : [];
    case 'toolResult': {
      if (!o.tools) return [];
      const s = b.block.summary;
      const lines = [...s.links.map((l) => `- [${l.title || l.url}](${l.url})`), s.output?.stdout ?? '', s.error ? `Error: ${s.error}` : '', s.note ?? ''];
      return details(`Result: ${s.resultType}`, lines.filter(Boolean).join('\n'));
    }
    default:
      return [];
  }
}

function details(summary: string, body: string, language = ''): string[] {
  const fence = fenceFor(body);
  return ['<details>', `<summary>${escapeHtml(summary)}</summary>`, '', `${fence}${language}`, body, fence, '', '</details>', ''];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
