import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { HistoryFs } from './historyStore';

/** The history folder on disk. Writes go to a temporary file first, then rename over the old one. */
export function nodeHistoryFs(dir: string): HistoryFs {
  return {
    async list() {
      try {
        return await fsp.readdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
    read: (name) => fsp.readFile(path.join(dir, name), 'utf8'),
    async write(name, data) {
      await fsp.mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
      await fsp.writeFile(tmp, data, 'utf8');
      await fsp.rename(tmp, path.join(dir, name));
    },
    async remove(name) {
      await fsp.rm(path.join(dir, name), { force: true });
    },
  };
}
