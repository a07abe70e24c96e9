import vscode = require('vscode');
import { Commands } from '../constants';
import type { ApiService } from './apiService';

/** Shows the current model; clicking it opens Select Model. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('claudeEvents.model', vscode.StatusBarAlignment.Right, 100);
  private readonly sub: vscode.Disposable;

  constructor(private readonly api: ApiService) {
    this.item.name = vscode.l10n.t('Claude Model');
    this.item.command = Commands.selectModel;
    this.sub = api.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  private update(): void {
    this.item.text = `$(sparkle) ${this.api.settings().model}`;
    this.item.tooltip = vscode.l10n.t('Claude model (click to change)');
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
