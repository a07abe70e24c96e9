import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileMessage } from '../../../src/batch/requests/requestBuilder';
import { buildAskParams, buildSummarizeParams, type StreamSettings } from '../../../src/stream/promptBuilder';
import { answerFor, answerForPrompt } from '../../server/answers';
import { topLevelSymbols } from '../../server/demoAnswers';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string) => fs.readFileSync(path.join(root, 'test/fixtures/workspace', rel), 'utf8');
const SETTINGS: StreamSettings = { model: 'claude-sonnet-5-5', maxTokens: 1000, systemPrompt: '', thinking: 'off', thinkingBudget: 2048, webSearch: false, workspaceTools: false };
const INSTRUCTION = 'Summarize this file for a developer who has not read it: its purpose, its main parts, and anything surprising. Use short markdown.';

describe('local server: demo answers tied to the request', () => {
  it('Summarize quotes the file\'s real name, its line count and its top-level symbols', () => {
    const params = buildSummarizeParams({ fileName: 'src/a.ts', languageId: 'typescript', text: fixture('src/a.ts'), isSelection: false }, INSTRUCTION, SETTINGS);
    const answer = answerFor(params as { messages: unknown });
    assert.equal(answer.split('\n')[0], '# Summary of src/a.ts');
    assert.match(answer, /\*\*src\/a\.ts\*\* is a TypeScript file of 10 lines/);
    assert.match(answer, /top-level symbols are `add` and `main`/);
    assert.match(answer, /\| `add` \| function, exported \| 4 \|/);
    assert.match(answer, /depends on `\.\/b`/);
    assert.match(answer, /The comment above `add` says: “Adds two numbers/);
  });

  it('a selection is summarized as a selection', () => {
    const params = buildSummarizeParams({ fileName: 'src/b.ts', languageId: 'typescript', text: 'export const VERSION = \'1.0.0\';', isSelection: true }, INSTRUCTION, SETTINGS);
    const answer = answerFor(params as { messages: unknown });
    assert.equal(answer.split('\n')[0], '# Summary of a selection from src/b.ts');
    assert.match(answer, /1 line of TypeScript/);
    assert.match(answer, /`VERSION`/);
  });

  it('a batch result reads like a summary of its own file', () => {
    const b = answerForPrompt(fileMessage('src/b.ts', fixture('src/b.ts')));
    assert.match(b, /^# Summary of src\/b\.ts\n/);
    assert.match(b, /TypeScript file of 5 lines/);
    assert.match(b, /`greet` and `VERSION`/);
    const readme = answerForPrompt(fileMessage('README.md', fixture('README.md')));
    assert.match(readme, /Markdown document of 9 lines/);
    assert.match(readme, /top-level heading is `Sample workspace`/);
    const notes = answerForPrompt(fileMessage('docs/notes.txt', fixture('docs/notes.txt')));
    assert.match(notes, /plain-text file of 5 lines/);
    assert.match(notes, /begins with “Notes — non-ASCII on purpose”/);
  });

  for (const [question, fence, snippet] of [
    ['Write a Python function that reverses a string', 'python', 'def reverse_text(text: str) -> str:'],
    ['Can you show me a Go function to sort numbers?', 'go', 'func SortedItems(xs []int) []int {'],
    ['Implement a word count in Rust', 'rust', 'fn count_words(s: &str)'],
    ['A bash script that sums a column, please', 'bash', 'sum_values() {'],
    ['Write some code that parses config files', 'ts', 'export function parsesConfigFiles(input: string): Result {'],
  ] as const) {
    it(`"${question}" gets a \`\`\`${fence} block and a short explanation`, () => {
      const answer = answerForPrompt(question);
      assert.ok(answer.includes('```' + fence + '\n'), answer);
      assert.ok(answer.includes(snippet), answer);
      const after = answer.slice(answer.lastIndexOf('```') + 3);
      assert.match(after, /## How it works\n\n- /);
    });
  }

  it('a code question about a selection uses the selection\'s language when it names none', () => {
    const params = buildAskParams({ question: 'Write an example that uses this', context: { fileName: 'tool.py', languageId: 'python', text: 'def run():\n    pass\n', isSelection: true } }, SETTINGS);
    const answer = answerFor(params as { messages: unknown });
    assert.match(answer, /```python\n/);
    assert.match(answer, /selected in `tool\.py` \(2 lines of Python\)/);
  });

  it('any other question is answered in its own words, the same way every time', () => {
    const a = answerForPrompt('How should I structure retries for flaky uploads?');
    assert.equal(a, answerForPrompt('How should I structure retries for flaky uploads?'));
    assert.equal(a.split('\n')[0], '# How should I structure retries for flaky uploads?');
    assert.match(a, /\*\*Structure\*\*|\*\*Retries\*\*/);
    assert.match(a, /retries/);
    assert.doesNotMatch(a, /```/);
  });

  it('finds top-level symbols in Python, Go, Rust and Markdown', () => {
    const names = (lang: string, text: string) => topLevelSymbols({ lang, lines: text.split('\n') }).map((s) => `${s.kind}:${s.name}`);
    assert.deepEqual(names('py', 'import os\n\nclass Store:\n    def get(self):\n        pass\n\ndef main():\n    pass\nLIMIT = 3'), ['class:Store', 'function:main', 'constant:LIMIT']);
    assert.deepEqual(names('go', 'package x\n\ntype Store struct{}\n\nfunc (s *Store) Get() {}\nfunc main() {}'), ['type:Store', 'function:Get', 'function:main']);
    assert.deepEqual(names('rs', 'pub struct A;\nfn b() {}\nimpl A {\n    fn c() {}\n}'), ['struct:A', 'function:b']);
    assert.deepEqual(names('md', '# T\n\ntext\n\n## One\n### deeper\n## Two'), ['title:T', 'section:One', 'section:Two']);
  });
});
