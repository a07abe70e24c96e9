// Builds and updates the response DOM from protocol patches. Model strings only ever reach the DOM
// through textContent/Text nodes, or through markdown-it (html: false) for answer text.

import type { MarkdownIt } from 'markdown-it';
import type {
  BlockSnapshot,
  BlockStart,
  CitationRef,
  FooterInfo,
  ResponsePatch,
  ResponseStatus,
  SnapshotMessage,
  WebviewToHostMessage,
} from '../protocol';
import { isHttpUrl } from '../protocol';
import { renderToolResult, statusText, STOP_REASON_TEXT } from './blockViews';
import { button, el, link } from './dom';
import { IncrementalMarkdown } from './incrementalMarkdown';
import { citationMarker, stripMarkers } from './markdown';
import { formatUsd, refusalText, stopReasonText, tokensText } from '../format/display';
import { handleCodeActionClick } from './codeBlockActions';
import { renderContextGauge } from './contextGauge';
import { FollowUpInput } from './followUpInput';

export type PostMessage = (message: WebviewToHostMessage) => void;

/** Consecutive text blocks share one markdown flow, so a sentence split across blocks (citations) stays one paragraph. */
interface Flow {
  el: HTMLElement;
  md: IncrementalMarkdown;
}

interface RenderedBlock {
  start: BlockStart;
  el: HTMLElement;
  flow?: Flow;
  /** Live text node for thinking text and tool JSON (appendData is O(delta)). */
  live?: Text;
  citations: Set<number>;
}

/** Renders one response at a time into `root`. */
export class ResponseRenderer {
  private requestId = '';
  private blocks = new Map<number, RenderedBlock>();
  private flows: Flow[] = [];
  private currentFlow: Flow | undefined;
  private dirtyFlows = new Set<Flow>();
  private references = new Map<number, CitationRef>();

  private readonly titleEl: HTMLElement;
  private readonly blocksEl: HTMLElement;
  private readonly referencesEl: HTMLElement;
  private readonly referencesList: HTMLOListElement;
  private readonly footerEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly followUp: FollowUpInput;

  constructor(
    private readonly root: HTMLElement,
    private readonly md: MarkdownIt,
    private readonly post: PostMessage,
  ) {
    this.titleEl = el('h1', 'title');
    this.blocksEl = el('div', 'blocks');
    this.referencesEl = el('section', 'references');
    this.referencesEl.hidden = true;
    this.referencesEl.append(el('h2', '', 'References'));
    this.referencesList = el('ol', 'reference-list');
    this.referencesEl.append(this.referencesList);
    this.footerEl = el('footer', 'footer');
    const statusBar = el('div', 'status-bar');
    this.statusEl = el('span', 'status');
    this.cancelButton = button('Cancel', 'cancel', () => this.post({ type: 'cancel', requestId: this.requestId }));
    this.retryButton = button('Retry', 'retry', () => this.post({ type: 'retry', requestId: this.requestId }));
    statusBar.append(this.statusEl, this.cancelButton, this.retryButton);
    this.followUp = new FollowUpInput(() => this.requestId, post);
    root.replaceChildren(this.titleEl, this.blocksEl, this.referencesEl, this.footerEl, statusBar, this.followUp.el);
    root.addEventListener('click', (e) => this.onClick(e));
    this.setStatus({ state: 'streaming' });
  }

  /** Markdown flows (tests compare each with a one-shot render of its source). */
  get textFlows(): readonly { el: HTMLElement; md: IncrementalMarkdown }[] {
    return this.flows;
  }

  /** Replaces everything with a snapshot, replaying it through the same paths as live patches. */
  applySnapshot(s: SnapshotMessage): void {
    this.reset(s.requestId, s.title);
    for (const b of s.blocks) this.replayBlock(b);
    for (const text of s.notes) this.applyPatch({ type: 'note', text });
    this.renderFooter(s.footer);
    this.setStatus(s.status);
    this.renderFrame();
  }

  /**
   * A snapshot of the answer the panel already shows (same request, same last patch): only the
   * title, footer and status are taken from it, the blocks are already on screen.
   */
  applyState(s: SnapshotMessage): void {
    if (s.title && s.title !== this.titleEl.textContent) {
      this.titleEl.textContent = s.title;
      this.titleEl.hidden = false;
    }
    this.renderFooter(s.footer);
    this.setStatus(s.status);
  }

  /** Applies patches in order; markdown is re-rendered by `renderFrame`, once per frame. */
  applyPatches(requestId: string, patches: readonly ResponsePatch[]): void {
    if (requestId !== this.requestId) this.reset(requestId, '');
    for (const p of patches) this.applyPatch(p);
  }

  /** Re-renders the markdown flows that changed since the last frame. */
  renderFrame(): void {
    for (const flow of this.dirtyFlows) flow.md.render();
    this.dirtyFlows.clear();
  }

  private reset(requestId: string, title: string): void {
    this.requestId = requestId;
    this.blocks.clear();
    this.flows = [];
    this.currentFlow = undefined;
    this.dirtyFlows.clear();
    this.references.clear();
    this.titleEl.textContent = title;
    this.titleEl.hidden = !title;
    this.blocksEl.replaceChildren();
    this.referencesList.replaceChildren();
    this.referencesEl.hidden = true;
    this.footerEl.replaceChildren();
  }

  private applyPatch(p: ResponsePatch): void {
    switch (p.type) {
      case 'blockStart': return this.startBlock(p.index, p.block);
      case 'textAppend': return this.appendText(p.index, p.text);
      case 'thinkingAppend':
      case 'toolInputAppend': {
        const live = this.blocks.get(p.index)?.live;
        live?.appendData(p.type === 'thinkingAppend' ? p.text : p.json);
        return;
      }
      case 'blockStop': return this.stopBlock(p.index, p.prettyJson, p.invalidJson, p.interrupted);
      case 'citations': return this.addCitations(p.index, p.citations);
      case 'note': {
        this.blocksEl.append(el('div', 'note', p.text));
        return;
      }
      case 'footer': return this.renderFooter(p.footer);
      case 'status': return this.setStatus(p.status);
      case 'continuation': return;
    }
  }

  private replayBlock(b: BlockSnapshot): void {
    this.startBlock(b.index, b.block);
    if (b.block.kind === 'text') {
      // Citation markers go before the block's trailing whitespace, as they do live.
      const body = b.content.trimEnd();
      this.appendText(b.index, body);
      if (b.citations.length) this.addCitations(b.index, b.citations);
      this.appendText(b.index, b.content.slice(body.length));
    } else if (b.block.kind === 'thinking') {
      this.applyPatch({ type: 'thinkingAppend', index: b.index, text: b.content });
    } else if (b.block.kind === 'userTurn') {
      this.appendText(b.index, b.content);
    } else if (b.block.kind === 'toolUse') {
      this.applyPatch({ type: 'toolInputAppend', index: b.index, json: b.content });
    }
    if (b.done) this.stopBlock(b.index, b.prettyJson, b.invalidJson, b.interrupted);
  }

  private startBlock(index: number, start: BlockStart): void {
    if (this.blocks.has(index)) return;
    if (start.kind !== 'text') this.closeFlow();
    const block: RenderedBlock = { start, el: this.blocksEl, citations: new Set() };
    switch (start.kind) {
      case 'text': {
        if (!this.currentFlow) this.currentFlow = this.newFlow();
        block.flow = this.currentFlow;
        block.el = this.currentFlow.el;
        break;
      }
      case 'thinking': {
        const details = el('details', 'block thinking');
        details.open = true;
        const text = document.createTextNode('');
        const body = el('div', 'thinking-text');
        body.append(text);
        details.append(el('summary', '', 'Thinking…'), body);
        block.el = details;
        block.live = text;
        break;
      }
      case 'redactedThinking':
        block.el = el('div', 'block redacted', 'Some of Claude’s reasoning was encrypted for safety reasons.');
        break;
      case 'toolUse': {
        const box = el('div', `block tool-use${start.server ? ' server' : ''}`);
        const head = el('div', 'tool-head');
        head.append(el('span', 'tool-label', start.server ? 'Server tool' : 'Tool'), el('span', 'tool-name', start.name));
        const pre = el('pre', 'tool-json');
        const text = document.createTextNode('');
        pre.append(text);
        box.append(head, pre);
        block.el = box;
        block.live = text;
        break;
      }
      case 'toolResult':
        block.el = renderToolResult(start.summary);
        break;
      case 'unknown':
        block.el = el('div', 'block unknown-block', `unknown block: ${start.blockType}`);
        break;
      case 'userTurn': {
        const text = document.createTextNode('');
        const body = el('div', 'user-turn-text');
        body.append(text);
        block.el = el('div', 'block user-turn');
        block.el.append(el('div', 'user-turn-label', 'You'), body);
        block.live = text;
        break;
      }
    }
    if (block.el !== this.blocksEl && !block.el.isConnected) this.blocksEl.append(block.el);
    this.blocks.set(index, block);
  }

  private appendText(index: number, text: string): void {
    const block = this.blocks.get(index);
    if (block?.start.kind === 'userTurn') return block.live?.appendData(text);
    if (!block?.flow || !text) return;
    block.flow.md.append(stripMarkers(text));
    this.dirtyFlows.add(block.flow);
  }

  private stopBlock(index: number, prettyJson?: string, invalidJson?: boolean, interrupted?: boolean): void {
    const block = this.blocks.get(index);
    if (!block) return;
    if (block.start.kind === 'thinking') {
      (block.el as HTMLDetailsElement).open = false;
      block.el.querySelector('summary')!.textContent = interrupted ? 'Thinking (interrupted)' : 'Thinking';
    }
    if (block.start.kind === 'toolUse') {
      if (prettyJson !== undefined && block.live) block.live.data = prettyJson;
      if (invalidJson) block.el.append(el('div', 'tool-warning', 'Input is not valid JSON (shown as received).'));
    }
    if (interrupted && block.start.kind !== 'text') block.el.classList.add('interrupted');
  }

  private addCitations(index: number, citations: readonly CitationRef[]): void {
    const block = this.blocks.get(index);
    for (const c of citations) {
      if (block?.flow && !block.citations.has(c.n)) {
        block.citations.add(c.n);
        block.flow.md.append(citationMarker(c.n));
        this.dirtyFlows.add(block.flow);
      }
      if (!this.references.has(c.n)) this.addReference(c);
    }
  }

  private addReference(c: CitationRef): void {
    this.references.set(c.n, c);
    const li = el('li', 'reference');
    li.value = c.n;
    li.id = `ref-${c.n}`;
    const title = c.url && isHttpUrl(c.url) ? link(c.title || c.url, c.url) : el('span', 'ref-title', c.title);
    li.append(title);
    if (c.location) li.append(el('span', 'ref-location', ` (${c.location})`));
    if (c.citedText) li.append(el('blockquote', 'ref-quote', c.citedText));
    this.referencesList.append(li);
    this.referencesEl.hidden = false;
  }

  private newFlow(): Flow {
    const container = el('div', 'block markdown');
    this.blocksEl.append(container);
    const flow = { el: container, md: new IncrementalMarkdown(container, this.md) };
    this.flows.push(flow);
    return flow;
  }

  private closeFlow(): void {
    this.currentFlow?.md.finish();
    this.currentFlow = undefined;
  }

  private setStatus(status: ResponseStatus): void {
    const running = status.state === 'streaming' || status.state === 'continuing';
    this.root.dataset.status = status.state;
    this.statusEl.textContent = statusText(status);
    this.statusEl.className = `status status-${status.state}`;
    this.cancelButton.hidden = !running;
    this.retryButton.hidden = !(status.state === 'error' || status.state === 'cancelled');
    this.followUp.setStatus(status);
    if (!running) {
      for (const flow of this.flows) flow.md.finish();
      this.dirtyFlows.clear();
    }
  }

  private renderFooter(f: FooterInfo): void {
    const parts: [string, string][] = [];
    if (f.stopReason) parts.push(['stop', f.stopReason === 'refusal' ? refusalText(f.refusalCategory, f.refusalExplanation) : stopReasonText(f.stopReason)]);
    if (f.model) parts.push(['model', f.model]);
    parts.push(['tokens', tokensText(f)]);
    if (f.elapsedMs !== undefined) parts.push(['elapsed', `${(f.elapsedMs / 1000).toFixed(1)} s`]);
    if (f.tokensPerSecond !== undefined) parts.push(['rate', `${f.tokensPerSecond.toFixed(1)} tokens/s`]);
    if (f.costUsd !== undefined) parts.push(['cost', `≈ ${formatUsd(f.costUsd)}`]);
    if (f.requestId) parts.push(['request-id', `request id ${f.requestId}`]);
    this.footerEl.replaceChildren(...parts.map(([cls, text]) => el('span', `footer-${cls}`, text)));
    const gauge = renderContextGauge(f);
    if (gauge) this.footerEl.append(gauge);
    this.followUp.setFooter(f);
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target : null;
    if (handleCodeActionClick(target, this.post)) return;
    const copy = target?.closest('button.copy-code');
    if (copy) {
      const code = copy.closest('.code-block')?.querySelector('code');
      this.post({ type: 'copy', text: code?.textContent ?? '' });
      return;
    }
    const anchor = target?.closest('a');
    if (!anchor) return;
    // The webview never navigates; only http(s) links go to the host, which opens them outside.
    e.preventDefault();
    const href = anchor.getAttribute('href') ?? '';
    if (isHttpUrl(href)) this.post({ type: 'openLink', url: href });
  }
}
