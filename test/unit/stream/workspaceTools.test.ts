import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UNTRUSTED_TOOLS_NOTE, WorkspaceToolRunner, workspaceToolPolicy } from '../../../src/stream/workspaceTools';

describe('workspace tools', () => {
  let dir: string;
  let outside: string;
  let tools: WorkspaceToolRunner;

  before(() => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-tools-'));
    dir = path.join(base, 'ws');
    outside = path.join(base, 'secret');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(dir, 'README.md'), '# Hello\nNeedle here\n');
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const needle = "é日本";\n');
    fs.writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([1, 0, 2, 3]));
    fs.writeFileSync(path.join(outside, 'key.txt'), 'TOP SECRET');
    fs.symlinkSync(outside, path.join(dir, 'escape'));
    fs.symlinkSync(path.join(outside, 'key.txt'), path.join(dir, 'src', 'link.txt'));
    fs.writeFileSync(path.join(dir, 'big.txt'), 'é'.repeat(60_000)); // 120,000 bytes
    tools = new WorkspaceToolRunner([{ name: 'ws', path: dir }]);
  });

  it('reads a workspace file exactly', async () => {
    assert.deepEqual(await tools.run('read_file', { path: 'src/a.ts' }), { content: 'export const needle = "é日本";\n', isError: false });
  });

  it('refuses .., absolute paths and symlinks out of the workspace', async () => {
    for (const p of ['../secret/key.txt', path.join(outside, 'key.txt'), 'escape/key.txt', 'src/link.txt', 'src/../../secret/key.txt']) {
      const r = await tools.run('read_file', { path: p });
      assert.equal(r.isError, true, p);
      assert.match(r.content, /Refused|outside/, p);
      assert.ok(!r.content.includes('TOP SECRET'));
    }
  });

  it('truncates huge files with a note, without splitting a character', async () => {
    const r = await tools.run('read_file', { path: 'big.txt' });
    assert.equal(r.isError, false);
    assert.match(r.content, /\[truncated: showing the first 100000 of 120000 bytes\]$/);
    assert.ok(!r.content.includes('\uFFFD'));
  });

  it('refuses binary files and unknown tools', async () => {
    assert.match((await tools.run('read_file', { path: 'bin.dat' })).content, /binary/);
    assert.equal((await tools.run('rm_rf', {})).isError, true);
  });

  it('lists and searches inside the workspace only', async () => {
    const list = await tools.run('list_files', { path: '', recursive: true });
    assert.match(list.content, /src\/a\.ts/);
    assert.ok(!list.content.includes('key.txt'));
    const found = await tools.run('search_text', { query: 'needle' });
    assert.match(found.content, /README\.md:2: Needle here/);
    assert.match(found.content, /src\/a\.ts:1:/);
    assert.ok(!found.content.includes('TOP SECRET'));
  });
});

describe('workspace tools in untrusted workspaces', () => {
  it('are off in an untrusted workspace even when the setting is on, with a note saying why', () => {
    assert.deepEqual(workspaceToolPolicy({ wanted: true, trusted: false }), { workspaceTools: false, notes: [UNTRUSTED_TOOLS_NOTE] });
    assert.match(UNTRUSTED_TOOLS_NOTE, /not trusted/);
  });

  it('are on only when wanted and trusted; no note when not wanted', () => {
    assert.deepEqual(workspaceToolPolicy({ wanted: true, trusted: true }), { workspaceTools: true, notes: [] });
    assert.deepEqual(workspaceToolPolicy({ wanted: false, trusted: false }), { workspaceTools: false, notes: [] });
    assert.deepEqual(workspaceToolPolicy({ wanted: false, trusted: true }), { workspaceTools: false, notes: [] });
  });

  it('package.json declares limited support and restricts tools.workspace (a workspace cannot turn it on)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual(untrusted.restrictedConfigurations, ['claudeEvents.tools.workspace']);
    assert.equal(typeof untrusted.description, 'string');
    assert.equal(pkg.contributes.configuration.properties['claudeEvents.baseUrl'].scope, 'machine');
  });
});
