// Webview entry point (browser). Receives protocol messages, keeps them in order, and applies all
// pending patches once per animation frame.

import type { HostToWebviewMessage, WebviewToHostMessage } from '../protocol';
import { isHostToWebviewMessage } from '../protocol';
import { createMarkdown } from './markdown';
import { ResponseRenderer } from './renderer';

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

  /** True when the message should be applied. */
  accept(msg: HostToWebviewMessage): boolean {
    if (msg.type === 'snapshot') {
      this.requestId = msg.requestId;
      this.seq = msg.seq;
      this.awaitingSnapshot = false;
      return true;
    }
    if (this.awaitingSnapshot) return false;
    if (msg.requestId !== this.requestId) {
      // A new request's first patch after nothing of it is fine; otherwise we missed the start.
      if (msg.seq === 1) {
        this.requestId = msg.requestId;
        this.seq = 1;
        return true;
      }
      return this.gap(msg.requestId);
    }
    if (msg.seq <= this.seq) return false;
    if (msg.seq !== this.seq + 1) return this.gap(msg.requestId);
    this.seq = msg.seq;
    return true;
  }

  private gap(requestId: string): false {
    this.awaitingSnapshot = true;
    this.requestSnapshot(requestId);
    return false;
  }
}

function main(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body;
  const renderer = new ResponseRenderer(root, createMarkdown(), (m) => vscode.postMessage(m));
  const sequencer = new MessageSequencer((requestId) => vscode.postMessage({ type: 'requestSnapshot', requestId }));
  let queue: HostToWebviewMessage[] = [];
  let frameRequested = false;

  const frame = (): void => {
    frameRequested = false;
    const pending = queue;
    queue = [];
    // A snapshot supersedes everything queued before it.
    const lastSnapshot = pending.map((m) => m.type).lastIndexOf('snapshot');
    for (const msg of lastSnapshot >= 0 ? pending.slice(lastSnapshot) : pending) {
      if (msg.type === 'snapshot') {
        renderer.applySnapshot(msg);
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
    if (!sequencer.accept(msg)) return;
    queue.push(msg);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(frame);
    }
  });
  vscode.postMessage({ type: 'ready' });
}

if (typeof acquireVsCodeApi === 'function') main();
