import type { BatchRequestParams } from '../requests/requestBuilder';

/**
 * The params of a submission exactly as sent, one JSON line per request, so Retry Failed resends
 * exactly what failed. `custom_id` is written first so a reader can skip unwanted lines without
 * parsing them (a retry of 3 requests out of 100,000 parses 3 lines).
 */
export function requestsJsonl(requests: readonly BatchRequestParams[]): string {
  return requests.map((r) => JSON.stringify({ custom_id: r.custom_id, params: r.params })).join('\n') + '\n';
}

/** The requests of `requestsJsonl` output, only those in `customIds` when given, in order. */
export function parseRequestsJsonl(data: Uint8Array, customIds?: ReadonlySet<string>): BatchRequestParams[] {
  const out: BatchRequestParams[] = [];
  for (const line of Buffer.from(data).toString('utf8').split('\n')) {
    if (!line) continue;
    if (customIds && !customIds.has(leadingCustomId(line) ?? '')) continue;
    out.push(JSON.parse(line) as BatchRequestParams);
  }
  return out;
}

function leadingCustomId(line: string): string | undefined {
  const prefix = '{"custom_id":"';
  if (!line.startsWith(prefix)) return undefined;
  const end = line.indexOf('"', prefix.length);
  return end === -1 ? undefined : line.slice(prefix.length, end);
}
