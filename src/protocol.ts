// Host <-> webview message types: the only module both sides import.
// Plain data only (structured-clone safe). Wire fields of the API stay on the host side; every
// name here is our own and camelCase.

import { arrayOf, isBool, isIndex, isNum, isRecord, isStr, lit, obj, shape, type Check } from './protocolShape';

// ---------------------------------------------------------------------------------------------
// Shared value types

/** Normalised, render-ready summary of a server-tool result block (search, fetch, code run). */
export interface ToolResultSummary {
  /** The API block type, e.g. `web_search_tool_result`. */
  resultType: string;
  /** The server tool use this result answers, when known. */
  toolUseId?: string;
  /** Pages found or fetched: a title (may be empty) and the URL. */
  links: ResultLink[];
  /** Output of a code execution (Python, bash, text editor). */
  output?: ExecutionOutput;
  /** Error code reported by the tool instead of a result. */
  error?: string;
  /** Anything else worth a line (e.g. "encrypted result", "file created"). */
  note?: string;
}

export interface ResultLink {
  title: string;
  url: string;
  /** Age of the page as reported by the search tool, e.g. "3 days ago". */
  pageAge?: string;
}

export interface ExecutionOutput {
  stdout: string;
  stderr: string;
  returnCode?: number;
}

/** One numbered reference. Numbers are unique within a response; the same source keeps its number. */
export interface CitationRef {
  n: number;
  /** The quoted passage. */
  citedText: string;
  /** Document or page title, if any. */
  title: string;
  /** Only for web sources. */
  url?: string;
  /** Where in the document: "chars 3-40", "pages 2-3", "blocks 1-2". */
  location?: string;
}

/** What a block is, sent once when it starts. */
export type BlockStart =
  | { kind: 'text' }
  | { kind: 'thinking' }
  | { kind: 'redactedThinking' }
  | { kind: 'toolUse'; server: boolean; name: string; id: string }
  | { kind: 'toolResult'; summary: ToolResultSummary }
  | { kind: 'unknown'; blockType: string }
  /** A question of the user (a follow-up); its content is the question's text. */
  | { kind: 'userTurn' };

export type BlockKind = BlockStart['kind'];

/** Numbers for the footer; every field is optional because they arrive over time. */
export interface FooterInfo {
  model?: string;
  /** API stop reason (`end_turn`, `max_tokens`, ...); the webview words it. */
  stopReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  elapsedMs?: number;
  tokensPerSecond?: number;
  /** The `request-id` response header (what support asks for). */
  requestId?: string;
  costUsd?: number;
  /** Input tokens of the latest request (cached ones included): what the context holds. */
  contextTokens?: number;
  /** The model's `max_input_tokens` from the Models API, when known. */
  contextLimit?: number;
  /** A `refusal` stop's `stop_details`. */
  refusalCategory?: string;
  refusalExplanation?: string;
}

export type ResponseStatus =
  | { state: 'streaming' }
  | { state: 'complete' }
  | { state: 'error'; message: string; retryable: boolean }
  | { state: 'cancelled' }
  | { state: 'continuing' };

// ---------------------------------------------------------------------------------------------
// Patches: the incremental changes to one response, in order.

/** A block began. `index` is the block's position in the whole response (across tool turns and continuations). */
export interface BlockStartPatch { type: 'blockStart'; index: number; block: BlockStart }
/** Markdown text appended to a text block. */
export interface TextAppendPatch { type: 'textAppend'; index: number; text: string }
/** Thinking text appended. */
export interface ThinkingAppendPatch { type: 'thinkingAppend'; index: number; text: string }
/** Raw tool-input JSON fragment appended (not valid JSON until the block stops). */
export interface ToolInputAppendPatch { type: 'toolInputAppend'; index: number; json: string }
/**
 * A block ended. For tool uses, `prettyJson` is the parsed input pretty-printed, or absent with
 * `invalidJson` set when the input did not parse. `interrupted` marks a block cut off by an error
 * or cancel (it will not be resumed).
 */
export interface BlockStopPatch {
  type: 'blockStop';
  index: number;
  prettyJson?: string;
  invalidJson?: boolean;
  interrupted?: boolean;
}
/** Citations attached to a text block (shown as numbered superscripts after it). */
export interface CitationsPatch { type: 'citations'; index: number; citations: CitationRef[] }
/** Something the renderer cannot show natively (unknown event or delta type). */
export interface NotePatch { type: 'note'; index?: number; text: string }
/** Footer numbers changed (the whole footer is sent; it is small). */
export interface FooterPatch { type: 'footer'; footer: FooterInfo }
/** Response status changed. */
export interface StatusPatch { type: 'status'; status: ResponseStatus }
/** The next part continues an interrupted answer; its text joins the previous text seamlessly. */
export interface ContinuationPatch { type: 'continuation' }

export type ResponsePatch =
  | BlockStartPatch
  | TextAppendPatch
  | ThinkingAppendPatch
  | ToolInputAppendPatch
  | BlockStopPatch
  | CitationsPatch
  | NotePatch
  | FooterPatch
  | StatusPatch
  | ContinuationPatch;

// ---------------------------------------------------------------------------------------------
// Host -> webview

/** One block in a snapshot: enough to rebuild it exactly as the patches would have. */
export interface BlockSnapshot {
  index: number;
  block: BlockStart;
  /** Text, thinking text or raw tool JSON received so far. */
  content: string;
  done: boolean;
  prettyJson?: string;
  invalidJson?: boolean;
  interrupted?: boolean;
  citations: CitationRef[];
}

/**
 * The complete state of one response, sent on `ready`, on `requestSnapshot` and after a reload.
 * `seq` is the sequence number of the last patch it includes; the next patch has `seq + 1`.
 */
export interface SnapshotMessage {
  type: 'snapshot';
  requestId: string;
  seq: number;
  title: string;
  blocks: BlockSnapshot[];
  notes: string[];
  footer: FooterInfo;
  status: ResponseStatus;
}

/**
 * Ordered patches of one flush window. `seq` increases by one per message and per request; the
 * webview drops stale ones and asks for a snapshot when it sees a gap.
 */
export interface PatchMessage {
  type: 'patch';
  requestId: string;
  seq: number;
  patches: ResponsePatch[];
}

export type HostToWebviewMessage = SnapshotMessage | PatchMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host

/** The webview script is running and wants a snapshot. */
export interface ReadyMessage { type: 'ready' }
export interface CancelMessage { type: 'cancel'; requestId: string }
/** Retry after an error or cancel (continues the partial answer where possible). */
export interface RetryMessage { type: 'retry'; requestId: string }
/** Open an http(s) link in the browser (the webview never navigates). */
export interface OpenLinkMessage { type: 'openLink'; url: string }
/** Copy text (a code block) to the clipboard. */
export interface CopyMessage { type: 'copy'; text: string }
/** The webview lost track (sequence gap, unknown request); the host replies with a snapshot. */
export interface RequestSnapshotMessage { type: 'requestSnapshot'; requestId?: string }
/** A follow-up question to the answer in the panel (sent with the whole conversation). */
export interface FollowUpMessage { type: 'followUp'; requestId: string; text: string }
/**
 * Do something with a fenced code block: insert it at the cursor, apply it to a file (through a
 * diff the user accepts), or open it as a new untitled file. `fileHint` is a path the fence's
 * info string names (```ts src/a.ts), checked by the host.
 */
export interface CodeActionMessage {
  type: 'codeAction';
  action: CodeAction;
  code: string;
  language?: string;
  fileHint?: string;
}
export type CodeAction = 'insert' | 'apply' | 'newFile';
/** Export the conversation as markdown: open it as an untitled document, or save it to a file. */
export interface ExportMessage { type: 'export'; requestId: string; target: 'open' | 'save' }
/** The conversation is too long: start a new one from the last answer. */
export interface NewConversationMessage { type: 'newConversation'; requestId: string }

export type WebviewToHostMessage =
  | ReadyMessage
  | CancelMessage
  | RetryMessage
  | OpenLinkMessage
  | CopyMessage
  | RequestSnapshotMessage
  | FollowUpMessage
  | CodeActionMessage
  | ExportMessage
  | NewConversationMessage;

/** Longest follow-up question or code block the host accepts from the webview. */
export const MAX_MESSAGE_TEXT = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Guards. Strict: exact key sets and value types, so junk and look-alikes are rejected.
// The primitives live in protocolShape.ts.

const isResultLink = obj({ title: isStr, url: isStr }, { pageAge: isStr });
const isExecutionOutput = obj({ stdout: isStr, stderr: isStr }, { returnCode: isNum });
const isSummary = obj(
  { resultType: isStr, links: arrayOf(isResultLink) },
  { toolUseId: isStr, output: isExecutionOutput, error: isStr, note: isStr },
);
const isCitation = obj({ n: isIndex, citedText: isStr, title: isStr }, { url: isStr, location: isStr });

const isBlockStart: Check = (v) =>
  shape(v, { kind: lit('text') }) ||
  shape(v, { kind: lit('thinking') }) ||
  shape(v, { kind: lit('redactedThinking') }) ||
  shape(v, { kind: lit('toolUse'), server: isBool, name: isStr, id: isStr }) ||
  shape(v, { kind: lit('toolResult'), summary: isSummary }) ||
  shape(v, { kind: lit('unknown'), blockType: isStr }) ||
  shape(v, { kind: lit('userTurn') });

const isFooter = obj({}, {
  model: isStr, stopReason: isStr, inputTokens: isNum, outputTokens: isNum, cacheReadTokens: isNum,
  cacheWriteTokens: isNum, elapsedMs: isNum, tokensPerSecond: isNum, requestId: isStr, costUsd: isNum,
  contextTokens: isNum, contextLimit: isNum, refusalCategory: isStr, refusalExplanation: isStr,
});

const isStatus: Check = (v) =>
  shape(v, { state: lit('streaming') }) ||
  shape(v, { state: lit('complete') }) ||
  shape(v, { state: lit('cancelled') }) ||
  shape(v, { state: lit('continuing') }) ||
  shape(v, { state: lit('error'), message: isStr, retryable: isBool });

const patchChecks: Record<ResponsePatch['type'], [Record<string, Check>, Record<string, Check>?]> = {
  blockStart: [{ index: isIndex, block: isBlockStart }],
  textAppend: [{ index: isIndex, text: isStr }],
  thinkingAppend: [{ index: isIndex, text: isStr }],
  toolInputAppend: [{ index: isIndex, json: isStr }],
  blockStop: [{ index: isIndex }, { prettyJson: isStr, invalidJson: isBool, interrupted: isBool }],
  citations: [{ index: isIndex, citations: arrayOf(isCitation) }],
  note: [{ text: isStr }, { index: isIndex }],
  footer: [{ footer: isFooter }],
  status: [{ status: isStatus }],
  continuation: [{}],
};

/** Validates one patch (exact shape for its `type`). */
export function isResponsePatch(x: unknown): x is ResponsePatch {
  if (!isRecord(x) || typeof x.type !== 'string' || !Object.hasOwn(patchChecks, x.type)) return false;
  const [required, optional] = patchChecks[x.type as ResponsePatch['type']];
  return shape(x, { ...required, type: isStr }, optional);
}

const isBlockSnapshot = obj(
  { index: isIndex, block: isBlockStart, content: isStr, done: isBool, citations: arrayOf(isCitation) },
  { prettyJson: isStr, invalidJson: isBool, interrupted: isBool },
);

/** Guard for messages the webview receives. Anything not exactly a protocol message is rejected. */
export function isHostToWebviewMessage(x: unknown): x is HostToWebviewMessage {
  if (!isRecord(x)) return false;
  if (x.type === 'patch') {
    return shape(x, { type: isStr, requestId: isStr, seq: isIndex, patches: arrayOf(isResponsePatch) });
  }
  if (x.type === 'snapshot') {
    return shape(x, {
      type: isStr, requestId: isStr, seq: isIndex, title: isStr, blocks: arrayOf(isBlockSnapshot),
      notes: arrayOf(isStr), footer: isFooter, status: isStatus,
    });
  }
  return false;
}

/** Guard for messages the host receives from the webview (which renders untrusted model output). */
export function isWebviewToHostMessage(x: unknown): x is WebviewToHostMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready': return shape(x, { type: isStr });
    case 'cancel':
    case 'retry': return shape(x, { type: isStr, requestId: isStr });
    case 'openLink': return shape(x, { type: isStr, url: isStr }) && isHttpUrl(x.url as string);
    case 'copy': return shape(x, { type: isStr, text: isStr });
    case 'requestSnapshot': return shape(x, { type: isStr }, { requestId: isStr });
    case 'followUp':
      return shape(x, { type: isStr, requestId: isStr, text: isText }) && (x.text as string).trim() !== '';
    case 'codeAction':
      return shape(x, { type: isStr, action: isCodeAction, code: isText }, { language: isShort, fileHint: isShort });
    case 'export': return shape(x, { type: isStr, requestId: isStr, target: (v) => v === 'open' || v === 'save' });
    case 'newConversation': return shape(x, { type: isStr, requestId: isStr });
    default: return false;
  }
}

const isText: Check = (v) => typeof v === 'string' && v.length <= MAX_MESSAGE_TEXT;
/** Language ids and file hints: short, one line, no control characters. */
const isShort: Check = (v) => typeof v === 'string' && v.length <= 260 && !/[\u0000-\u001f\u007f]/.test(v);
const isCodeAction: Check = (v) => v === 'insert' || v === 'apply' || v === 'newFile';

/** Only absolute http(s) URLs may leave the webview; both sides use this one check. */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(url.trim()) && url.length <= 8192;
}
