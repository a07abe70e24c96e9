// Host-side benchmark helpers: the cost of reducer + coalescer + JSON.stringify per stream.

import { Coalescer } from '../../src/stream/coalescer';
import { TextBuffer } from '../../src/stream/textBuffer';
import { TranscriptReducer, type StreamEventLike } from '../../src/stream/transcript';

export interface HostBench {
  events: number;
  messages: number;
  bytesPosted: number;
  totalMs: number;
  perEventUs: number;
}

/** Times reducer + coalescer (flush every `eventsPerFlush` events) + JSON.stringify of each message. */
export function benchHost(events: readonly StreamEventLike[], eventsPerFlush = 20): HostBench {
  const t0 = performance.now();
  const reducer = new TranscriptReducer({ requestId: 'bench' });
  const coalescer = new Coalescer({ requestId: 'bench' });
  let messages = 0;
  let bytes = 0;
  const flush = (): void => {
    const m = coalescer.flush();
    if (!m) return;
    messages++;
    bytes += JSON.stringify(m).length; // what postMessage's serialisation roughly costs
  };
  events.forEach((e, i) => {
    coalescer.push(reducer.apply(e));
    if ((i + 1) % eventsPerFlush === 0 || coalescer.shouldFlushNow) flush();
  });
  flush();
  const totalMs = performance.now() - t0;
  return { events: events.length, messages, bytesPosted: bytes, totalMs, perEventUs: (totalMs * 1000) / events.length };
}

/** TextBuffer vs `+=` (with and without a read after each append), for the design decision. */
export function benchTextAppend(deltas: readonly string[]): Record<string, number> {
  const time = (f: () => void): number => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  let sink = 0;
  return {
    textBuffer: time(() => {
      const b = new TextBuffer();
      for (const d of deltas) b.append(d);
      sink += b.toString().length;
    }),
    plusEquals: time(() => {
      let s = '';
      for (const d of deltas) s += d;
      sink += s.charCodeAt(s.length - 1);
    }),
    plusEqualsReadEachDelta: time(() => {
      let s = '';
      for (const d of deltas) {
        s += d;
        sink += s.charCodeAt(s.length >> 1); // any read flattens the rope: O(n) per delta
      }
    }),
    textBufferTailEachDelta: time(() => {
      const b = new TextBuffer();
      for (const d of deltas) {
        b.append(d);
        sink += b.tail(16).length;
      }
    }),
    sink: sink * 0,
  };
}
