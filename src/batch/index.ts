// The batch feature as one module: the entry of dist/batch.js. The extension reaches it only
// through src/batch/batchLoader.ts, which `require`s it the first time a batch command runs, a
// batch view is shown, or a batch is in flight; nothing else in the activation bundle imports it.
export { batchHost, createBatchFeature, type BatchHost, type BatchProviders, type BatchViews } from './batchFeature';
export { clearFindingsCommand, findingAppliedCommand } from './commands/findings';
export { cancelBatchCommand, copyIdCommand, deleteBatchCommand, loadMoreCommand, refreshCommand, retryFailedCommand } from './commands/manage';
export { openResultCommand, openResultsCommand } from './commands/results';
export {
  acceptAllEditsCommand, acceptEditCommand, closeReviewCommand, rejectEditCommand, reviewLoadMoreCommand, showEditCommand,
} from './commands/review';
export { submitCommand } from './commands/submit';
