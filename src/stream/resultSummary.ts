import type { ExecutionOutput, ResultLink, ToolResultSummary } from '../protocol';

/** Server-tool result block types the reducer knows how to summarise. */
export const TOOL_RESULT_TYPES: ReadonlySet<string> = new Set([
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
]);

type Loose = Record<string, unknown>;

const asRecord = (v: unknown): Loose | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : undefined;
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Turns a server-tool result block (which arrives whole, without deltas) into a readable summary:
 * result titles and URLs for search/fetch, stdout/stderr/return code for code execution, the
 * error code when the tool failed. Tolerates shapes it does not know: they become a `note`.
 */
export function summarizeToolResult(block: Loose): ToolResultSummary {
  const resultType = asString(block.type) ?? 'unknown';
  const summary: ToolResultSummary = { resultType, links: [] };
  const toolUseId = asString(block.tool_use_id);
  if (toolUseId) summary.toolUseId = toolUseId;
  const content = block.content;

  if (Array.isArray(content)) {
    summary.links = content.flatMap((item) => linkOf(asRecord(item)));
    if (summary.links.length === 0 && content.length > 0) summary.note = `${content.length} item(s)`;
    if (content.length === 0) summary.note = 'no results';
    return summary;
  }
  const body = asRecord(content);
  if (!body) return { ...summary, note: 'empty result' };
  const errorCode = asString(body.error_code);
  if (errorCode) return { ...summary, error: errorCode };

  const bodyType = asString(body.type) ?? '';
  if (bodyType === 'web_fetch_result') {
    const url = asString(body.url) ?? '';
    const doc = asRecord(body.content);
    summary.links = url ? [{ title: asString(doc?.title) ?? '', url }] : [];
    return summary;
  }
  if (typeof body.stdout === 'string' || typeof body.stderr === 'string') {
    summary.output = outputOf(body);
    return summary;
  }
  if (bodyType.includes('encrypted')) return { ...summary, note: 'encrypted result' };
  if (bodyType === 'text_editor_code_execution_view_result') {
    return { ...summary, output: { stdout: asString(body.content) ?? '', stderr: '' } };
  }
  if (bodyType === 'text_editor_code_execution_create_result') {
    return { ...summary, note: body.is_file_update ? 'file updated' : 'file created' };
  }
  if (bodyType === 'text_editor_code_execution_str_replace_result') {
    return { ...summary, note: 'file edited', output: { stdout: (asStringArray(body.lines) ?? []).join('\n'), stderr: '' } };
  }
  if (Array.isArray(body.tool_references)) return { ...summary, note: `${body.tool_references.length} tool(s) found` };
  return { ...summary, note: bodyType ? `result: ${bodyType}` : 'result' };
}

function linkOf(item: Loose | undefined): ResultLink[] {
  const url = asString(item?.url);
  if (!item || !url) return [];
  const link: ResultLink = { title: asString(item.title) ?? '', url };
  const pageAge = asString(item.page_age);
  if (pageAge) link.pageAge = pageAge;
  return [link];
}

function outputOf(body: Loose): ExecutionOutput {
  const out: ExecutionOutput = { stdout: asString(body.stdout) ?? '', stderr: asString(body.stderr) ?? '' };
  if (typeof body.return_code === 'number') out.returnCode = body.return_code;
  return out;
}

function asStringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}
