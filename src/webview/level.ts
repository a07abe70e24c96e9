// One open block of the incremental renderer's stack (see incrementalMarkdown.ts): where its
// children go, how later windows re-open it, and what a list needs to know about its looseness.

import type { LevelKind } from './openBlocks';

export interface Level {
  kind: LevelKind;
  /** Where children go: the container, a blockquote, ul/ol, an item's li, a fence's code, a table's tbody. */
  el: Element;
  /** Source lines put before the resumed source so that markdown-it re-opens this level. */
  header: string;
  /** Nodes of the latest frame's live part, removed at the next frame. */
  live: Node[];
  /** The token that opened the level, to check that each window re-opens it. */
  openType: string;
  markup: string;
  /** Source offset of the level's first line (a list turning loose is re-parsed from there). */
  start: number;
  /** Lists: committed items are rendered loose; loose whatever comes next; committed items hold paragraphs. */
  loose: boolean;
  finallyLoose: boolean;
  hasParagraphs: boolean;
  /** Items: the header of windows that resume after the item's first line (`itemReopenLine`). */
  reopen: string;
  /** The nodes the level's block was inserted as (an item given up is taken out again). */
  nodes: Node[];
}

/** The bottom of the stack: the container itself. */
export function rootLevel(container: Element): Level {
  return { kind: 'root', el: container, header: '', live: [], openType: '', markup: '', start: 0, loose: false, finallyLoose: false, hasParagraphs: false, reopen: '', nodes: [] };
}
