// The follow-up input under an answer, and the conversation's actions (export, new conversation).
// Enabled once the answer ends (complete, cancelled or failed); while it streams it is disabled
// and says why. Ctrl/Cmd+Enter sends.

import type { FooterInfo, ResponseStatus, WebviewToHostMessage } from '../protocol';
import { nearContextLimit } from './contextGauge';

const STREAMING_REASON = 'Claude is still answering. Ask a follow-up when it finishes, or Cancel it.';

export class FollowUpInput {
  readonly el: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly reason: HTMLElement;
  private readonly warning: HTMLElement;
  private readonly newConversation: HTMLButtonElement;
  private running = true;

  constructor(private readonly requestId: () => string, private readonly post: (m: WebviewToHostMessage) => void) {
    this.el = el('section', 'follow-up');
    this.textarea = el('textarea', 'follow-up-text');
    this.textarea.rows = 3;
    this.textarea.placeholder = 'Ask a follow-up… (Ctrl+Enter or ⌘+Enter to send)';
    this.textarea.setAttribute('aria-label', 'Follow-up question');
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.send();
      }
    });
    this.sendButton = button('Send', 'follow-up-send', () => this.send());
    this.reason = el('div', 'follow-up-reason');
    this.warning = el('div', 'follow-up-warning');
    this.warning.hidden = true;
    this.newConversation = button('New conversation from the last answer', 'new-conversation', () =>
      this.post({ type: 'newConversation', requestId: this.requestId() }));
    this.newConversation.hidden = true;
    const actions = el('div', 'conversation-actions');
    actions.append(
      this.sendButton,
      button('Open as Markdown', 'export-open', () => this.post({ type: 'export', requestId: this.requestId(), target: 'open' })),
      button('Save Conversation As…', 'export-save', () => this.post({ type: 'export', requestId: this.requestId(), target: 'save' })),
      this.newConversation,
    );
    this.el.append(this.textarea, this.reason, this.warning, actions);
  }

  setStatus(status: ResponseStatus): void {
    this.running = status.state === 'streaming' || status.state === 'continuing';
    this.textarea.disabled = this.running;
    this.sendButton.disabled = this.running;
    this.reason.textContent = this.running ? STREAMING_REASON : '';
    this.reason.hidden = !this.running;
  }

  /** Warns near the context limit, and offers a new conversation when the window was exceeded. */
  setFooter(f: FooterInfo): void {
    const exceeded = f.stopReason === 'model_context_window_exceeded';
    this.newConversation.hidden = !exceeded;
    const near = exceeded || nearContextLimit(f);
    this.warning.hidden = !near;
    this.warning.textContent = exceeded
      ? 'The conversation is too long for the model’s context window. Start a new conversation from the last answer.'
      : near ? 'The conversation is close to the model’s context limit: a follow-up may not fit.' : '';
  }

  private send(): void {
    const text = this.textarea.value;
    if (this.running || !text.trim()) return;
    this.post({ type: 'followUp', requestId: this.requestId(), text });
    this.textarea.value = '';
    // Disabled at once: the host's status patch confirms it a moment later.
    this.setStatus({ state: 'streaming' });
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text: string, action: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', `action-${action}`, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}
