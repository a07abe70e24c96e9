// What the Models API says about a model (max_input_tokens, capabilities), asked once per model
// per window. Pure: the host passes the client. A failure is remembered briefly, not forever.

import type Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';

const RETRY_AFTER_FAILURE_MS = 60_000;

export class ModelInfoCache {
  private readonly known = new Map<string, Promise<ModelInfo | undefined>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The model's info, or undefined when the API does not know it or cannot be reached. */
  get(client: Anthropic, id: string): Promise<ModelInfo | undefined> {
    let p = this.known.get(id);
    if (!p) {
      const failedAt = this.now();
      p = client.models.retrieve(id).then(
        (m) => m,
        () => {
          // Ask again on a later request rather than never.
          setTimeout(() => this.known.delete(id), Math.max(0, RETRY_AFTER_FAILURE_MS - (this.now() - failedAt))).unref?.();
          return undefined;
        },
      );
      this.known.set(id, p);
    }
    return p;
  }
}

export type EffortLevel = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * The effort to send: the setting, if the model's capabilities say it supports that level.
 * Otherwise no effort, and a note saying why (shown above the answer).
 */
export function gateEffort(setting: string, model: string, info: ModelInfo | undefined): { effort?: EffortLevel; note?: string } {
  if (setting === 'default' || !setting) return {};
  const level = setting as EffortLevel;
  const effort = info?.capabilities?.effort;
  if (!info) return { note: `claudeEvents.effort "${level}" not sent: the Models API did not describe ${model}.` };
  const supported = effort?.supported === true && (effort as unknown as Record<string, { supported?: boolean } | null>)[level]?.supported === true;
  return supported ? { effort: level } : { note: `claudeEvents.effort "${level}" not sent: ${model} does not support it.` };
}
