import { randomBytes } from 'node:crypto';
import vscode = require('vscode');
import type { Logger } from '../log';
import {
  isHostToWebviewMessage,
  isHttpUrl,
  isWebviewToHostMessage,
  type CodeActionMessage,
  type HostToWebviewMessage,
  type PatchMessage,
  type SnapshotMessage,
  type WebviewToHostMessage,
} from '../protocol';
import { renderPanelHtml } from './panelHtml';

export const RESPONSE_VIEW_TYPE = 'claudeEvents.response';

/** What a panel shows: a live session, or a snapshot restored after a reload. */
export interface PanelSource {
  readonly id: string;
  readonly title: string;
  snapshot(): SnapshotMessage;
  onPatch(listener: (m: PatchMessage) => void): () => void;
  /** Fires on state changes; the panel sends a fresh snapshot when the answer ends (saved for reloads). */
  onDidChangeState(listener: () => void): () => void;
  readonly isRunning: boolean;
  cancel(): unknown;
  retry(): unknown;
}

/** What a panel's conversation buttons do; the manager supplies them (absent: the buttons do nothing). */
export interface PanelActions {
  followUp(id: string, text: string): unknown;
  codeAction(m: CodeActionMessage): unknown;
  exportConversation(id: string, target: 'open' | 'save'): unknown;
  newConversation(id: string): unknown;
}

/**
 * One webview panel per answer. The webview asks for a snapshot when its script starts (`ready`,
 * also after being hidden and shown again) and then gets the coalesced patches. The API key never
 * reaches it: only protocol messages built from the transcript are posted.
 */
export class ResponsePanel implements vscode.Disposable {
  private ready = false;
  /** Times the webview said `ready` (tests use it to see that the webview really ran). */
  readyCount = 0;
  /** Every message posted to the webview, newest last (bounded; tests compare it with the host transcript). */
  readonly posted: HostToWebviewMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private disposed = false;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.closed.event;

  static create(source: PanelSource, extensionUri: vscode.Uri, log: Logger, actions?: PanelActions): ResponsePanel {
    const panel = vscode.window.createWebviewPanel(
      RESPONSE_VIEW_TYPE,
      source.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    return new ResponsePanel(panel, source, extensionUri, log, actions);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly source: PanelSource,
    extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly actions?: PanelActions,
  ) {
    panel.title = source.title;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'claude.svg');
    panel.webview.options = webviewOptions(extensionUri);
    const webview = panel.webview;
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      title: source.title,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.handleMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      this.closed,
    );
    this.unsubscribe.push(
      source.onPatch((m) => this.post(m)),
      source.onDidChangeState(() => {
        if (!source.isRunning) this.postSnapshot();
      }),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /**
   * Everything the webview posts lands here. The webview renders untrusted model output, so
   * `raw` is untrusted too: anything that fails the guard is logged and ignored.
   */
  handleMessage(raw: unknown): void {
    if (!isWebviewToHostMessage(raw)) {
      this.log.warn(`Response panel: ignored a malformed message ${describe(raw)}`);
      return;
    }
    const m: WebviewToHostMessage = raw;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.readyCount++;
        this.postSnapshot();
        return;
      case 'requestSnapshot':
        this.postSnapshot();
        return;
      case 'cancel':
        if (m.requestId === this.source.id) this.source.cancel();
        return;
      case 'retry':
        if (m.requestId === this.source.id) this.source.retry();
        return;
      case 'openLink':
        // The guard already checked it; check again where it matters, right before leaving VS Code.
        if (isHttpUrl(m.url)) void vscode.env.openExternal(vscode.Uri.parse(m.url, true));
        return;
      case 'copy':
        void vscode.env.clipboard.writeText(m.text);
        return;
      case 'followUp':
        if (m.requestId === this.source.id) void this.actions?.followUp(this.source.id, m.text);
        return;
      case 'codeAction':
        void this.actions?.codeAction(m);
        return;
      case 'export':
        if (m.requestId === this.source.id) void this.actions?.exportConversation(this.source.id, m.target);
        return;
      case 'newConversation':
        if (m.requestId === this.source.id) void this.actions?.newConversation(this.source.id);
        return;
    }
  }

  private postSnapshot(): void {
    if (!this.ready || this.disposed) return;
    this.post(this.source.snapshot());
  }

  private post(message: HostToWebviewMessage): void {
    // Before `ready` nobody listens; the snapshot on `ready` covers what was missed.
    if (!this.ready || this.disposed) return;
    this.posted.push(message);
    if (this.posted.length > 500) this.posted.splice(0, this.posted.length - 500);
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.log.debug(`postMessage failed: ${String(e)}`));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const u of this.unsubscribe) u();
    this.closed.fire();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** A finished answer restored from the webview's saved state after a reload; it cannot run again. */
export class RestoredSource implements PanelSource {
  readonly isRunning = false;
  private readonly saved: SnapshotMessage;

  constructor(saved: SnapshotMessage) {
    // A stream that was running when the window went away is over: say so instead of "Streaming…".
    const running = saved.status.state === 'streaming' || saved.status.state === 'continuing';
    this.saved = running ? { ...saved, status: { state: 'error', message: vscode.l10n.t('Interrupted by a window reload.'), retryable: false } } : saved;
  }

  get id(): string {
    return this.saved.requestId;
  }

  get title(): string {
    return this.saved.title || 'Claude';
  }

  snapshot(): SnapshotMessage {
    return this.saved;
  }

  onPatch(): () => void {
    return () => undefined;
  }

  onDidChangeState(): () => void {
    return () => undefined;
  }

  cancel(): void {}
  retry(): void {}
}

/** The snapshot a webview saved with `setState`, if it is a valid one. */
export function restorableSnapshot(state: unknown): SnapshotMessage | undefined {
  return isHostToWebviewMessage(state) && state.type === 'snapshot' ? state : undefined;
}

function describe(raw: unknown): string {
  try {
    return JSON.stringify(raw).slice(0, 200);
  } catch {
    return typeof raw;
  }
}
