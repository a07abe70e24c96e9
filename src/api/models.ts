import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';

export interface ModelChoice {
  id: string;
  label: string;
  description: string;
  detail: string;
  deprecated: boolean;
}

/**
 * Orders `models.list()` for the picker: active models first (the API lists newest first and
 * that order is kept), deprecated ones after them and marked, retired ones hidden.
 */
export function modelChoices(models: readonly ModelInfo[], current?: string): ModelChoice[] {
  const visible = models.filter((m) => m.lifecycle !== 'retired');
  const active = visible.filter((m) => m.lifecycle !== 'deprecated');
  const deprecated = visible.filter((m) => m.lifecycle === 'deprecated');
  return [...active, ...deprecated].map((m) => {
    const isDeprecated = m.lifecycle === 'deprecated';
    const caps = capabilityList(m);
    const parts = [m.id];
    if (m.id === current) parts.push('current');
    if (isDeprecated) parts.push(m.retires_at ? `deprecated, retires ${m.retires_at.slice(0, 10)}` : 'deprecated');
    return {
      id: m.id,
      label: isDeprecated ? `$(warning) ${m.display_name}` : m.display_name,
      description: parts.join(' · '),
      detail: caps.join(', '),
      deprecated: isDeprecated,
    };
  });
}

function capabilityList(m: ModelInfo): string[] {
  const out: string[] = [];
  if (m.max_input_tokens) out.push(`${Math.round(m.max_input_tokens / 1000)}k context`);
  const c = m.capabilities;
  if (!c) return out;
  if (c.thinking?.supported) out.push('thinking');
  if (c.batch?.supported) out.push('batches');
  if (c.server_tools?.supported) out.push('server tools');
  if (c.citations?.supported) out.push('citations');
  if (c.image_input?.supported) out.push('images');
  return out;
}
