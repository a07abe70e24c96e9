import * as assert from 'node:assert/strict';
import { fenceFor } from '../../../src/markdownFence';
import { buildAskParams, buildSummarizeParams, titleFor, type StreamSettings } from '../../../src/stream/promptBuilder';

const settings: StreamSettings = { model: 'claude-sonnet-5-5', maxTokens: 4096, systemPrompt: '', thinking: 'off', thinkingBudget: 2048, webSearch: false, workspaceTools: false };

describe('prompt builder', () => {
  it('Ask sends the selection as context before the question', () => {
    const p = buildAskParams({ question: 'What does it do?', context: { fileName: 'a.ts', languageId: 'typescript', text: 'const x = 1;', isSelection: true } }, settings);
    assert.equal(p.model, 'claude-sonnet-5-5');
    assert.equal(p.max_tokens, 4096);
    assert.equal(p.messages.length, 1);
    assert.equal(p.messages[0].content, 'Selection from a.ts:\n\n```typescript\nconst x = 1;\n```\n\nWhat does it do?');
    assert.equal(p.tools, undefined);
    assert.equal(p.system, undefined);
  });

  it('adds workspace tools and web search only when enabled, and never to Summarize', () => {
    const on = { ...settings, workspaceTools: true, webSearch: true };
    const ask = buildAskParams({ question: 'q' }, on);
    assert.deepEqual(ask.tools?.map((t) => ('name' in t ? t.name : t.type)), ['list_files', 'read_file', 'search_text', 'web_search']);
    const sum = buildSummarizeParams({ fileName: 'a.md', text: 'x', isSelection: false }, 'Summarize.', on);
    assert.equal(sum.tools, undefined);
    assert.match(sum.messages[0].content as string, /^Summarize\.\n\nFile a\.md:/);
  });

  it('thinking: adaptive, budget below max_tokens, or off', () => {
    assert.deepEqual(buildAskParams({ question: 'q' }, { ...settings, thinking: 'adaptive' }).thinking, { type: 'adaptive', display: 'summarized' });
    assert.deepEqual(buildAskParams({ question: 'q' }, { ...settings, thinking: 'budget', thinkingBudget: 9000 }).thinking, { type: 'enabled', budget_tokens: 4095 });
    assert.equal(buildAskParams({ question: 'q' }, settings).thinking, undefined);
  });

  it('fences file contents so backticks inside cannot close the block', () => {
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('has ```` four'), '`````');
  });

  it('titles are short and single-line', () => {
    assert.equal(titleFor('  a\nb  '), 'a b');
    assert.equal(titleFor('x'.repeat(100)).length, 48);
  });
});
