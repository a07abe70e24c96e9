import type { PatchMessage, ResponsePatch } from '../protocol';

export interface CoalescerOptions {
  requestId: string;
  /** Flush early once this many characters of appends are pending (the host also flushes on a 16–33 ms timer). */
  maxPendingChars?: number;
  /** Sequence number of the last message already sent (e.g. the snapshot's), default 0. */
  lastSeq?: number;
}

type AppendPatch = Extract<ResponsePatch, { type: 'textAppend' | 'thinkingAppend' | 'toolInputAppend' }>;

/**
 * Collects patches between flushes and merges what can be merged, so the webview gets few, larger
 * messages: consecutive appends to the same block become one append, and only the newest footer
 * is kept (each footer patch carries the whole footer). Assigns `seq` at flush time.
 */
export class Coalescer {
  readonly requestId: string;
  private readonly maxPendingChars: number;
  private pending: ResponsePatch[] = [];
  private pendingChars = 0;
  private footerAt = -1;
  private seq: number;

  constructor(options: CoalescerOptions) {
    this.requestId = options.requestId;
    // Small enough that one message is one cheap webview frame, large enough to stay a few per frame.
    this.maxPendingChars = options.maxPendingChars ?? 16 * 1024;
    this.seq = options.lastSeq ?? 0;
  }

  /** Sequence number of the last flushed message. */
  get lastSeq(): number {
    return this.seq;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** True when enough text is pending that the host should flush without waiting for its timer. */
  get shouldFlushNow(): boolean {
    return this.pendingChars >= this.maxPendingChars;
  }

  push(patches: readonly ResponsePatch[]): void {
    for (const patch of patches) this.pushOne(patch);
  }

  /** The pending patches as one message, or `undefined` when there is nothing to send. */
  flush(): PatchMessage | undefined {
    if (this.pending.length === 0) return undefined;
    const message: PatchMessage = { type: 'patch', requestId: this.requestId, seq: ++this.seq, patches: this.pending };
    this.pending = [];
    this.pendingChars = 0;
    this.footerAt = -1;
    return message;
  }

  private pushOne(patch: ResponsePatch): void {
    if (patch.type === 'footer') {
      // Footers replace each other, so an older pending one can go wherever it is.
      if (this.footerAt >= 0) this.pending.splice(this.footerAt, 1);
      this.footerAt = this.pending.length;
      this.pending.push(patch);
      return;
    }
    const size = appendedText(patch);
    this.pendingChars += size?.length ?? 0;
    const last = this.pending[this.pending.length - 1];
    if (size !== undefined && last && last.type === patch.type && (last as AppendPatch).index === (patch as AppendPatch).index) {
      // `last` is our own copy (made below), so it can grow in place: no object per delta.
      mergeInto(last as AppendPatch, patch as AppendPatch);
      return;
    }
    this.pending.push(patch.type === 'textAppend' || patch.type === 'thinkingAppend' || patch.type === 'toolInputAppend' ? { ...patch } : patch);
  }
}

function appendedText(patch: ResponsePatch): string | undefined {
  switch (patch.type) {
    case 'textAppend':
    case 'thinkingAppend':
      return patch.text;
    case 'toolInputAppend':
      return patch.json;
    default:
      return undefined;
  }
}

function mergeInto(a: AppendPatch, b: AppendPatch): void {
  if (a.type === 'toolInputAppend' && b.type === 'toolInputAppend') a.json += b.json;
  else if (a.type !== 'toolInputAppend' && b.type !== 'toolInputAppend') a.text += b.text;
}
