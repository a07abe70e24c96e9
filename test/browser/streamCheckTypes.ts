// Shapes of the streaming check's input and result, shared by the page side and the Node side.

export interface StreamDoc {
  name: string;
  text: string;
}

export interface StreamMismatch {
  doc: string;
  chunking: string;
  /**
   * `final` (after finish), `frame` (an intermediate frame differs from a one-shot render of the
   * text so far), `vanished` (a frame shows words, not on the unfinished last line, that are gone
   * at the end, where a one-shot render of the same text does not), `restart` (the renderer fell
   * back to rebuilding), `error` (it threw).
   */
  kind: 'final' | 'frame' | 'vanished' | 'restart' | 'error';
  /** Characters streamed when it happened. */
  at: number;
  expected: string;
  actual: string;
}

export interface StreamCheckResult {
  runs: number;
  frames: number;
  mismatches: StreamMismatch[];
  /**
   * Frames showing a word that is gone at the end although it is not on the unfinished last line,
   * where a one-shot render of the same text shows such words too: markdown's own lookahead (a
   * link destination or reference definition continued on the next line). Counted, not failures.
   */
  inherentVanished: number;
}
