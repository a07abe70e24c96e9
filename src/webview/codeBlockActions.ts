// The actions next to a fenced code block: Insert at Cursor, Apply to File…, New File and Copy.
// The buttons are part of the markdown render (so incremental and one-shot renders stay equal);
// clicks are handled by delegation and become protocol messages the host checks again.

import type { CodeAction, WebviewToHostMessage } from '../protocol';
import { parseInfo } from './fenceInfo';

const ACTIONS: readonly { action: CodeAction; label: string; title: string }[] = [
  { action: 'insert', label: 'Insert', title: 'Insert at the cursor of the last active editor' },
  { action: 'apply', label: 'Apply…', title: 'Apply to a file (shows a diff first; nothing is written until you accept)' },
  { action: 'newFile', label: 'New File', title: 'Open in a new untitled file' },
];

const escapeAttr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The opening of a code block's container, with its toolbar. `info` is the fence's info string
 * (```ts src/a.ts): its first word is the language, a later path-like word the file it is for.
 */
export function codeBlockOpen(info: string): string {
  const { language, fileHint } = parseInfo(info);
  const attrs = [language ? ` data-lang="${escapeAttr(language)}"` : '', fileHint ? ` data-file="${escapeAttr(fileHint)}"` : ''].join('');
  const buttons = ACTIONS.map((a) => `<button class="code-action" type="button" data-action="${a.action}" title="${a.title}">${a.label}</button>`).join('');
  return `<div class="code-block"${attrs}><div class="code-actions">${buttons}<button class="copy-code" type="button" title="Copy code">Copy</button></div>`;
}

/** Handles a click on a code action button; true when it was one. */
export function handleCodeActionClick(target: Element | null, post: (m: WebviewToHostMessage) => void): boolean {
  const button = target?.closest('button.code-action');
  if (!(button instanceof HTMLElement)) return false;
  const block = button.closest('.code-block');
  const action = button.dataset.action;
  if (!(block instanceof HTMLElement) || (action !== 'insert' && action !== 'apply' && action !== 'newFile')) return true;
  const code = block.querySelector('code')?.textContent ?? '';
  const message: WebviewToHostMessage = { type: 'codeAction', action, code };
  if (block.dataset.lang) message.language = block.dataset.lang;
  if (block.dataset.file) message.fileHint = block.dataset.file;
  post(message);
  return true;
}
