import type { ServerResponse } from 'node:http';
import type { Fault } from './types';
import type { SseEvent } from './events';
import { encodeEvent } from './events';
import { sleep, writeWithBackpressure } from './http';
import type { SeededRandom } from './rng';

export interface StreamOptions {
  chunking: 'random' | 'none';
  rng: SeededRandom;
  fault?: Fault;
  deltaDelayMs?: number;
  /** Called when the server itself destroys the socket, so it is not counted as a client abort. */
  onDeliberateDrop: () => void;
  /** Counts events fully written, for closed-early records. */
  onEvent: (written: number) => void;
}

type StreamEnd = 'complete' | 'dropped' | 'errored' | 'stalled' | 'malformed' | 'client-closed';

const ERROR_MESSAGES = { overloaded_error: 'Overloaded', api_error: 'Internal server error' } as const;

/**
 * Writes an event stream. With random chunking the bytes go out in pieces cut at arbitrary
 * offsets (inside UTF-8 sequences too), and a piece may carry over into the next event, so
 * clients see every kind of boundary. A tick between writes keeps pieces from coalescing.
 */
export class SseWriter {
  private pending: Buffer = Buffer.alloc(0);
  private written = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: StreamOptions,
  ) {}

  begin(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.res.flushHeaders();
  }

  async run(events: readonly SseEvent[]): Promise<StreamEnd> {
    const fault = this.opts.fault;
    for (let i = 0; i <= events.length; i++) {
      const stop = await this.applyFaultAt(i, fault);
      if (stop) return stop;
      if (i === events.length) break;
      if (this.res.destroyed) return 'client-closed';
      const event = events[i];
      if (this.opts.deltaDelayMs && event.event === 'content_block_delta') {
        await this.flush();
        await sleep(this.opts.deltaDelayMs);
      }
      if (!(await this.send(encodeEvent(event)))) return 'client-closed';
      this.written = i + 1;
      this.opts.onEvent(this.written);
    }
    if (!(await this.flush())) return 'client-closed';
    this.res.end();
    return 'complete';
  }

  private async applyFaultAt(i: number, fault: Fault | undefined): Promise<StreamEnd | undefined> {
    if (!fault || !('afterEvent' in fault) || fault.afterEvent !== i) return undefined;
    await this.flush();
    switch (fault.type) {
      case 'drop':
        this.opts.onDeliberateDrop();
        // Let the flushed bytes leave before the reset.
        await sleep(5);
        this.res.socket?.destroy();
        this.res.destroy();
        return 'dropped';
      case 'error': {
        const type = fault.errorType ?? 'overloaded_error';
        const data = JSON.stringify({ type: 'error', error: { type, message: ERROR_MESSAGES[type] } });
        await this.send(encodeEvent({ event: 'error', data }));
        await this.flush();
        this.res.end();
        return 'errored';
      }
      case 'malformed':
        await this.send(encodeEvent({ event: 'content_block_delta', data: '{"type": "content_block_delta", "index": 0, "delta": {not json' }));
        await this.flush();
        this.res.end();
        return 'malformed';
      case 'stall':
        // Keep the socket open; the client's timeout or abort (or server close) ends it.
        return 'stalled';
    }
  }

  /** Queues bytes and writes some of them; returns false once the client is gone. */
  private async send(bytes: Buffer): Promise<boolean> {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
    if (this.opts.chunking === 'none') return this.flush();
    const { rng } = this.opts;
    while (this.pending.length > 0) {
      const cut = rng.int(1, Math.max(1, Math.min(this.pending.length, 48)));
      // Sometimes keep the remainder for the next event so pieces straddle event boundaries.
      if (cut < this.pending.length && rng.chance(0.15)) {
        const ok = await this.writePiece(this.pending.subarray(0, cut));
        this.pending = Buffer.from(this.pending.subarray(cut));
        return ok;
      }
      if (!(await this.writePiece(this.pending.subarray(0, cut)))) return false;
      this.pending = Buffer.from(this.pending.subarray(cut));
    }
    return true;
  }

  private async flush(): Promise<boolean> {
    if (this.pending.length === 0) return !this.res.destroyed;
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return this.writePiece(rest);
  }

  private async writePiece(piece: Buffer): Promise<boolean> {
    if (this.res.destroyed) return false;
    const ok = await writeWithBackpressure(this.res, piece);
    const drip = this.opts.fault?.type === 'slowDrip' ? this.opts.fault.delayMs : 0;
    if (drip > 0) await sleep(drip);
    else if (this.opts.chunking === 'random') await new Promise((resolve) => setImmediate(resolve));
    return ok;
  }
}
