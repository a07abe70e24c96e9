import vscode = require('vscode');
import type { JobQueue } from './jobQueue';

/**
 * Shows what the job queue is doing ("$(sync~spin) Claude: 2 running, 3 queued"); clicking
 * offers to cancel a job or everything. Hidden while the queue is idle.
 */
export class QueueStatusBar implements vscode.Disposable {
  static readonly command = 'claudeEvents.internal.queueMenu';
  private readonly item = vscode.window.createStatusBarItem('claudeEvents.queue', vscode.StatusBarAlignment.Left, 50);
  private readonly unsubscribe: () => void;
  private readonly commandReg: vscode.Disposable;

  constructor(private readonly queue: JobQueue) {
    this.item.name = vscode.l10n.t('Claude Jobs');
    this.item.command = QueueStatusBar.command;
    this.commandReg = vscode.commands.registerCommand(QueueStatusBar.command, () => this.menu());
    this.unsubscribe = queue.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown, exposed for tests. */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const s = this.queue.snapshot();
    if (!s.running.length && !s.queued.length) {
      this.item.hide();
      return;
    }
    const parts = [vscode.l10n.t('{0} running', s.running.length)];
    if (s.queued.length) parts.push(vscode.l10n.t('{0} queued', s.queued.length));
    if (s.pausedUntil) parts.push(vscode.l10n.t('rate limited {0}s', Math.ceil((s.pausedUntil - Date.now()) / 1000)));
    this.item.text = `$(sync~spin) ${vscode.l10n.t('Claude: {0}', parts.join(', '))}`;
    this.item.tooltip = [...s.running.map((j) => `▶ ${j.label}`), ...s.queued.map((j) => `… ${j.label}`)].join('\n');
    this.item.show();
  }

  private async menu(): Promise<void> {
    const s = this.queue.snapshot();
    const jobs = [...s.running, ...s.queued];
    if (!jobs.length) return;
    const all = { label: `$(close-all) ${vscode.l10n.t('Cancel all')}`, id: -1 };
    const picked = await vscode.window.showQuickPick(
      [...jobs.map((j) => ({ label: `$(close) ${j.label}`, description: j.state, id: j.id })), all],
      { title: vscode.l10n.t('Claude jobs: pick one to cancel') },
    );
    if (!picked) return;
    if (picked.id === -1) this.queue.cancelAll();
    else this.queue.cancel(picked.id);
  }

  dispose(): void {
    this.unsubscribe();
    this.commandReg.dispose();
    this.item.dispose();
  }
}
