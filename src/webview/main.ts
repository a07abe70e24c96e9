// Webview entry point (browser). Receives protocol messages, keeps them in order, and applies all
// pending patches once per animation frame.

import type { HostToWebviewMessage, WebviewToHostMessage } from '../protocol';
import { isHostToWebviewMessage } from '../protocol';
import { createMarkdown } from './markdown';
import { ResponseRenderer } from './renderer';
import { warmUpSteps } from './warmUp';

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * Orders incoming messages: drops stale or duplicate patches, and on a gap (or a patch for a
 * request it has no snapshot of) asks the host for a snapshot and ignores patches until it arrives.
 */
export class MessageSequencer {
  private requestId: string | undefined;
  private seq = 0;
  private awaitingSnapshot = false;

  constructor(private readonly requestSnapshot: (requestId: string) => void) {}

  /**
   * `current` is a snapshot of exactly what the panel already shows (the host sends one when an
   * answer ends, for the panel serializer): its blocks need no replay, only its state is kept.
   * Replaying it would re-render and re-lay out the whole answer right when the last delta is due.
   */
  classify(msg: HostToWebviewMessage): 'apply' | 'current' | 'drop' {
    if (msg.type === 'snapshot') {
      if (!this.awaitingSnapshot && msg.requestId === this.requestId && msg.seq === this.seq && this.seq > 0) return 'current';
      this.requestId = msg.requestId;
      this.seq = msg.seq;
      this.awaitingSnapshot = false;
      return 'apply';
    }
    if (this.awaitingSnapshot) return 'drop';
    if (msg.requestId !== this.requestId) {
      // A new request's first patch after nothing of it is fine; otherwise we missed the start.
      if (msg.seq === 1) {
        this.requestId = msg.requestId;
        this.seq = 1;
        return 'apply';
      }
      return this.gap(msg.requestId);
    }
    if (msg.seq <= this.seq) return 'drop';
    if (msg.seq !== this.seq + 1) return this.gap(msg.requestId);
    this.seq = msg.seq;
    return 'apply';
  }

  private gap(requestId: string): 'drop' {
    this.awaitingSnapshot = true;
    this.requestSnapshot(requestId);
    return 'drop';
  }
}

function main(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body;
  const md = createMarkdown();
  const renderer = new ResponseRenderer(root, md, (m) => vscode.postMessage(m));
  const sequencer = new MessageSequencer((requestId) => vscode.postMessage({ type: 'requestSnapshot', requestId }));
  let queue: { msg: HostToWebviewMessage; current: boolean }[] = [];
  let frameRequested = false;
  let started = false;

  const frame = (): void => {
    frameRequested = false;
    const pending = queue;
    queue = [];
    // A snapshot to replay supersedes everything queued before it.
    const lastReplay = pending.map((q) => q.msg.type === 'snapshot' && !q.current).lastIndexOf(true);
    for (const { msg, current } of lastReplay >= 0 ? pending.slice(lastReplay) : pending) {
      if (msg.type === 'snapshot') {
        if (current) renderer.applyState(msg);
        else renderer.applySnapshot(msg);
        // The host's panel serializer restores the panel from this after a reload (the host
        // sends a fresh snapshot when the response ends, so the saved one is final).
        vscode.setState(msg);
      }
      else renderer.applyPatches(msg.requestId, msg.patches);
    }
    renderer.renderFrame();
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const msg = event.data;
    if (!isHostToWebviewMessage(msg)) {
      console.warn('claude-events: ignored a malformed message');
      return;
    }
    const verdict = sequencer.classify(msg);
    if (verdict === 'drop') return;
    started = true;
    queue.push({ msg, current: verdict === 'current' });
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(frame);
    }
  });
  vscode.postMessage({ type: 'ready' });
  // Before the first patch, while the request waits for its first token (see warmUp.ts); it
  // stops for good once a patch has arrived.
  const warm = warmUpSteps(md);
  const idle = (window as { requestIdleCallback?: (fn: (d: { timeRemaining(): number }) => void) => void }).requestIdleCallback;
  const warmWhileIdle = (deadline: { timeRemaining(): number }): void => {
    let more = true;
    while (more && !started && deadline.timeRemaining() > 4) more = warm.step();
    // Visible to tests: whether the warm-up ran to its end or gave way to the answer.
    if (!more || started) document.body.dataset.warmUp = more ? 'stopped' : 'done';
    else idle?.(warmWhileIdle);
  };
  idle?.(warmWhileIdle);
}

if (typeof acquireVsCodeApi === 'function') main();
