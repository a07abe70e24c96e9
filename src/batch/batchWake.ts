import type { BatchRecord } from './store/records';

/** The batch feature's folder under the extension's global storage. */
export const BATCH_STORAGE_DIR = 'batches';

/** The scheme of the right side of an edit review's diff (`claude-edit:/<relPath>?<batch>#<id>`). */
export const PROPOSAL_SCHEME = 'claude-edit';

/**
 * The first line of an editor-mode results index starts so (resultsIndex.ts parses the whole
 * heading): the activation bundle's link provider looks only at this before loading the feature.
 */
export const INDEX_TITLE = '# Batch results: ';

/**
 * globalState key: true while a batch is in flight or review findings are kept (in any window:
 * batch storage is global). Activation reads it to decide whether the batch feature must load
 * at once or can wait for its first command or view.
 */
export const BATCH_WAKE_KEY = 'claudeEvents.batch.wake';

/** A batch that may end, or be created, while VS Code is closed: it must be announced at start. */
export function isInFlight(r: BatchRecord): boolean {
  return r.state === 'pending-create' || r.lastKnown?.processing_status === 'in_progress' || r.lastKnown?.processing_status === 'canceling';
}

/**
 * Whether activation starts the batch feature. The flag decides once written; before that
 * (a first start, or an update from a version that did not write it) any batch storage on
 * disk may hold a batch in flight, so its presence decides.
 */
export function startsAtActivation(flag: unknown, storageExists: () => boolean): boolean {
  return typeof flag === 'boolean' ? flag : storageExists();
}
