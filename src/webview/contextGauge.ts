// The context gauge: input tokens of the latest request against the model's `max_input_tokens`.

import { CONTEXT_WARN_RATIO, contextText } from '../format/display';
import type { FooterInfo } from '../protocol';

/** The gauge for the footer, or undefined while either number is unknown. */
export function renderContextGauge(f: FooterInfo): HTMLElement | undefined {
  if (!f.contextTokens || !f.contextLimit) return undefined;
  const box = document.createElement('span');
  box.className = `footer-context${nearContextLimit(f) ? ' near-limit' : ''}`;
  const meter = document.createElement('meter');
  meter.min = 0;
  meter.max = f.contextLimit;
  meter.value = f.contextTokens;
  meter.high = f.contextLimit * CONTEXT_WARN_RATIO;
  box.append(meter, document.createTextNode(` context ${contextText(f.contextTokens, f.contextLimit)}`));
  return box;
}

/** True when the conversation fills most of the context window (the follow-up input says so). */
export function nearContextLimit(f: FooterInfo): boolean {
  return !!f.contextTokens && !!f.contextLimit && f.contextTokens >= f.contextLimit * CONTEXT_WARN_RATIO;
}
