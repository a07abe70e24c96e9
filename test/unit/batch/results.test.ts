import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EAGER_OPEN_LIMIT, mapResult } from '../../../src/batch/results/mapResult';
import { safeRelativeResultPath, safeResultPath } from '../../../src/batch/results/resultPaths';
import { resultsIndexMarkdown } from '../../../src/batch/results/resultsIndex';
import type { ManifestEntry } from '../../../src/batch/requests/requestBuilder';
import { fixtureLines } from './helpers';

const entry = (customId: string, relPath: string): ManifestEntry => ({ customId, uri: `file:///w/${relPath}`, relPath, bytes: 1, sha256: '' });

describe('batch/results', () => {
  const ok = fixtureLines('04-results.jsonl');
  const bad = fixtureLines('05-results-nonsuccess.SYNTHESIZED.jsonl');

  it('maps a succeeded result to its text under a header with file, model and tokens', () => {
    const mapped = mapResult(ok[0]!, entry('my-second-request', 'src/app.ts'));
    assert.equal(mapped.state, 'succeeded');
    assert.equal(mapped.title, 'src/app.ts');
    assert.equal(mapped.relPath, 'src/app.ts');
    assert.equal(
      mapped.markdown,
      '# src/app.ts\n\n> **File:** `src/app.ts` · **Model:** `claude-opus-5` · **Tokens:** 11 in · 36 out tokens\n\n' +
        "Hello again! It's nice to see you. How can I assist you today? Is there anything specific you'd like to chat about or any questions you have?\n",
    );
  });

  it('titles results of external batches by custom_id', () => {
    const mapped = mapResult(ok[1]!);
    assert.equal(mapped.title, 'my-first-request');
    assert.equal(mapped.relPath, undefined);
    assert.ok(mapped.markdown.includes('**Request:** `my-first-request`'));
  });

  it('maps errored, canceled and expired results plainly', () => {
    const [e1, e2, canceled, expired] = bad.map((l) => mapResult(l, entry(l.custom_id, `${l.custom_id}.py`)));
    assert.equal(e1!.state, 'errored');
    assert.ok(
      e1!.markdown.includes(
        '**Errored**: invalid_request_error: max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001',
      ),
    );
    assert.ok(e2!.markdown.includes('**Errored**: overloaded_error: Overloaded'));
    assert.equal(canceled!.state, 'canceled');
    assert.match(canceled!.markdown, /\*\*Canceled\*\*: the batch was canceled/);
    assert.equal(expired!.state, 'expired');
    assert.match(expired!.markdown, /\*\*Expired\*\*: the batch reached its 24-hour limit/);
  });

  it('notes a stop reason other than end_turn and joins only text blocks', () => {
    const line = structuredClone(ok[0]!);
    if (line.result.type !== 'succeeded') throw new Error('fixture');
    line.result.message.stop_reason = 'max_tokens';
    line.result.message.content = [
      { type: 'thinking', thinking: 'hmm', signature: 's' },
      { type: 'text', text: 'One.', citations: null },
      { type: 'text', text: 'Two.', citations: null },
    ];
    const md = mapResult(line).markdown;
    assert.ok(md.includes('**Stopped: max tokens reached** (`max_tokens`)'));
    assert.ok(md.endsWith('One.\n\nTwo.\n'));
    assert.ok(!md.includes('hmm'));
  });

  it('builds an index with relative links, failures first', () => {
    const md = resultsIndexMarkdown(
      'msgbatch_1',
      [
        { customId: 'a', relPath: 'src/b c.ts', state: 'succeeded', path: 'src/b c.ts.md' },
        { customId: 'b', relPath: 'src/a.ts', state: 'errored', path: 'src/a.ts.md' },
      ],
      { mode: 'folder', model: 'claude-opus-5' },
    );
    const lines = md.split('\n');
    assert.ok(md.includes('2 results: 1 succeeded · 1 errored'));
    const items = lines.filter((l) => l.startsWith('- '));
    assert.deepEqual(items, ['- [src/a.ts](src/a.ts.md) — **errored**', '- [src/b c.ts](src/b%20c.ts.md)']);
    const editor = resultsIndexMarkdown('msgbatch_1', [{ customId: 'f1-x', state: 'expired' }], { mode: 'editor' });
    assert.ok(editor.includes('- f1-x — **expired**\n'));
  });

  it('opens the first results eagerly and the rest from the index', () => {
    assert.equal(EAGER_OPEN_LIMIT, 20);
  });

  describe('safeResultPath', () => {
    const root = '/results';
    const attacks = [
      '../../etc/passwd',
      'a/../../b',
      '..',
      '/etc/passwd',
      '\\\\server\\share\\x',
      'C:\\Windows\\system32\\x.dll',
      'C:x',
      'a\\..\\..\\b',
      'file:///etc/passwd',
      'a/\u0000b',
      '. . /x',
      '.. /x',
      '... /x',
      'CON',
      'a/aux.txt',
      'link -> /etc/passwd',
      '~/.ssh/id_rsa',
      'x'.repeat(2000),
      '',
      'index',
      '_by-id/f1-x',
      'a/b:c*?.ts',
    ];

    it('never leaves <root>/<batchId>/ whatever the path says', () => {
      for (const attack of attacks) {
        const out = safeResultPath(root, 'msgbatch_1', attack, 'f1-x');
        const resolved = path.posix.resolve(out);
        assert.ok(resolved.startsWith('/results/msgbatch_1/'), `${JSON.stringify(attack)} → ${out}`);
        assert.ok(out.endsWith('.md'));
        assert.ok(!/[\u0000-\u001f]/.test(out));
        for (const seg of out.split('/').slice(1)) {
          assert.ok(seg !== '..' && seg !== '.', `${attack} → ${out}`);
          assert.ok(!/[. ]$/.test(seg), `${attack} → ${out} (Windows trims trailing dots)`);
          assert.ok(!/[<>:"|?*\\]/.test(seg), `${attack} → ${out}`);
        }
      }
    });

    it('falls back to the custom_id for unusable paths', () => {
      assert.equal(safeRelativeResultPath('../../etc/passwd', 'f1-x'), '_by-id/f1-x.md');
      assert.equal(safeRelativeResultPath('/etc/passwd', 'f1-x'), '_by-id/f1-x.md');
      assert.equal(safeRelativeResultPath('C:\\x', 'f1-x'), '_by-id/f1-x.md');
      assert.equal(safeRelativeResultPath(undefined, 'my-first-request'), '_by-id/my-first-request.md');
      assert.equal(safeRelativeResultPath('x', '../evil'), 'x.md');
      assert.equal(safeRelativeResultPath(undefined, '../evil'), '_by-id/___evil.md');
    });

    it('keeps ordinary paths readable', () => {
      assert.equal(safeRelativeResultPath('src/app.ts', 'f'), 'src/app.ts.md');
      assert.equal(safeRelativeResultPath('src\\win\\path.cs', 'f'), 'src/win/path.cs.md');
      assert.equal(safeRelativeResultPath('./docs/Überblick.md', 'f'), 'docs/Überblick.md.md');
      assert.equal(safeRelativeResultPath('index', 'f'), '_index.md');
      assert.equal(safeRelativeResultPath('CON', 'f'), '_CON.md');
      assert.equal(safeRelativeResultPath('a/b:c*?.ts', 'f'), 'a/b_c__.ts.md');
      assert.equal(safeResultPath('C:\\res\\', 'msg/../x', 'a.ts'), 'C:\\res/msg____x/a.ts.md');
    });

    it('treats plain segments like any other: reserved names, trailing dots, the length limit', () => {
      assert.equal(safeRelativeResultPath('src/con.ts/lpt1/Aux', 'f'), 'src/_con.ts/_lpt1/_Aux.md');
      assert.equal(safeRelativeResultPath('src/a./b../c', 'f'), 'src/a/b/c.md');
      assert.equal(safeRelativeResultPath(`${'a'.repeat(200)}/x`, 'f'), `${'a'.repeat(200)}/x.md`);
      assert.equal(safeRelativeResultPath(`${'a'.repeat(201)}/x`, 'f'), `${'a'.repeat(200)}/x.md`);
      assert.equal(safeRelativeResultPath('a-b_c.d/.e', 'f'), 'a-b_c.d/.e.md');
    });
  });
});
