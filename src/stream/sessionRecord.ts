// What is saved of one answer so that it survives a reload or a restart: its conversation (to
// retry, continue or follow up), its transcript (to show it), usage and state. Pure; the history
// store (src/history) writes these as JSON.

import { isHostToWebviewMessage, type SnapshotMessage } from '../protocol';
import type { ConversationState } from './streamRunner';
import type { TranscriptUsage } from './transcriptUsage';

export const SESSION_RECORD_VERSION = 1;

export type SavedState = 'queued' | 'streaming' | 'complete' | 'error' | 'cancelled';

export interface SessionRecord {
  version: typeof SESSION_RECORD_VERSION;
  id: string;
  title: string;
  model: string;
  createdAt: number;
  updatedAt: number;
  state: SavedState;
  /** The error shown, for `error`. */
  error?: string;
  conversation: ConversationState;
  transcript: SnapshotMessage;
  usage: TranscriptUsage;
  elapsedMs: number;
}

const STATES: readonly string[] = ['queued', 'streaming', 'complete', 'error', 'cancelled'];

/**
 * Validates a parsed history file. A file another version wrote, or a damaged one, is rejected
 * (the caller logs and skips it) rather than half-loaded.
 */
export function parseSessionRecord(raw: unknown): SessionRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.version !== SESSION_RECORD_VERSION) return undefined;
  if (typeof r.id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(r.id)) return undefined;
  if (typeof r.title !== 'string' || typeof r.model !== 'string') return undefined;
  if (typeof r.createdAt !== 'number' || typeof r.updatedAt !== 'number' || typeof r.elapsedMs !== 'number') return undefined;
  if (typeof r.state !== 'string' || !STATES.includes(r.state)) return undefined;
  if (!isHostToWebviewMessage(r.transcript) || r.transcript.type !== 'snapshot') return undefined;
  const c = r.conversation as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object' || typeof c.partialText !== 'string' || typeof c.interrupted !== 'boolean') return undefined;
  const params = c.params as Record<string, unknown> | undefined;
  if (!params || typeof params.model !== 'string' || !Array.isArray(params.messages) || typeof params.max_tokens !== 'number') return undefined;
  const u = r.usage as Record<string, unknown> | undefined;
  const keys = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'];
  if (!u || !keys.every((k) => typeof u[k] === 'number')) return undefined;
  return raw as SessionRecord;
}

/** True while the answer was still running when the record was written (a reload cut it off). */
export function wasRunning(record: SessionRecord): boolean {
  return record.state === 'queued' || record.state === 'streaming';
}
