import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

// The callback forms are several times faster than fs/promises for many small files (measured:
// 100,000 results in folder mode), because fsp.readFile/writeFile go through FileHandle in chunks.
const readFileFast = promisify(fs.readFile);
const writeFileFast = promisify(fs.writeFile);
const appendFileFast = promisify(fs.appendFile);
import type { FsPort } from './fsPort';

/**
 * `FsPort` over node:fs/promises. The extension host can use it directly for
 * `globalStorageUri.fsPath` (always a local path) and for a local results folder.
 */
export function nodeFsPort(root: string): FsPort {
  const absRoot = path.resolve(root);
  const resolve = (rel: string): string => {
    const abs = path.resolve(absRoot, rel);
    // Defence in depth: callers already sanitise, but a port must never leave its root.
    if (abs !== absRoot && !abs.startsWith(absRoot + path.sep)) {
      throw new Error(`Path escapes the storage root: ${rel}`);
    }
    return abs;
  };
  return {
    async readFile(rel) {
      try {
        return await readFileFast(resolve(rel));
      } catch (err) {
        if (isEnoent(err)) return undefined;
        throw err;
      }
    },
    async writeFile(rel, data, opts) {
      const abs = resolve(rel);
      if (opts?.atomic === false) return writeFileFast(abs, data);
      const tmp = `${abs}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFileFast(tmp, data);
        await fsp.rename(tmp, abs);
      } catch (err) {
        await fsp.rm(tmp, { force: true });
        throw err;
      }
    },
    async appendFile(rel, data) {
      await appendFileFast(resolve(rel), data);
    },
    async deleteFile(rel) {
      await fsp.rm(resolve(rel), { force: true });
    },
    async removeDir(rel) {
      const abs = resolve(rel);
      if (abs === absRoot) throw new Error('Refusing to remove the storage root');
      await fsp.rm(abs, { recursive: true, force: true });
    },
    async listDir(rel) {
      try {
        return await fsp.readdir(resolve(rel));
      } catch (err) {
        if (isEnoent(err)) return [];
        throw err;
      }
    },
    async mkdir(rel) {
      await fsp.mkdir(resolve(rel), { recursive: true });
    },
    async stat(rel) {
      try {
        const s = await fsp.stat(resolve(rel));
        return { size: s.size };
      } catch (err) {
        if (isEnoent(err)) return undefined;
        throw err;
      }
    },
  };
}

function isEnoent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
