import * as vscode from 'vscode';
import { classifyError } from '../api/errors';
import { showClassifiedError } from '../api/errorUi';
import { ANSWERS_CHANNEL_NAME, ContextKeys } from '../constants';
import type { Services } from '../services';
import type { StreamParams } from './promptBuilder';
import { ResponsePanel, RESPONSE_VIEW_TYPE, RestoredSource, restorableSnapshot } from './responsePanel';
import { ResponseSession, type SessionState } from './responseSession';
import type { ToolExecutor } from './streamRunner';
import { TextSink, type TextWriter } from './textSink';

const MAX_SESSIONS = 50;
const MAX_RECORDED_OUTPUT = 256 * 1024;

export interface StartOptions {
  title: string;
  params: StreamParams;
  tools?: ToolExecutor;
  notes?: string[];
}

/**
 * The answers of this window: starts sessions (panel or output channel), keeps the recent ones
 * for Cancel/Retry and the Responses view, owns their panels, restores panels after a reload,
 * and keeps the `claudeEvents.streaming` / `canRetry` context keys current.
 */
export class ResponseManager implements vscode.Disposable {
  /** Oldest first. */
  readonly sessions: ResponseSession[] = [];
  readonly panels = new Map<string, ResponsePanel>();
  /** Panels restored from saved state after a reload (no session behind them). */
  readonly restoredPanels: ResponsePanel[] = [];
  private channel: vscode.OutputChannel | undefined;
  /** The tail of what was written to the answers channel (output channels cannot be read back). */
  outputText = '';
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly services: Services) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESPONSE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
  }

  /** Starts an answer (through the job queue) and shows it where `claudeEvents.output` says. */
  start(options: StartOptions): ResponseSession {
    const config = this.services.settings();
    const toChannel = config.output === 'outputChannel';
    const autoContinue = config.autoContinue;
    const { api, queue, log } = this.services;
    const session = new ResponseSession({
      id: `resp-${Date.now().toString(36)}-${this.nextId++}`,
      title: options.title,
      params: options.params,
      queue,
      getClient: () => api.getClient(),
      tools: options.tools,
      maxTurns: config['tools.maxTurns'],
      autoContinue: autoContinue ? 2 : 0,
      idleTimeoutMs: api.settings().timeoutMs,
      errorContext: () => ({ baseUrl: api.baseUrl().url, model: options.params.model, secrets: api.knownSecrets() }),
      notes: options.notes,
      mirror: toChannel ? new TextSink(this.answersWriter(), (what) => log.info(`Unknown stream ${what} (shown as unknown)`)) : undefined,
    });
    this.sessions.push(session);
    while (this.sessions.length > MAX_SESSIONS) {
      const old = this.sessions.shift()!;
      if (!this.panels.has(old.id)) old.dispose();
    }
    session.onDidChangeState((s) => this.onState(s));
    if (toChannel) this.channel?.show(true);
    else this.show(session);
    log.info(`Answer "${session.title}" (${options.params.model}) queued`);
    void session.start();
    this.changed.fire();
    void this.updateContext();
    return session;
  }

  /** Opens (or reveals) the panel of an answer. */
  show(session: ResponseSession): ResponsePanel {
    const existing = this.panels.get(session.id);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = ResponsePanel.create(session, this.services.context.extensionUri, this.services.log);
    this.panels.set(session.id, panel);
    panel.onDidDispose(() => this.panels.delete(session.id));
    return panel;
  }

  get(id: string): ResponseSession | undefined {
    return this.sessions.find((s) => s.id === id);
  }

  /** The answer Cancel acts on: the one in the active panel if it runs, else the newest running one. */
  cancelTarget(): ResponseSession | undefined {
    const active = [...this.panels.values()].find((p) => p.panel.active)?.source;
    const activeSession = active ? this.get(active.id) : undefined;
    if (activeSession?.isRunning) return activeSession;
    return [...this.sessions].reverse().find((s) => s.isRunning);
  }

  /** The answer Retry acts on: the newest one that failed or was cancelled. */
  retryTarget(): ResponseSession | undefined {
    return [...this.sessions].reverse().find((s) => s.state === 'error' || s.state === 'cancelled');
  }

  private onState(session: ResponseSession): void {
    const state: SessionState = session.state;
    if (state === 'error' && session.error) {
      const err = session.error;
      // A visible panel already shows the error with its Retry button; a notification on top is
      // noise. Errors that need the user elsewhere (key, model) and hidden answers still notify.
      const panel = this.panels.get(session.id);
      const onlyRetry = err.actions.every((a) => a === 'retry');
      if (panel?.panel.visible && onlyRetry) this.services.log.warn(`Answer "${session.title}": ${err.message}`);
      else showClassifiedError(err, this.services.log, () => session.retry());
    } else if (state === 'complete' || state === 'cancelled') {
      this.services.log.info(`Answer "${session.title}" ${state}${session.requestId ? ` (request ${session.requestId})` : ''}`);
    }
    this.changed.fire();
    void this.updateContext();
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.streaming, this.sessions.some((s) => s.isRunning));
    await vscode.commands.executeCommand('setContext', ContextKeys.canRetry, !!this.retryTarget());
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = restorableSnapshot(state);
    if (!saved) {
      // Nothing valid to show (an old or tampered state): close rather than show an empty shell.
      this.services.log.warn('Response panel: no valid saved state after reload; closing it');
      panel.dispose();
      return;
    }
    const restored = new ResponsePanel(panel, new RestoredSource(saved), this.services.context.extensionUri, this.services.log);
    this.restoredPanels.push(restored);
    restored.onDidDispose(() => this.restoredPanels.splice(this.restoredPanels.indexOf(restored), 1));
  }

  private answersWriter(): TextWriter {
    this.channel ??= vscode.window.createOutputChannel(ANSWERS_CHANNEL_NAME);
    const channel = this.channel;
    const record = (text: string) => {
      this.outputText += text;
      if (this.outputText.length > MAX_RECORDED_OUTPUT) this.outputText = this.outputText.slice(-MAX_RECORDED_OUTPUT);
    };
    return {
      append: (text) => {
        channel.append(text);
        record(text);
      },
      appendLine: (text) => {
        channel.appendLine(text);
        record(`${text}\n`);
      },
    };
  }

  dispose(): void {
    for (const p of [...this.panels.values(), ...this.restoredPanels]) p.dispose();
    for (const s of this.sessions) s.dispose();
    this.channel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Checks that a key is set before anything is queued; shows "Set API Key" when it is not. */
export async function ensureClient(services: Services): Promise<boolean> {
  try {
    await services.api.getClient();
    return true;
  } catch (e) {
    showClassifiedError(classifyError(e, { secrets: services.api.knownSecrets() }), services.log);
    return false;
  }
}
