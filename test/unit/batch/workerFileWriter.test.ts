import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkerFileWriter } from '../../../src/batch/workerFileWriter';
import { nodeFsPort } from '../../../src/batch/nodeFs';

describe('WorkerFileWriter', () => {
  let dir: string;
  let writer: WorkerFileWriter;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-wfw-'));
    writer = new WorkerFileWriter();
  });
  afterEach(() => {
    writer.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes many files exactly, creating missing folders', async () => {
    await Promise.all(Array.from({ length: 500 }, (_, i) => writer.write(path.join(dir, `d${i % 7}`, `f${i}.md`), Buffer.from(`file ${i} é`))));
    for (let i = 0; i < 500; i += 37) assert.equal(fs.readFileSync(path.join(dir, `d${i % 7}`, `f${i}.md`), 'utf8'), `file ${i} é`);
    assert.equal(fs.readdirSync(dir).length, 7);
  });

  it('reports a failed write to its caller only', async () => {
    fs.writeFileSync(path.join(dir, 'plain'), 'x');
    const bad = writer.write(path.join(dir, 'plain', 'child.md'), 'nope');
    const good = writer.write(path.join(dir, 'ok.md'), 'fine');
    await assert.rejects(bad, /ENOTDIR|not a directory/i);
    await good;
    assert.equal(fs.readFileSync(path.join(dir, 'ok.md'), 'utf8'), 'fine');
  });

  it('serves plain writes of a node fs port, which still refuses paths outside its root', async () => {
    const port = nodeFsPort(dir, { bulkWriter: writer });
    await port.writeFile('a/b.md', 'via port', { atomic: false });
    assert.equal(fs.readFileSync(path.join(dir, 'a', 'b.md'), 'utf8'), 'via port');
    await assert.rejects(async () => port.writeFile('../escape.md', 'x', { atomic: false }), /escapes/);
  });
});
