import * as assert from 'node:assert/strict';
import { fileMessage } from '../../../src/batch/requests/requestBuilder';
import { parseFileMessage } from '../../server/fileMessage';
import { structuredAnswerFor } from '../../server/structured';
import { commentLine, editAnswer, reviewAnswer } from '../../server/structuredAnswers';
import { applyEdits } from './structuredRequests';

/** The rules behind the structured answers, without HTTP: edge cases the batch tests do not reach. */
describe('local server: structured answer rules', () => {
  it('reads back exactly the content fileMessage sent, whatever its backtick runs', () => {
    for (const content of ['plain\n', 'no final newline', '```\ninner fence\n```\n', 'a ```````` run\n', '']) {
      const parsed = parseFileMessage(fileMessage('dir/file name.ts', content));
      assert.deepEqual(parsed, { relPath: 'dir/file name.ts', lang: 'ts', content: content.endsWith('\n') ? content : `${content}\n` });
    }
    assert.equal(parseFileMessage('Not a file message'), undefined);
  });

  it('header comment syntax follows the extension', () => {
    const cases: [string, string][] = [
      ['a.yml', '# H'], ['a.toml', '# H'], ['a.sh', '# H'], ['a.html', '<!-- H -->'], ['a.xml', '<!-- H -->'],
      ['q.sql', '-- H'], ['s.lua', '-- H'], ['a.go', '// H'], ['Makefile', '// H'],
    ];
    for (const [path, expected] of cases) assert.equal(commentLine(path, 'H'), expected, path);
  });

  it('a CRLF file gets a CRLF header line', () => {
    const content = 'line one\r\nline two\r\n';
    const answer = editAnswer('Add a header comment.', 'a.ts', content);
    assert.equal(applyEdits(content, answer.edits), `// Header added by Claude\r\n${content}`);
  });

  it('whitespace-only content has no edits', () => {
    assert.deepEqual(editAnswer('Add a header comment.', 'a.ts', '\n\n\n').edits, []);
  });

  it('a repeated last line grows upwards and merges with the earlier edit, so edits never overlap', () => {
    const content = 'a X\nb\na X\n';
    const answer = editAnswer("replace 'X' with 'Y'", 'a.txt', content);
    assert.deepEqual(answer.edits, [{ old_text: 'a X\nb\na X', new_text: 'a Y\nb\na Y' }]);
    assert.equal(applyEdits(content, answer.edits), 'a Y\nb\na Y\n');
  });

  it('review replacements of a CRLF file carry no \\r; === and !== alone are not loose', () => {
    const { findings } = reviewAnswer('a.js', 'x == 1\r\nconsole.log(x)\r\nif (a !== b || c === d) {}\r\n');
    assert.deepEqual(findings.map((f) => [f.start_line, f.severity, f.replacement]), [
      [1, 'error', 'x === 1'],
      [2, 'info', 'console.debug(x)'],
    ]);
  });

  it('an unknown schema gets its minimal instance, as valid JSON', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'count', 'tags', 'level', 'nested'],
      properties: {
        title: { type: 'string' },
        count: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
        level: { type: 'string', enum: ['low', 'high'] },
        nested: { type: 'object', additionalProperties: false, required: ['ok'], properties: { ok: { type: 'boolean' }, extra: { type: 'string' } } },
      },
    };
    const answer = structuredAnswerFor({ max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], output_config: { format: { type: 'json_schema', schema } } });
    assert.deepEqual(answer && JSON.parse(answer.text), { title: '', count: 0, tags: [], level: 'low', nested: { ok: false } });
    assert.equal(structuredAnswerFor({ max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }), undefined);
  });
});
