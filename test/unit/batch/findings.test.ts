import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { collectFindings } from '../../../src/batch/findings/collectFindings';
import {
  DIAGNOSTIC_SEVERITY,
  failedMarkdown,
  findingsSource,
  insideWorkspace,
  lineLengths,
  placeFinding,
  summaryMessage,
  type BatchFindings,
} from '../../../src/batch/findings/findings';
import type { ManifestEntry } from '../../../src/batch/requests/requestBuilder';
import { FindingsStore } from '../../../src/batch/store/findingsStore';
import { nodeFsPort } from '../../../src/batch/store/nodeFs';
import { asAsync, tempDir } from './helpers';

const ROOT = 'file:///w/project';
const entry = (customId: string, relPath: string, uri = `${ROOT}/${relPath}`): ManifestEntry => ({ customId, uri, relPath, bytes: 1, sha256: '' });

function succeeded(customId: string, text: string, stop: 'end_turn' | 'max_tokens' = 'end_turn'): MessageBatchIndividualResponse {
  return {
    custom_id: customId,
    result: {
      type: 'succeeded',
      message: {
        id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', content: [{ type: 'text', text, citations: null }],
        stop_reason: stop, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
      },
    },
  } as unknown as MessageBatchIndividualResponse;
}

const findingsJson = (...findings: object[]) => JSON.stringify({ findings });

describe('batch/findings: mapping review findings to the Problems panel', () => {
  it('names the source after the batch and its instruction, shortened to one line', () => {
    assert.equal(findingsSource('msgbatch_1', 'Review for leftovers.'), 'Claude batch msgbatch_1 (Review for leftovers.)');
    const long = findingsSource('msgbatch_2', 'Review this file for bugs,\n  risky code and leftovers (TODOs, debug logging).');
    assert.equal(long, 'Claude batch msgbatch_2 (Review this file for bugs, risky code a…)');
    assert.equal(long.length - 'Claude batch msgbatch_2 ()'.length, 40);
    assert.equal(findingsSource('msgbatch_3', '   '), 'Claude batch msgbatch_3');
  });

  it('maps severities to vscode.DiagnosticSeverity numbers (Error 0, Warning 1, Information 2, Hint 3)', () => {
    assert.deepEqual(DIAGNOSTIC_SEVERITY, { error: 0, warning: 1, info: 2, hint: 3 });
  });

  it('counts lines as an editor does (\\n, \\r\\n, \\r; a final newline starts an empty line)', () => {
    assert.deepEqual(lineLengths('ab\r\ncde\nf\rg'), [2, 3, 1, 1]);
    assert.deepEqual(lineLengths('x\n'), [1, 0]);
    assert.deepEqual(lineLengths(''), [0]);
  });

  it('places a finding at whole lines: 1-based inclusive lines become 0-based, the end at the last line length', () => {
    const lengths = [10, 20, 30, 40];
    assert.deepEqual(placeFinding({ startLine: 2, endLine: 3, severity: 'error', message: 'm', replacement: 'r' }, lengths), {
      startLine: 1, endLine: 2, endCharacter: 30, severity: 'error', message: 'm', replacement: 'r',
    });
    assert.deepEqual(placeFinding({ startLine: 1, endLine: 1, severity: 'hint', message: 'm' }, lengths), {
      startLine: 0, endLine: 0, endCharacter: 10, severity: 'hint', message: 'm',
    });
  });

  it('clamps line numbers past the end of the file to its last line (never drops or misplaces before line 1)', () => {
    const lengths = [5, 7, 0];
    const past = placeFinding({ startLine: 9, endLine: 12, severity: 'warning', message: 'm' }, lengths);
    assert.deepEqual([past.startLine, past.endLine, past.endCharacter], [2, 2, 0]);
    const straddling = placeFinding({ startLine: 2, endLine: 99, severity: 'warning', message: 'm' }, lengths);
    assert.deepEqual([straddling.startLine, straddling.endLine, straddling.endCharacter], [1, 2, 0]);
    const zero = placeFinding({ startLine: 0, endLine: 0, severity: 'info', message: 'm' }, lengths);
    assert.deepEqual([zero.startLine, zero.endLine, zero.endCharacter], [0, 0, 5]);
    const reversed = placeFinding({ startLine: 2, endLine: 1, severity: 'info', message: 'm' }, lengths);
    assert.deepEqual([reversed.startLine, reversed.endLine], [1, 1], 'an end before the start is the start line');
    const empty = placeFinding({ startLine: 3, endLine: 4, severity: 'info', message: 'm' }, []);
    assert.deepEqual([empty.startLine, empty.endLine, empty.endCharacter], [0, 0, 0]);
  });

  it('accepts only URIs strictly inside a workspace folder', () => {
    const roots = [ROOT, 'file:///w/other/'];
    assert.equal(insideWorkspace(`${ROOT}/src/a.ts`, roots), true);
    assert.equal(insideWorkspace('file:///w/other/x.md', roots), true);
    assert.equal(insideWorkspace(`${ROOT}`, roots), false, 'the folder itself is not a file in it');
    assert.equal(insideWorkspace('file:///w/project-evil/a.ts', roots), false, 'a sibling sharing the prefix');
    assert.equal(insideWorkspace(`${ROOT}/../secrets.txt`, roots), false);
    assert.equal(insideWorkspace(`${ROOT}/src/%2E%2E/%2E%2E/etc/passwd`, roots), false, 'escaped ..');
    assert.equal(insideWorkspace(`${ROOT}/a%2F..%2F..%2Fb`, roots), false, 'an escaped slash');
    assert.equal(insideWorkspace(`${ROOT}/a%ZZ`, roots), false, 'malformed escapes');
    assert.equal(insideWorkspace('file:///etc/passwd', roots), false);
    assert.equal(insideWorkspace(`${ROOT}/a.ts`, []), false, 'no folder open');
  });

  it('summarises counts with singulars and plurals', () => {
    assert.equal(summaryMessage(3, 2, 1), '3 findings in 2 files; 1 result failed');
    assert.equal(summaryMessage(1, 1, 0), '1 finding in 1 file; 0 results failed');
  });

  it('lists each failed result with its reason and raw text in a fence that the text cannot close', () => {
    const md = failedMarkdown('msgbatch_1', [
      { customId: 'f0', relPath: 'src/a.ts', reason: 'cut off by max_tokens', raw: '{"findings": [ ``` ' },
      { customId: 'f1', reason: 'errored: overloaded_error: Overloaded', raw: '' },
    ]);
    assert.match(md, /^# Failed review results of msgbatch_1\n\n2 results produced no findings:/);
    assert.match(md, /## src\/a\.ts\n\n\*\*Reason:\*\* cut off by max_tokens\n/);
    assert.match(md, /````text\n\{"findings": \[ ``` \n````\n/);
    assert.match(md, /## f1\n\n\*\*Reason:\*\* errored: overloaded_error: Overloaded\n[\s\S]*_No text was returned._/);
  });
});

describe('batch/findings: collecting findings from streamed results', () => {
  const manifest = new Map<string, ManifestEntry>([
    ['f0', entry('f0', 'src/a.ts')],
    ['f1', entry('f1', 'src/b.ts')],
    ['f2', entry('f2', 'src/clean.ts')],
    ['f3', entry('f3', 'src/cut.ts')],
    ['f4', entry('f4', '../outside.ts', 'file:///w/outside.ts')],
    ['f5', entry('f5', 'src/gone.ts')],
  ]);
  const files: Record<string, number[]> = { [`${ROOT}/src/a.ts`]: [12, 30, 4], [`${ROOT}/src/b.ts`]: [8] };
  const deps = {
    manifest,
    inWorkspace: (uri: string) => insideWorkspace(uri, [ROOT]),
    lineLengths: async (uri: string) => files[uri],
  };

  it('places each file\'s findings, skips files without any, and refuses or fails the rest with a reason', async () => {
    const lines = [
      succeeded('f0', findingsJson(
        { start_line: 2, end_line: 2, severity: 'info', message: 'Debug logging left in the code', replacement: '  console.debug(x);' },
        { start_line: 7, end_line: 9, severity: 'warning', message: 'past the end' },
      )),
      succeeded('f1', findingsJson({ start_line: 1, end_line: 1, severity: 'error', message: 'Loose equality: use ===' })),
      succeeded('f0', findingsJson({ start_line: 1, end_line: 1, severity: 'error', message: 'a repeated line counts once' })),
      succeeded('f2', findingsJson()),
      succeeded('f3', '{"findings": [{"start_line": 1', 'max_tokens'),
      succeeded('f4', findingsJson({ start_line: 1, end_line: 1, severity: 'error', message: 'x' })),
      succeeded('f5', findingsJson({ start_line: 1, end_line: 1, severity: 'error', message: 'x' })),
      succeeded('unknown', findingsJson({ start_line: 1, end_line: 1, severity: 'error', message: 'x' })),
      { custom_id: 'f9', result: { type: 'expired' } } as MessageBatchIndividualResponse,
    ];
    const counts: number[] = [];
    const out = await collectFindings(asAsync(lines), deps, (n) => counts.push(n));
    assert.equal(out.results, 8);
    assert.deepEqual(counts, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(out.files, [
      {
        uri: `${ROOT}/src/a.ts`, relPath: 'src/a.ts', customId: 'f0', findings: [
          { startLine: 1, endLine: 1, endCharacter: 30, severity: 'info', message: 'Debug logging left in the code', replacement: '  console.debug(x);' },
          { startLine: 2, endLine: 2, endCharacter: 4, severity: 'warning', message: 'past the end' },
        ],
      },
      { uri: `${ROOT}/src/b.ts`, relPath: 'src/b.ts', customId: 'f1', findings: [{ startLine: 0, endLine: 0, endCharacter: 8, severity: 'error', message: 'Loose equality: use ===' }] },
    ]);
    assert.deepEqual(out.failed.map((f) => [f.customId, f.relPath, f.reason]), [
      ['f3', 'src/cut.ts', 'cut off by max_tokens (raise claudeEvents.maxTokens and retry)'],
      ['f4', '../outside.ts', 'refused: ../outside.ts is outside the workspace'],
      ['f5', 'src/gone.ts', 'src/gone.ts can no longer be read (deleted or moved?)'],
      ['unknown', undefined, 'refused: the batch manifest names no file for this result'],
      ['f9', undefined, 'refused: the batch manifest names no file for this result'],
    ]);
    assert.equal(out.failed[0]!.raw, '{"findings": [{"start_line": 1', 'the raw text of a failed result is kept');
  });

  it('refuses a relative path with .. even when its URI looks inside the workspace', async () => {
    const sneaky = new Map([['s', entry('s', 'src/../../x.ts', `${ROOT}/src/x.ts`)]]);
    const out = await collectFindings(asAsync([succeeded('s', findingsJson({ start_line: 1, end_line: 1, severity: 'error', message: 'x' }))]), {
      ...deps, manifest: sneaky, lineLengths: async () => [1],
    });
    assert.deepEqual(out.files, []);
    assert.match(out.failed[0]!.reason, /^refused: /);
  });
});

describe('batch/store: findings kept per batch until cleared', () => {
  const batch: BatchFindings = {
    batchId: 'msgbatch_01',
    source: 'Claude batch msgbatch_01 (Review.)',
    files: [{ uri: `${ROOT}/src/a.ts`, relPath: 'src/a.ts', customId: 'f0', findings: [{ startLine: 0, endLine: 1, endCharacter: 3, severity: 'error', message: 'm', replacement: 'r' }] }],
  };

  it('round-trips a batch through its own file, lists every batch, and removes it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = new FindingsStore(nodeFsPort(dir));
      assert.deepEqual(await store.all(), []);
      await store.put(batch);
      await store.put({ ...batch, batchId: 'msgbatch_02', files: [] });
      assert.deepEqual(fs.readdirSync(path.join(dir, 'findings')).sort(), ['msgbatch_01.json', 'msgbatch_02.json']);
      // A new store over the same directory is what the next window builds.
      const reopened = new FindingsStore(nodeFsPort(dir));
      assert.deepEqual(await reopened.get('msgbatch_01'), batch);
      assert.deepEqual((await reopened.all()).map((b) => b.batchId), ['msgbatch_01', 'msgbatch_02']);
      await reopened.remove('msgbatch_01');
      assert.equal(await new FindingsStore(nodeFsPort(dir)).get('msgbatch_01'), undefined);
      await reopened.remove('msgbatch_01'); // removing twice is fine
    } finally {
      cleanup();
    }
  });

  it('skips a torn or foreign file with a warning instead of failing the restore', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const warnings: string[] = [];
      const store = new FindingsStore(nodeFsPort(dir), (m) => warnings.push(m));
      await store.put(batch);
      fs.writeFileSync(path.join(dir, 'findings', 'torn.json'), '{"v":1,"batchId":"x","sou');
      fs.writeFileSync(path.join(dir, 'findings', 'foreign.json'), JSON.stringify({ v: 1, batchId: 'y', source: 's', files: [{ uri: 1 }] }));
      assert.deepEqual((await store.all()).map((b) => b.batchId), ['msgbatch_01']);
      assert.equal(warnings.length, 2);
      assert.match(warnings[0]!, /unreadable findings file findings\/foreign\.json/);
    } finally {
      cleanup();
    }
  });
});
