import type { MessageCreateParams, ThinkingConfigParam, ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import { fenceFor } from '../markdownFence';
import { WORKSPACE_TOOLS } from './workspaceTools';

/** The settings that shape a streamed request (read from `claudeEvents.*` by the host). */
export interface StreamSettings {
  model: string;
  maxTokens: number;
  systemPrompt: string;
  thinking: 'off' | 'adaptive' | 'budget';
  thinkingBudget: number;
  webSearch: boolean;
  workspaceTools: boolean;
  /** `output_config.effort`; the host leaves it out where the model does not support it. */
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
}

/** Text the user pointed at: a selection or a whole document. */
export interface PromptContext {
  fileName: string;
  languageId?: string;
  text: string;
  isSelection: boolean;
}

export interface AskInput {
  question: string;
  context?: PromptContext;
}

/** Non-streaming fields of a request; the runner adds `stream: true`. */
export type StreamParams = Omit<MessageCreateParams, 'stream'>;

/** A short title for the panel tab, from the prompt. */
export function titleFor(text: string, max = 48): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one || 'Claude';
}

export function contextBlock(ctx: PromptContext): string {
  const fence = fenceFor(ctx.text);
  const what = ctx.isSelection ? `Selection from ${ctx.fileName}` : `File ${ctx.fileName}`;
  return `${what}:\n\n${fence}${ctx.languageId ?? ''}\n${ctx.text}\n${fence}`;
}

export function buildAskParams(input: AskInput, s: StreamSettings): StreamParams {
  const text = input.context ? `${contextBlock(input.context)}\n\n${input.question}` : input.question;
  return finish(text, s, true);
}

export function buildSummarizeParams(ctx: PromptContext, instruction: string, s: StreamSettings): StreamParams {
  return finish(`${instruction}\n\n${contextBlock(ctx)}`, s, false);
}

function finish(userText: string, s: StreamSettings, allowTools: boolean): StreamParams {
  const params: StreamParams = {
    model: s.model,
    max_tokens: s.maxTokens,
    messages: [{ role: 'user', content: userText }],
  };
  if (s.systemPrompt.trim()) params.system = s.systemPrompt;
  const thinking = thinkingConfig(s);
  if (thinking) params.thinking = thinking;
  const tools: ToolUnion[] = [];
  if (allowTools && s.workspaceTools) tools.push(...WORKSPACE_TOOLS);
  if (allowTools && s.webSearch) tools.push({ type: 'web_search_20250305', name: 'web_search', max_uses: 5 });
  if (tools.length) params.tools = tools;
  if (s.effort) params.output_config = { effort: s.effort };
  return params;
}

function thinkingConfig(s: StreamSettings): ThinkingConfigParam | undefined {
  // Newer models omit the thinking text unless asked: ask, so the panel has thinking to show.
  if (s.thinking === 'adaptive') return { type: 'adaptive', display: 'summarized' };
  if (s.thinking === 'budget') {
    // The budget must stay below max_tokens; the API rejects anything else.
    const budget = Math.max(1024, Math.min(s.thinkingBudget, s.maxTokens - 1));
    return budget < s.maxTokens ? { type: 'enabled', budget_tokens: budget } : undefined;
  }
  return undefined;
}
