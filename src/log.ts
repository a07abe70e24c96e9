import vscode = require('vscode');
import { redactSecrets } from './redact';
import { LOG_NAME } from './constants';

/**
 * The "Claude Events" log. Every line passes through `redactSecrets` with the current key,
 * so a key that ends up in an error message or a URL never reaches the output channel.
 */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private secrets: () => readonly (string | undefined)[] = () => [];

  constructor() {
    this.channel = vscode.window.createOutputChannel(LOG_NAME, { log: true });
  }

  setSecretSource(fn: () => readonly (string | undefined)[]): void {
    this.secrets = fn;
  }

  private clean(msg: string, args: unknown[]): string {
    const extra = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : safeJson(a)));
    return redactSecrets([msg, ...extra].join(' '), this.secrets());
  }

  trace(msg: string, ...args: unknown[]): void { this.channel.trace(this.clean(msg, args)); }
  debug(msg: string, ...args: unknown[]): void { this.channel.debug(this.clean(msg, args)); }
  info(msg: string, ...args: unknown[]): void { this.channel.info(this.clean(msg, args)); }
  warn(msg: string, ...args: unknown[]): void { this.channel.warn(this.clean(msg, args)); }
  error(msg: string, ...args: unknown[]): void { this.channel.error(this.clean(msg, args)); }
  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
