// Packaging helpers shared by `npm run package` and the e2e runner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './codeServer.mjs';

export const manifest = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** `vsce package --no-dependencies` (esbuild bundles everything; node_modules never ships). */
export function vscePackage(outFile, { quiet = false } = {}) {
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  // Relative README links (docs/, screenshots) resolve against the repository named in package.json.
  const repo = manifest().repository?.url?.replace(/\.git$/, '') ?? 'https://example.invalid/claude-events';
  const args = ['package', '--no-dependencies', '--out', outFile, '--baseContentUrl', `${repo}/blob/main`, '--baseImagesUrl', `${repo}/raw/main`];
  const r = spawnSync(vsce, args, {
    cwd: ROOT, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit',
  });
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status})${quiet ? `:\n${r.stdout}\n${r.stderr}` : ''}`);
  return outFile;
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
