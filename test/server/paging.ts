import { HttpError } from './http';

export interface PageResult<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

function queryString(query: Record<string, string | string[]>, key: string): string | undefined {
  const v = query[key];
  return Array.isArray(v) ? v[0] : v;
}

/** The API's cursor paging over a list already in display order (newest first). */
export function paginate<T extends { id: string }>(
  items: readonly T[],
  query: Record<string, string | string[]>,
  defaultLimit = 20,
  maxLimit = 1000,
): PageResult<T> {
  const limitText = queryString(query, 'limit');
  const limit = limitText === undefined ? defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new HttpError(400, 'invalid_request_error', `limit: must be an integer between 1 and ${maxLimit}`);
  }
  const beforeId = queryString(query, 'before_id');
  const afterId = queryString(query, 'after_id');
  let page: T[];
  let hasMore: boolean;
  if (beforeId) {
    const end = indexOrThrow(items, beforeId, 'before_id');
    const start = Math.max(0, end - limit);
    page = items.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = afterId ? indexOrThrow(items, afterId, 'after_id') + 1 : 0;
    page = items.slice(start, start + limit);
    hasMore = start + limit < items.length;
  }
  return {
    data: page,
    has_more: hasMore,
    first_id: page[0]?.id ?? null,
    last_id: page[page.length - 1]?.id ?? null,
  };
}

function indexOrThrow<T extends { id: string }>(items: readonly T[], id: string, field: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw new HttpError(400, 'invalid_request_error', `${field}: unknown id '${id}'`);
  return index;
}
