import type { BatchesModelDeps } from './batchesModel';
import { BatchesModel } from './batchesModel';
import type { FsPort } from './store/fsPort';
import { ResultStateStore } from './store/resultStates';
import { BatchStore } from './store/batchStore';
import type { StoreDeps } from './store/batchStore';

export interface BatchCoreDeps extends Omit<BatchesModelDeps, 'store' | 'states'> {
  /** Store options (clock, ids, warnings). */
  store?: StoreDeps;
}

/** The window-independent part of the batch feature: what one window builds over its storage. */
export interface BatchCore {
  store: BatchStore;
  states: ResultStateStore;
  model: BatchesModel;
  /** What deactivate does: stops polling and drops listeners; the storage stays. */
  dispose(): void;
}

/**
 * Builds the store, result states and model over `fs` (the extension's global storage). The
 * extension calls it once per activation; building a second one over the same directory is
 * exactly what a window reload or a second window does, and tests rely on that.
 */
export function createBatchCore(fs: FsPort, deps: BatchCoreDeps): BatchCore {
  const { store: storeDeps, ...modelDeps } = deps;
  const store = new BatchStore(fs, storeDeps ?? {});
  const states = new ResultStateStore(fs);
  const model = new BatchesModel({ ...modelDeps, store, states });
  return { store, states, model, dispose: () => model.dispose() };
}
