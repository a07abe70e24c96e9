import { Worker } from 'node:worker_threads';

/**
 * Writes many small files from a worker thread with synchronous calls, in batches. Writing
 * 100,000 result files through the libuv pool costs three round trips per file (open, write,
 * close) and main-thread time for each; a worker does them back to back while the main thread
 * keeps parsing results. Paths must already be validated and absolute: the worker only writes.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
parentPort.on('message', (batch) => {
  const done = [];
  for (const [id, file, data] of batch) {
    try {
      try {
        fs.writeFileSync(file, data);
      } catch (e) {
        if (!e || e.code !== 'ENOENT') throw e;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, data);
      }
      done.push([id, null]);
    } catch (e) {
      done.push([id, String((e && e.message) || e)]);
    }
  }
  parentPort.postMessage(done);
});
`;

const BATCH = 64;

export class WorkerFileWriter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private batch: [number, string, Uint8Array | string][] = [];
  private scheduled = false;

  write(absPath: string, data: Uint8Array | string): Promise<void> {
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.batch.push([id, absPath, data]);
    if (this.batch.length >= BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return done;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    for (const w of this.waiting.values()) w.reject(new Error('The file writer was closed.'));
    this.waiting.clear();
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    const worker = this.ensureWorker();
    worker.ref();
    worker.postMessage(batch);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (done: [number, string | null][]) => {
      for (const [id, error] of done) {
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        if (error === null) w?.resolve();
        else w?.reject(new Error(error));
      }
      // An idle worker must not keep the extension host (or a test) alive.
      if (!this.waiting.size) worker.unref();
    });
    worker.on('error', (e) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
