import * as assert from 'node:assert/strict';
import { isHostToWebviewMessage, isResponsePatch, isWebviewToHostMessage } from '../../src/protocol';

describe('protocol guards', () => {
  it('accepts every webview → host message', () => {
    for (const m of [
      { type: 'ready' }, { type: 'cancel', requestId: 'r' }, { type: 'retry', requestId: 'r' },
      { type: 'openLink', url: 'https://example.com/a?b#c' }, { type: 'copy', text: 'x' },
      { type: 'requestSnapshot' }, { type: 'requestSnapshot', requestId: 'r' },
      { type: 'followUp', requestId: 'r', text: 'and then?' },
      { type: 'codeAction', action: 'insert', code: 'x' }, { type: 'codeAction', action: 'apply', code: '', language: 'ts', fileHint: 'src/a.ts' },
      { type: 'codeAction', action: 'newFile', code: 'x', language: 'python' },
      { type: 'export', requestId: 'r', target: 'open' }, { type: 'export', requestId: 'r', target: 'save' },
      { type: 'newConversation', requestId: 'r' },
    ]) assert.ok(isWebviewToHostMessage(m), JSON.stringify(m));
  });

  it('rejects junk and look-alikes from the webview', () => {
    for (const m of [
      null, undefined, 1, 'ready', [], [{ type: 'ready' }], {}, { type: 'Ready' }, { type: 'ready', extra: 1 },
      { type: 'cancel' }, { type: 'cancel', requestId: 5 }, { type: 'openLink', url: 'javascript:alert(1)' },
      { type: 'openLink', url: 'file:///etc/passwd' }, { type: 'openLink', url: 'command:workbench.action.x' },
      { type: 'openLink' }, { type: 'copy', text: null }, { type: 'requestSnapshot', requestId: 1 },
      { type: 'patch', requestId: 'r', seq: 1, patches: [] }, Object.create({ type: 'ready' }),
      // Hostile follow-ups and code actions: empty, oversized, wrong types, extra keys, unknown actions.
      { type: 'followUp', requestId: 'r', text: '   ' }, { type: 'followUp', requestId: 'r' }, { type: 'followUp', text: 'x' },
      { type: 'followUp', requestId: 'r', text: 'x'.repeat(1_000_001) }, { type: 'followUp', requestId: 'r', text: 'x', model: 'y' },
      { type: 'codeAction', action: 'delete', code: 'x' }, { type: 'codeAction', action: 'apply' }, { type: 'codeAction', action: 'apply', code: 1 },
      { type: 'codeAction', action: 'apply', code: 'x', fileHint: 'a\nb' }, { type: 'codeAction', action: 'apply', code: 'x', fileHint: 'a'.repeat(300) },
      { type: 'codeAction', action: 'apply', code: 'x', path: '/etc/passwd' }, { type: 'codeAction', action: 'insert', code: 'x', language: 5 },
      { type: 'export', requestId: 'r', target: 'file:///tmp/x' }, { type: 'export', requestId: 'r' }, { type: 'newConversation' },
    ]) assert.equal(isWebviewToHostMessage(m), false, JSON.stringify(m));
  });

  it('accepts well-formed host → webview messages', () => {
    assert.ok(isHostToWebviewMessage({
      type: 'patch', requestId: 'r', seq: 3, patches: [
        { type: 'blockStart', index: 0, block: { kind: 'toolResult', summary: { resultType: 'web_search_tool_result', links: [{ title: 't', url: 'https://x' }] } } },
        { type: 'blockStop', index: 0, interrupted: true },
        { type: 'status', status: { state: 'error', message: 'x', retryable: false } },
        { type: 'footer', footer: { inputTokens: 1, costUsd: 0.1 } },
        { type: 'continuation' },
        { type: 'citations', index: 1, citations: [{ n: 1, citedText: 'c', title: 't', url: 'https://x' }] },
      ],
    }));
    assert.ok(isHostToWebviewMessage({ type: 'snapshot', requestId: 'r', seq: 0, title: '', blocks: [], notes: [], footer: {}, status: { state: 'streaming' } }));
  });

  it('rejects malformed host → webview messages', () => {
    for (const m of [
      { type: 'patch', requestId: 'r', seq: -1, patches: [] },
      { type: 'patch', requestId: 'r', seq: 1.5, patches: [] },
      { type: 'patch', requestId: 'r', seq: 1, patches: [{ type: 'textAppend', index: 0 }] },
      { type: 'patch', requestId: 'r', seq: 1, patches: [{ type: 'textAppend', index: 0, text: 'x', html: '<b>' }] },
      { type: 'patch', requestId: 'r', seq: 1, patches: [{ type: 'blockStart', index: 0, block: { kind: 'html' } }] },
      { type: 'patch', requestId: 'r', seq: 1, patches: [{ type: 'status', status: { state: 'error' } }] },
      { type: 'snapshot', requestId: 'r', seq: 0 },
      { type: 'ready' },
    ]) assert.equal(isHostToWebviewMessage(m), false, JSON.stringify(m));
    assert.equal(isResponsePatch({ type: 'toString' }), false);
    assert.equal(isResponsePatch({ type: '__proto__' }), false);
  });
});
