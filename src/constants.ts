/** Every id the manifest, menus and tests depend on. Keep in sync with package.json. */
export const EXTENSION_ID = 'claude-events.claude-events';
export const SECRET_KEY = 'claudeEvents.apiKey';
export const CONFIG_SECTION = 'claudeEvents';
export const LOG_NAME = 'Claude Events';

export const Commands = {
  setApiKey: 'claudeEvents.setApiKey',
  clearApiKey: 'claudeEvents.clearApiKey',
  selectModel: 'claudeEvents.selectModel',
  showLog: 'claudeEvents.showLog',
  ask: 'claudeEvents.ask',
  summarize: 'claudeEvents.summarize',
  cancel: 'claudeEvents.cancel',
  retry: 'claudeEvents.retry',
  getStarted: 'claudeEvents.getStarted',
  /** Reopens an answer's panel (the Responses view's items); not in the palette. */
  openResponse: 'claudeEvents.internal.openResponse',
  followUp: 'claudeEvents.followUp',
  acceptApply: 'claudeEvents.acceptApply',
  rejectApply: 'claudeEvents.rejectApply',
  openAsMarkdown: 'claudeEvents.openAsMarkdown',
  saveConversationAs: 'claudeEvents.saveConversationAs',
  newConversationFromAnswer: 'claudeEvents.newConversationFromAnswer',
  deleteResponse: 'claudeEvents.deleteResponse',
  filterResponses: 'claudeEvents.filterResponses',
  clearResponsesFilter: 'claudeEvents.clearResponsesFilter',
} as const;

/** Batch commands (ids fixed by DESIGN.md). */
export const BatchCommands = {
  submit: 'claudeEvents.batch.submit',
  refresh: 'claudeEvents.batch.refresh',
  cancel: 'claudeEvents.batch.cancel',
  delete: 'claudeEvents.batch.delete',
  openResults: 'claudeEvents.batch.openResults',
  openResult: 'claudeEvents.batch.openResult',
  saveResults: 'claudeEvents.batch.saveResults',
  retryFailed: 'claudeEvents.batch.retryFailed',
  copyId: 'claudeEvents.batch.copyId',
  /** The review of an edit batch (Batch Edits view). */
  showEdit: 'claudeEvents.batch.showEdit',
  acceptEdit: 'claudeEvents.batch.acceptEdit',
  rejectEdit: 'claudeEvents.batch.rejectEdit',
  acceptAllEdits: 'claudeEvents.batch.acceptAllEdits',
  closeReview: 'claudeEvents.batch.closeReview',
  reviewLoadMore: 'claudeEvents.internal.reviewLoadMore',
  /** Removes a review batch's findings from the Problems panel (and from storage). */
  clearFindings: 'claudeEvents.batch.clearFindings',
  /** Run by a finding's quick fix after its edit: the finding is done; not in the palette. */
  findingApplied: 'claudeEvents.internal.batchFindingApplied',
  /** The Batches tree's "Load more" row; not in the palette. */
  loadMore: 'claudeEvents.internal.batchLoadMore',
} as const;

/** Name of the diagnostic collection holding review batches' findings. */
export const FINDINGS_COLLECTION = 'claudeEvents.findings';

export const Views = {
  container: 'claudeEvents',
  batches: 'claudeEvents.batches',
  responses: 'claudeEvents.responses',
  /** The files of the edit batch under review. */
  editReview: 'claudeEvents.editReview',
} as const;

/** Context keys used in `when` clauses. */
export const ContextKeys = {
  hasApiKey: 'claudeEvents.hasApiKey',
  /** An answer is queued or streaming (Cancel Response is offered). */
  streaming: 'claudeEvents.streaming',
  /** The most recent answer failed or was cancelled (Retry Response is offered). */
  canRetry: 'claudeEvents.canRetry',
  /** An edit batch is under review (the Batch Edits view shows). */
  reviewingEdits: 'claudeEvents.reviewingEdits',
  /** An Apply to File diff waits for Accept or Reject. */
  applyPending: 'claudeEvents.applyPending',
  /** The Responses view is filtered (Clear Filter is offered). */
  responsesFiltered: 'claudeEvents.responsesFiltered',
} as const;

/** The walkthrough's id in `contributes.walkthroughs`. */
export const WALKTHROUGH_ID = 'getStarted';

/** Keys of `context.globalState`. */
export const GlobalStateKeys = {
  /** The walkthrough was opened once (on the first activation after install). */
  walkthroughShown: 'claudeEvents.walkthroughShown',
} as const;

/** Output channel of answers in `claudeEvents.output: outputChannel` mode. */
export const ANSWERS_CHANNEL_NAME = 'Claude Answers';

/** The newest Sonnet in the SDK's `Model` type. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
