import vscode = require('vscode');
import { EXTENSION_ID, GlobalStateKeys, WALKTHROUGH_ID } from './constants';

const WALKTHROUGH = `${EXTENSION_ID}#${WALKTHROUGH_ID}`;

/** Opens "Get started with Claude Events" (the palette's Claude: Get Started). */
export function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
}

/**
 * Opens the walkthrough on the first activation after install, never again: VS Code itself only
 * does so for installs from its Extensions view, not for a VSIX or a profile set up by script.
 * Honours the user's `workbench.welcomePage.walkthroughs.openOnInstall`.
 */
export function openWalkthroughOnFirstRun(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(GlobalStateKeys.walkthroughShown)) return;
  void context.globalState.update(GlobalStateKeys.walkthroughShown, true);
  if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return;
  void openWalkthrough();
}
