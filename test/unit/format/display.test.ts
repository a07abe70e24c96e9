import * as assert from 'node:assert/strict';
import { contextText, formatCompact, formatInt, formatUsd, refusalText, stopReasonText, tokensText } from '../../../src/format/display';
import { gateEffort } from '../../../src/api/modelInfoCache';
import { MODELS } from '../../server/models';
import { conversationMarkdown } from '../../../src/history/conversationMarkdown';
import { parseInfo } from '../../../src/webview/fenceInfo';
import { languageIdFor } from '../../../src/stream/codeLanguages';

describe('display wording (one module for the panel, the output channel and batch results)', () => {
  it('stop reasons, refusals, tokens, USD and the context gauge', () => {
    assert.equal(stopReasonText('end_turn'), 'Finished');
    assert.equal(stopReasonText('model_context_window_exceeded'), 'Stopped: the conversation is too long for the model’s context window');
    assert.equal(stopReasonText('brand_new_reason'), 'Stopped: brand_new_reason');
    assert.equal(refusalText('frontier_llm', 'Restricted by the terms.'), 'Declined to answer (refusal): category frontier llm — Restricted by the terms.');
    assert.equal(refusalText(), 'Declined to answer (refusal)');
    assert.equal(formatInt(1234567), '1,234,567');
    for (const n of [0, 7, 999, 1000, -1000, 12345.6, 100000, -987654321, undefined]) assert.equal(formatInt(n), Math.round(n ?? 0).toLocaleString('en-US'), String(n));
    assert.equal(tokensText({ inputTokens: 10, outputTokens: 2 }), '10 in · 2 out tokens');
    assert.equal(tokensText({ inputTokens: 10, outputTokens: 2, cacheReadTokens: 1500, cacheWriteTokens: 3 }), '10 in · 2 out · 1,500 cache read · 3 cache write tokens');
    assert.equal(formatUsd(0.00001), '<$0.0001');
    assert.equal(formatUsd(0.12345), '$0.1235');
    assert.equal(formatUsd(12.5), '$12.50');
    assert.equal(formatCompact(999), '999');
    assert.equal(formatCompact(1500), '1.5k');
    assert.equal(formatCompact(200_000), '200k');
    assert.equal(contextText(12_000, 200_000), '12k of 200k tokens (6%)');
  });

  it('effort is sent only where the Models API says the level is supported', () => {
    const sonnet55 = MODELS.find((m) => m.id === 'claude-sonnet-5-5')!;
    const sonnet45 = MODELS.find((m) => m.id === 'claude-sonnet-4-5')!;
    assert.deepEqual(gateEffort('default', sonnet55.id, sonnet55), {});
    assert.deepEqual(gateEffort('max', sonnet55.id, sonnet55), { effort: 'max' });
    assert.deepEqual(gateEffort('high', sonnet45.id, sonnet45), { effort: 'high' });
    assert.match(gateEffort('max', sonnet45.id, sonnet45).note ?? '', /does not support it/);
    assert.match(gateEffort('low', 'x', undefined).note ?? '', /did not describe x/);
  });

  it('fence info strings name a language and, unambiguously, a file', () => {
    assert.deepEqual(parseInfo('ts'), { language: 'ts' });
    assert.deepEqual(parseInfo('ts src/a.ts'), { language: 'ts', fileHint: 'src/a.ts' });
    assert.deepEqual(parseInfo('python title="tools/run.py"'), { language: 'python', fileHint: 'tools/run.py' });
    assert.deepEqual(parseInfo('ts ../../etc/passwd'), { language: 'ts' });
    assert.deepEqual(parseInfo(''), { language: undefined });
    assert.equal(languageIdFor('ts', ['typescript']), 'typescript');
    assert.equal(languageIdFor('klingon', ['typescript']), 'plaintext');
  });

  it('a conversation exports as markdown with thinking and tools collapsible, or left out', () => {
    const snapshot = {
      type: 'snapshot' as const, requestId: 'r', seq: 1, title: 'T', notes: [], status: { state: 'complete' as const },
      footer: { stopReason: 'end_turn', model: 'm', inputTokens: 3, outputTokens: 4 },
      blocks: [
        { index: 0, block: { kind: 'thinking' as const }, content: 'pondering', done: true, citations: [] },
        { index: 1, block: { kind: 'text' as const }, content: 'Answer one.', done: true, citations: [] },
        { index: 2, block: { kind: 'toolUse' as const, server: false, name: 'read_file', id: 't1' }, content: '{"path":"a"}', prettyJson: '{\n  "path": "a"\n}', done: true, citations: [] },
        { index: 3, block: { kind: 'userTurn' as const }, content: 'And then?', done: true, citations: [] },
        { index: 4, block: { kind: 'text' as const }, content: 'Answer two.', done: true, citations: [] },
      ],
    };
    const all = conversationMarkdown(snapshot, 'First?', { thinking: true, tools: true });
    assert.equal(all, [
      '# T', '', '## You', '', 'First?', '', '## Claude', '',
      '<details>', '<summary>Thinking</summary>', '', '```', 'pondering', '```', '', '</details>', '',
      'Answer one.', '',
      '<details>', '<summary>Tool: read_file</summary>', '', '```json', '{\n  "path": "a"\n}', '```', '', '</details>', '',
      '## You', '', 'And then?', '', '## Claude', '', 'Answer two.', '', '---', '', '*Finished · m · 3 in · 4 out tokens*', '',
    ].join('\n'));
    const bare = conversationMarkdown(snapshot, 'First?', { thinking: false, tools: false });
    assert.ok(!bare.includes('<details>'));
    assert.ok(bare.includes('Answer one.\n\n## You\n\nAnd then?'));
  });
});
