// Small DOM builders for the response view. Text only ever goes in through textContent.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function link(text: string, href: string): HTMLAnchorElement {
  const a = el('a', 'link', text);
  a.href = href;
  return a;
}

export function button(text: string, action: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', `action-${action}`, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

