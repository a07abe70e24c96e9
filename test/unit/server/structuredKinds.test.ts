import * as assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import { clientFor, useServer } from './serverHarness';
import {
  EDIT_SCHEMA,
  REVIEW_SCHEMA,
  applyEdits,
  batchRequest,
  onlyText,
  resultsById,
  structuredParams,
  succeeded,
} from './structuredRequests';
import type { SubmittedFile } from './structuredRequests';

interface EditJson {
  summary: string;
  edits: { old_text: string; new_text: string }[];
}

interface ReviewJson {
  findings: { start_line: number; end_line: number; severity: string; message: string; replacement?: string }[];
}

/** Parses as the edit schema would accept: exactly the two keys, edits with exactly two string keys. */
function parseEdit(text: string): EditJson {
  const value = JSON.parse(text) as EditJson;
  assert.deepEqual(Object.keys(value).sort(), ['edits', 'summary']);
  assert.equal(typeof value.summary, 'string');
  for (const e of value.edits) {
    assert.deepEqual(Object.keys(e).sort(), ['new_text', 'old_text']);
    assert.ok(typeof e.old_text === 'string' && typeof e.new_text === 'string');
  }
  return value;
}

describe('local server: structured batch kinds', () => {
  const server = useServer();
  const client = () => clientFor(server());

  /** Submits one request per file, ends the batch and returns each file's succeeded message. */
  async function runBatch(paramsList: Anthropic.MessageCreateParamsNonStreaming[]): Promise<Anthropic.Message[]> {
    const requests = paramsList.map((p, i) => batchRequest(`f${i}`, p));
    const batch = await client().messages.batches.create({ requests });
    server().control.endBatch(batch.id);
    const results = await resultsById(await client().messages.batches.results(batch.id));
    return requests.map((r) => succeeded(results.get(r.custom_id)));
  }

  async function editsFor(instruction: string, file: SubmittedFile): Promise<EditJson> {
    const [message] = await runBatch([structuredParams(instruction, file, EDIT_SCHEMA)]);
    assert.equal(message.stop_reason, 'end_turn');
    return parseEdit(onlyText(message));
  }

  describe('edit kind', () => {
    const files: SubmittedFile[] = [
      { relPath: 'src/a.ts', content: 'export const a = 1;\nexport const b = 2;\n' },
      // No final newline: the edit must still apply to the file as it is on disk.
      { relPath: 'scripts/b.py', content: 'import os\n\nprint(os.name)' },
      // The first line recurs, so the unique prefix takes three lines; ```` inside needs a longer fence.
      { relPath: 'docs/c.md', content: '# Title\n\nSome ```` backticks\n# Title\n' },
    ];
    const headers = ['// Header added by Claude', '# Header added by Claude', '<!-- Header added by Claude -->'];

    it('"add a header comment": a batch of 3 files, each edit puts the header on line 1 and keeps the rest byte for byte', async () => {
      const messages = await runBatch(files.map((f) => structuredParams('Add a header comment to every file.', f, EDIT_SCHEMA)));
      messages.forEach((message, i) => {
        assert.equal(message.stop_reason, 'end_turn');
        const answer = parseEdit(onlyText(message));
        assert.equal(answer.edits.length, 1);
        assert.equal(applyEdits(files[i].content, answer.edits), `${headers[i]}\n${files[i].content}`);
        assert.ok(answer.summary.includes(files[i].relPath), answer.summary);
      });
      const md = parseEdit(onlyText(messages[2])).edits[0];
      assert.equal(md.old_text, '# Title\n\nSome ```` backticks');
    });

    it('the header is the first quoted string of the instruction (an apostrophe is not a quote)', async () => {
      const answer = await editsFor("Don't change code; add the header 'SPDX-License-Identifier: MIT' at the top.", files[0]);
      assert.deepEqual(answer.edits, [{ old_text: 'export const a = 1;', new_text: '// SPDX-License-Identifier: MIT\nexport const a = 1;' }]);
    });

    it('replace "X" with "Y": one edit per line, extended until unique, with every X replaced', async () => {
      const file = { relPath: 'src/paint.ts', content: "const colour = 'red';\nx = colour;\nfoo();\nx = colour;\nbar(colour, colour);\n" };
      const answer = await editsFor('Replace "colour" with "color" everywhere.', file);
      assert.deepEqual(answer.edits, [
        { old_text: "const colour = 'red';", new_text: "const color = 'red';" },
        { old_text: 'x = colour;\nfoo();', new_text: 'x = color;\nfoo();' },
        { old_text: 'x = colour;\nbar(colour, colour);', new_text: 'x = color;\nbar(color, color);' },
      ]);
      assert.equal(answer.summary, 'Replaced "colour" with "color" on 4 lines of src/paint.ts.');
      assert.equal(applyEdits(file.content, answer.edits), file.content.split('colour').join('color'));
    });

    it('replace with no occurrence, and an empty file: no edits, and the summary says so', async () => {
      const none = await editsFor('Replace `foo` with `bar`', files[0]);
      assert.deepEqual(none.edits, []);
      assert.match(none.summary, /^Nothing to change in src\/a\.ts/);
      const empty = await editsFor('Add a header comment.', { relPath: 'empty.ts', content: '' });
      assert.deepEqual(empty.edits, []);
      assert.match(empty.summary, /^Nothing to change in empty\.ts/);
    });

    it('[[max_tokens]] cuts the JSON mid-way: stop_reason max_tokens, output_tokens = max_tokens, not parseable', async () => {
      const file = { relPath: 'src/long.ts', content: '// [[max_tokens]]\nexport const x = 1;\n' };
      const [message] = await runBatch([structuredParams('Add a header comment.', file, EDIT_SCHEMA, { max_tokens: 3000 })]);
      assert.equal(message.stop_reason, 'max_tokens');
      assert.equal(message.usage.output_tokens, 3000);
      const text = onlyText(message);
      assert.ok(text.startsWith('{"summary":'), text);
      assert.throws(() => JSON.parse(text), SyntaxError);
    });

    it('an answer longer than max_tokens is cut where the tokens run out', async () => {
      const file = { relPath: 'src/a.ts', content: 'export const a = 1;\n' };
      const [message] = await runBatch([structuredParams('Add a header comment.', file, EDIT_SCHEMA, { max_tokens: 10 })]);
      assert.equal(message.stop_reason, 'max_tokens');
      assert.equal(message.usage.output_tokens, 10);
      assert.equal(onlyText(message).length, 40);
    });

    it('[[badjson]]: a text that is not JSON, with stop_reason end_turn', async () => {
      const file = { relPath: 'src/a.ts', content: 'please [[badjson]]\n' };
      const [message] = await runBatch([structuredParams('Add a header comment.', file, EDIT_SCHEMA)]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(onlyText(message), "Sorry, I can't produce JSON for this.");
    });

    it('[[outcome:errored]] in the file content still decides the outcome', async () => {
      const ok = batchRequest('ok', structuredParams('Add a header comment.', files[0], EDIT_SCHEMA));
      const bad = batchRequest('bad', structuredParams('Add a header comment.', { relPath: 'x.ts', content: '[[outcome:errored]]\n' }, EDIT_SCHEMA));
      const batch = await client().messages.batches.create({ requests: [ok, bad] });
      assert.deepEqual(server().control.endBatch(batch.id).request_counts, { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 0 });
    });
  });

  describe('review kind', () => {
    const longTodo = `// TODO ${'x'.repeat(100)}`;
    const file: SubmittedFile = {
      relPath: 'src/review.ts',
      content: [
        'const a = 1;',
        '// TODO: remove this hack',
        "console.log('a', a);",
        'if (a == 1 && b != 2) {}',
        'if (a === 1 && b !== 2) {}',
        '  console.log(x); // TODO tidy',
        longTodo,
      ].join('\n') + '\n',
    };

    it('finds TODOs, console.log and loose equality at the exact lines, ordered by line', async () => {
      const [message] = await runBatch([structuredParams('Review this file.', file, REVIEW_SCHEMA)]);
      assert.equal(message.stop_reason, 'end_turn');
      const answer = JSON.parse(onlyText(message)) as ReviewJson;
      assert.deepEqual(answer, {
        findings: [
          { start_line: 2, end_line: 2, severity: 'warning', message: 'TODO left in the code: // TODO: remove this hack' },
          { start_line: 3, end_line: 3, severity: 'info', message: 'Debug logging left in the code', replacement: "console.debug('a', a);" },
          { start_line: 4, end_line: 4, severity: 'error', message: 'Loose equality: use ===', replacement: 'if (a === 1 && b !== 2) {}' },
          { start_line: 6, end_line: 6, severity: 'warning', message: 'TODO left in the code: console.log(x); // TODO tidy' },
          { start_line: 6, end_line: 6, severity: 'info', message: 'Debug logging left in the code', replacement: '  console.debug(x); // TODO tidy' },
          { start_line: 7, end_line: 7, severity: 'warning', message: `TODO left in the code: ${longTodo.slice(0, 79)}…` },
        ],
      });
      assert.equal(Array.from(longTodo.slice(0, 79) + '…').length, 80);
    });

    it('loose equality is only checked in JavaScript/TypeScript; a clean file has no findings', async () => {
      const [py, clean] = await runBatch([
        structuredParams('Review.', { relPath: 'a.py', content: 'if a == 1:\n    pass\n' }, REVIEW_SCHEMA),
        structuredParams('Review.', { relPath: 'b.ts', content: 'export const ok = a === 1;\n' }, REVIEW_SCHEMA),
      ]);
      assert.deepEqual(JSON.parse(onlyText(py)), { findings: [] });
      assert.deepEqual(JSON.parse(onlyText(clean)), { findings: [] });
    });
  });

  describe('Run now (POST /v1/messages)', () => {
    const file: SubmittedFile = { relPath: 'src/run.ts', content: 'let n = 0;\nconsole.log(n == 0);\n' };

    it('client.messages.stream with output_config streams the same JSON as the batch result, in many deltas', async () => {
      const params = structuredParams('Review this file.', file, REVIEW_SCHEMA);
      const [batchMessage] = await runBatch([params]);
      const stream = client().messages.stream(params);
      let deltas = 0;
      stream.on('text', () => deltas++);
      const streamed = await stream.finalMessage();
      assert.equal(onlyText(streamed), onlyText(batchMessage));
      assert.equal(streamed.stop_reason, 'end_turn');
      assert.ok(deltas > 3, `${deltas} deltas`);
      const edit = structuredParams('Replace "n" with "count"', file, EDIT_SCHEMA);
      const [batchEdit] = await runBatch([edit]);
      assert.equal(onlyText(await client().messages.create(edit)), onlyText(batchEdit));
    });

    it('a dropped stream resumed with an "interrupted" user turn loses no character of the JSON', async () => {
      const params = structuredParams('Review this file.', file, REVIEW_SCHEMA);
      const full = onlyText(await client().messages.create(params));
      server().control.script({ fault: { type: 'drop', afterEvent: 12 } });
      const first = client().messages.stream(params);
      let partial = '';
      first.on('text', (t) => (partial += t));
      await assert.rejects(first.finalMessage());
      assert.ok(partial.length > 0 && partial.length < full.length, `${partial.length} of ${full.length}`);
      const resume = `Your previous response was interrupted. It ended with:\n\`\`\`\`\n${partial}\n\`\`\`\`\nPlease continue.`;
      const rest = await client().messages.create({
        ...params,
        messages: [...params.messages, { role: 'assistant', content: partial }, { role: 'user', content: resume }],
      });
      assert.equal(partial + onlyText(rest), full);
    });

    it('[[max_tokens]] streams a cut-off JSON with stop_reason max_tokens', async () => {
      const params = structuredParams('Add a header comment.', { relPath: 'a.ts', content: '[[max_tokens]]\n' }, EDIT_SCHEMA, { max_tokens: 500 });
      const message = await client().messages.stream(params).finalMessage();
      assert.equal(message.stop_reason, 'max_tokens');
      assert.equal(message.usage.output_tokens, 500);
      assert.throws(() => JSON.parse(onlyText(message)), SyntaxError);
    });
  });
});
