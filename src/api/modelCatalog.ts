import type Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { modelChoices, type ModelChoice } from './models';

/** Every active and deprecated model the API lists (the SDK pages through them). */
export async function fetchModels(client: Anthropic, signal?: AbortSignal): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  for await (const m of client.models.list({ limit: 100 }, { signal })) out.push(m);
  return out;
}

export async function fetchModelChoices(client: Anthropic, current?: string, signal?: AbortSignal): Promise<ModelChoice[]> {
  return modelChoices(await fetchModels(client, signal), current);
}
