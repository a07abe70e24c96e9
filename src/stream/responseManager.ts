import vscode = require('vscode');
import { classifyError } from '../api/errors';
import { showClassifiedError } from '../api/errorUi';
import { ANSWERS_CHANNEL_NAME, ContextKeys } from '../constants';
import type { Services } from '../services';
import { HistoryStore } from '../history/historyStore';
import { HistoryWriter } from '../history/historyWriter';
import { nodeHistoryFs } from '../history/nodeHistoryFs';
import type { StreamParams } from './promptBuilder';
import { ResponsePanel, RESPONSE_VIEW_TYPE, RestoredSource, restorableSnapshot, type PanelActions } from './responsePanel';
import { ResponseSession, type ResponseSessionOptions, type SessionState } from './responseSession';
import type { SessionRecord } from './sessionRecord';
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

export interface ManagerOptions {
  /** History folder; default: the extension's workspace storage (or global storage without a workspace). */
  historyDir?: string;
  /** Register the panel serializer (one window registers it once; tests' second "window" does not). */
  serializer?: boolean;
  /** Workspace tools for answers restored from history (they are not saved). */
  tools?: () => ToolExecutor | undefined;
  /** What the panels' buttons do besides cancel/retry (follow-ups, code blocks, export). */
  actions?: (manager: ResponseManager) => PanelActions;
}

/** One row of the Responses view: a live answer of this window or one saved earlier. */
export interface ResponseItem {
  id: string;
  title: string;
  model: string;
  state: SessionState;
  createdAt: number;
  requestId?: string;
  error?: string;
  /** Text the filter matches (title and question). */
  searchText: string;
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
  readonly history: HistoryStore;
  readonly historyWriter: HistoryWriter;
  /** Saved answers not (yet) taken over by a live session, newest first. */
  private saved: SessionRecord[] = [];
  /** Settles once the saved answers are loaded (activation does not wait for it). */
  readonly loaded: Promise<void>;
  private readonly panelActions: PanelActions | undefined;

  constructor(readonly services: Services, private readonly options: ManagerOptions = {}) {
    const { context, log } = services;
    const dir = options.historyDir ?? vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'history').fsPath;
    this.history = new HistoryStore(nodeHistoryFs(dir), () => {
      const c = services.settings();
      return { maxAnswers: c['history.maxAnswers'], maxBytes: c['history.maxMegabytes'] * 1024 * 1024 };
    }, (line) => log.warn(line));
    this.historyWriter = new HistoryWriter({ save: async (r) => {
      await this.history.save(r);
      if (this.history.pruned.size) this.dropPruned();
    } });
    this.loaded = this.history.load().then((records) => {
      const live = new Set(this.sessions.map((s) => s.id));
      this.saved = records.filter((r) => !live.has(r.id));
      this.changed.fire();
    });
    this.panelActions = options.actions?.(this);
    if (options.serializer !== false) {
      this.disposables.push(
        vscode.window.registerWebviewPanelSerializer(RESPONSE_VIEW_TYPE, {
          deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
        }),
      );
    }
  }

  /** Starts an answer (through the job queue) and shows it where `claudeEvents.output` says. */
  start(options: StartOptions): ResponseSession {
    const config = this.services.settings();
    const toChannel = config.output === 'outputChannel';
    const autoContinue = config.autoContinue;
    const { log } = this.services;
    const session = new ResponseSession({
      ...this.sessionOptions(`resp-${Date.now().toString(36)}-${this.nextId++}`, options.title, options.params, options.tools),
      notes: options.notes,
      mirror: toChannel ? new TextSink(this.answersWriter(), (what) => log.info(`Unknown stream ${what} (shown as unknown)`)) : undefined,
    });
    this.adopt(session);
    if (toChannel) this.channel?.show(true);
    else this.show(session);
    log.info(`Answer "${session.title}" (${options.params.model}) queued`);
    void session.start();
    this.changed.fire();
    void this.updateContext();
    return session;
  }

  private sessionOptions(id: string, title: string, params: StreamParams, tools?: ToolExecutor): ResponseSessionOptions {
    const config = this.services.settings();
    const { api, queue } = this.services;
    return {
      id,
      title,
      params,
      queue,
      getClient: () => api.getClient(),
      tools,
      maxTurns: config['tools.maxTurns'],
      autoContinue: config.autoContinue ? 2 : 0,
      idleTimeoutMs: api.settings().timeoutMs,
      errorContext: () => ({ baseUrl: api.baseUrl().url, model: params.model, secrets: api.knownSecrets() }),
    };
  }

  /** Tracks a session: Cancel/Retry, the Responses view, history saving, the context gauge. */
  private adopt(session: ResponseSession): void {
    this.sessions.push(session);
    while (this.sessions.length > MAX_SESSIONS) {
      const old = this.sessions.shift()!;
      if (!this.panels.has(old.id)) old.dispose();
    }
    session.onDidChangeState((s) => {
      this.historyWriter.changed(s);
      this.onState(s);
    });
    // Committed blocks go to history at a bounded rate (the writer throttles; this fires per flush).
    session.onPatch(() => this.historyWriter.changed(session));
    this.historyWriter.changed(session);
    void this.fetchContextLimit(session);
  }

  private async fetchContextLimit(session: ResponseSession): Promise<void> {
    try {
      const client = await this.services.api.getClient();
      const info = await this.services.models.get(client, session.params.model);
      if (info?.max_input_tokens) session.setContextLimit(info.max_input_tokens);
    } catch {
      // No key or no Models API: the gauge simply does not show.
    }
  }

  /** Live answers and saved ones, newest first (the Responses view). */
  items(): ResponseItem[] {
    const live = [...this.sessions].reverse().map((s): ResponseItem => ({
      id: s.id, title: s.title, model: s.model, state: s.state, createdAt: s.createdAt, requestId: s.requestId,
      error: s.error?.message, searchText: `${s.title}\n${firstUserText(s.conversationParams)}`,
    }));
    const saved = this.saved.map((r): ResponseItem => ({
      id: r.id, title: r.title, model: r.model,
      state: r.state === 'queued' || r.state === 'streaming' ? 'error' : r.state,
      createdAt: r.createdAt, requestId: r.transcript.footer.requestId,
      error: r.state === 'queued' || r.state === 'streaming' ? 'Interrupted by a window reload.' : r.error,
      searchText: `${r.title}\n${firstUserText(r.conversation.params)}`,
    }));
    return [...live, ...saved].sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Takes over a saved answer: a live session (not running) whose Retry, continuation and follow-ups work. */
  private revive(record: SessionRecord): ResponseSession {
    const session = new ResponseSession({
      ...this.sessionOptions(record.id, record.title, record.conversation.params, this.options.tools?.()),
      restored: record,
    });
    this.saved = this.saved.filter((r) => r.id !== record.id);
    this.adopt(session);
    this.changed.fire();
    void this.updateContext();
    return session;
  }

  /** Deletes an answer from history (and closes its panel); a running one is cancelled first. */
  async delete(id: string): Promise<boolean> {
    const session = this.sessions.find((s) => s.id === id);
    const known = !!session || this.saved.some((r) => r.id === id);
    if (!known) return false;
    if (session) {
      this.historyWriter.forget(id);
      session.dispose();
      this.sessions.splice(this.sessions.indexOf(session), 1);
      this.historyWriter.forget(id);
    }
    this.panels.get(id)?.dispose();
    this.saved = this.saved.filter((r) => r.id !== id);
    await this.history.delete(id);
    this.changed.fire();
    void this.updateContext();
    return true;
  }

  private dropPruned(): void {
    const gone = this.history.pruned;
    this.saved = this.saved.filter((r) => !gone.has(r.id));
    gone.clear();
    this.changed.fire();
  }

  /** Opens (or reveals) the panel of an answer. */
  show(session: ResponseSession): ResponsePanel {
    const existing = this.panels.get(session.id);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = ResponsePanel.create(session, this.services.context.extensionUri, this.services.log, this.panelActions);
    this.panels.set(session.id, panel);
    panel.onDidDispose(() => this.panels.delete(session.id));
    return panel;
  }

  /** A live answer by id; a saved one is taken over (revived) first. */
  get(id: string): ResponseSession | undefined {
    const live = this.sessions.find((s) => s.id === id);
    if (live) return live;
    const record = this.saved.find((r) => r.id === id);
    return record ? this.revive(record) : undefined;
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

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = restorableSnapshot(state);
    if (!saved) {
      // Nothing valid to show (an old or tampered state): close rather than show an empty shell.
      this.services.log.warn('Response panel: no valid saved state after reload; closing it');
      panel.dispose();
      return;
    }
    await this.loaded;
    // The answer is in history: the panel comes back live (Retry, continuation, follow-ups).
    const session = this.sessions.find((s) => s.id === saved.requestId) ?? (this.saved.some((r) => r.id === saved.requestId) ? this.get(saved.requestId) : undefined);
    if (session && !this.panels.has(session.id)) {
      const live = new ResponsePanel(panel, session, this.services.context.extensionUri, this.services.log, this.panelActions);
      this.panels.set(session.id, live);
      live.onDidDispose(() => this.panels.delete(session.id));
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

  /**
   * The window is closing (or reloading): what is running stays "running" on disk, so the next
   * window shows it as interrupted and Retry continues it. Nothing is marked cancelled.
   */
  dispose(): void {
    void this.historyWriter.flushAll();
    this.historyWriter.detachAll();
    for (const p of [...this.panels.values(), ...this.restoredPanels]) p.dispose();
    for (const s of this.sessions) s.dispose();
    this.channel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The first user message's text (the question an answer started from). */
export function firstUserText(params: StreamParams): string {
  const first = params.messages.find((m) => m.role === 'user');
  if (!first) return '';
  if (typeof first.content === 'string') return first.content;
  return first.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
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
