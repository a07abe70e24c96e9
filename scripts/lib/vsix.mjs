// Packaging helpers shared by `npm run package` and the e2e runner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './codeServer.mjs';

export const manifest = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/**
 * `vsce package --no-dependencies` (esbuild bundles everything; node_modules never ships).
 * The project names no public repository, so vsce is told so, and README links stay relative:
 * the screenshots and documents they point at ship inside the VSIX (.vscodeignore), where VS
 * Code's extension page resolves them. Returns vsce's output (warnings included).
 */
export function vscePackage(outFile, { quiet = false } = {}) {
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', outFile];
  const r = spawnSync(vsce, args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (!quiet) process.stdout.write(output);
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status})${quiet ? `:\n${output}` : ''}`);
  return { file: outFile, output };
}

/** Entries of a zip file, read from its central directory (no unzip binary needed). */
export function listZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, compressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
