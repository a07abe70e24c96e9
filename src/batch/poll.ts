import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';

export const MAX_POLL_DELAY_MS = 10 * 60_000;
export const MAX_ERROR_DELAY_MS = 5 * 60_000;
const UNCHANGED_FACTOR = 1.5;

export interface PollState {
  baseSeconds: number;
  /** Polls in a row that saw no change. */
  unchangedPolls: number;
  /** Failed polls in a row. */
  consecutiveErrors: number;
}

/**
 * Milliseconds until the next poll. While nothing changes: base × 1.5^unchanged, at most
 * 10 min. After errors: base × 2^errors, at most 5 min, with ±20% jitter from `rng` so that
 * many windows do not retry in lockstep. (HTTP retries themselves are the SDK's.)
 */
export function nextPollDelay(state: PollState, rng: () => number = Math.random): number {
  const base = Math.max(1, state.baseSeconds) * 1000;
  if (state.consecutiveErrors > 0) {
    const backoff = Math.min(MAX_ERROR_DELAY_MS, base * 2 ** state.consecutiveErrors);
    const jitter = 0.8 + 0.4 * rng();
    return Math.round(Math.min(MAX_ERROR_DELAY_MS, backoff * jitter));
  }
  return Math.round(Math.min(MAX_POLL_DELAY_MS, base * UNCHANGED_FACTOR ** Math.max(0, state.unchangedPolls)));
}

/** Only batches still working can change: `in_progress` and `canceling`. */
export function shouldPoll(status: MessageBatch['processing_status'] | undefined): boolean {
  return status === 'in_progress' || status === 'canceling';
}
