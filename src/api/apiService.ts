import type Anthropic from '@anthropic-ai/sdk';
import vscode = require('vscode');
import { CONFIG_SECTION, ContextKeys, SECRET_KEY } from '../constants';
import type { Logger } from '../log';
import { createClient } from './clientFactory';
import { resolveApiKey, resolveBaseUrl, type ResolvedBaseUrl, type ResolvedKey } from './config';
import { MissingApiKeyError } from './errors';
import { retryAfterMs } from './retryAfter';
import { readSettings } from '../settings';

/** The settings that shape every request. */
export interface RequestSettings {
  model: string;
  maxTokens: number;
  maxRetries: number;
  timeoutMs: number;
}

/**
 * Owns the API key and the SDK client. The client is built lazily and rebuilt whenever the key
 * or a setting that shapes it changes.
 */
export class ApiService implements vscode.Disposable {
  private cachedKey: ResolvedKey | undefined;
  private client: { instance: Anthropic; signature: string } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly rateLimited = new vscode.EventEmitter<number>();
  /** Fires with the wait in ms whenever the API answers 429 (the SDK retries on its own). */
  readonly onRateLimited = this.rateLimited.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.rateLimited];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.disposables.push(
      secrets.onDidChange((e) => {
        if (e.key === SECRET_KEY) void this.reloadKey();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CONFIG_SECTION)) {
          this.client = undefined;
          this.changed.fire();
        }
      }),
    );
  }

  /** Reads the key once at start so the log can scrub it and `when` clauses know it exists. */
  async initialize(): Promise<void> {
    await this.reloadKey();
  }

  /** Every secret the log and error messages must never show. */
  knownSecrets(): (string | undefined)[] {
    return [this.cachedKey?.key, this.env.ANTHROPIC_API_KEY];
  }

  async getKey(): Promise<ResolvedKey> {
    if (!this.cachedKey) await this.reloadKey();
    return this.cachedKey!;
  }

  async setKey(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
    await this.reloadKey();
  }

  async clearKey(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    await this.reloadKey();
  }

  baseUrl(): ResolvedBaseUrl {
    // Only the user/remote-machine value counts: a workspace must not redirect the key elsewhere.
    const machineSetting = this.config().inspect<string>('baseUrl')?.globalValue;
    return resolveBaseUrl({ machineSetting, env: this.env });
  }

  settings(): RequestSettings {
    const c = readSettings(this.config());
    return { model: c.model, maxTokens: c.maxTokens, maxRetries: c.maxRetries, timeoutMs: c.timeoutSeconds * 1000 };
  }

  /** The SDK client for the current key and settings; throws MissingApiKeyError without a key. */
  async getClient(): Promise<Anthropic> {
    const { key } = await this.getKey();
    if (!key) throw new MissingApiKeyError();
    const { maxRetries, timeoutMs } = this.settings();
    const baseUrl = this.baseUrl().url;
    const signature = JSON.stringify([key.length, key.slice(-4), baseUrl, maxRetries, timeoutMs]);
    if (this.client?.signature !== signature) {
      this.log.info(`API client for ${baseUrl ?? 'https://api.anthropic.com'} (maxRetries ${maxRetries}, timeout ${timeoutMs / 1000}s)`);
      this.client = { instance: createClient({
          apiKey: key,
          baseUrl,
          maxRetries,
          timeoutMs,
          onRateLimited: (h) => this.rateLimited.fire(retryAfterMs(h) ?? 1000),
        }), signature };
    }
    return this.client.instance;
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(CONFIG_SECTION);
  }

  private async reloadKey(): Promise<void> {
    const stored = await this.secrets.get(SECRET_KEY);
    const next = resolveApiKey(stored, this.env);
    // The first read is no change: listeners (the batches' reconcile) must not make requests
    // just because activation read the key.
    const first = this.cachedKey === undefined;
    const changed = next.key !== this.cachedKey?.key;
    this.cachedKey = next;
    await vscode.commands.executeCommand('setContext', ContextKeys.hasApiKey, !!next.key);
    if (changed) {
      this.client = undefined;
      this.log.info(`API key source: ${next.source}`);
      if (!first) this.changed.fire();
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
