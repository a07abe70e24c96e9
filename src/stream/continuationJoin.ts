// How the transcript reducer (transcript.ts) joins a continuation to the answer it continues:
// the next message's first text block is appended to the last text block shown, after dropping
// any start of it that repeats the shown tail (continuation.ts finds that overlap). The text is
// held back only until the overlap is decided, so the join never shows a repeat it takes back.
// Pure.

import { continuationSuffix, MAX_OVERLAP } from './continuation';
import type { BlockState } from './transcriptBlocks';

/** A continuation waiting to join the block it continues. */
export interface PendingJoin {
  /** Block the next part's first text joins. */
  target: number;
  /** End of the text shown so far (enough for overlap detection). */
  shownTail: string;
  removeOverlap: boolean;
  /** Continuation text held back until we know whether it repeats the tail. */
  buffer: string;
  /** Set once the first continuation text block is mapped to `target`. */
  mapped: boolean;
}

/** Starts joining the next message's first text onto `target`, the last text block shown. */
export function startJoin(target: BlockState, removeOverlap: boolean): PendingJoin {
  // The held whitespace was never shown; the continuation supplies its own (see continuation.ts).
  target.heldWhitespace = '';
  return { target: target.index, shownTail: target.content.tail(MAX_OVERLAP), removeOverlap, buffer: '', mapped: false };
}

/**
 * True once the buffered continuation start tells whether it repeats the tail: an overlap is a
 * prefix of the continuation that the tail ends with, so once the tail no longer contains the
 * buffered prefix (raw or without leading whitespace) no longer overlap is possible.
 */
export function joinDecidable(join: PendingJoin): boolean {
  if (join.buffer.length > MAX_OVERLAP + 64) return true;
  const trimmed = join.buffer.trimStart();
  if (!trimmed) return false;
  return !join.shownTail.includes(join.buffer) && !join.shownTail.includes(trimmed);
}

/** The buffered continuation text to show: without its repeat of the tail, when asked to remove it. */
export function joinedText(join: PendingJoin): string {
  return join.removeOverlap ? continuationSuffix(join.shownTail, join.buffer) : join.buffer;
}
