import { invalidParameter } from './errors';

/** Page size when a request gives no MaxResults (the API reference says 100 for the List* calls). */
export const DEFAULT_PAGE_SIZE = 100;

/* eslint-disable no-bitwise */
function fingerprint(text: string): string {
  // FNV-1a, 32 bit: binds a token to the request it came from
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
/* eslint-enable no-bitwise */

/**
 * Cursor pagination with opaque tokens. A token names the sort key of the last item returned and a
 * fingerprint of the request scope (operation, resource, criteria), so a page boundary is stable when
 * items are added or removed between pages, and a token replayed with other criteria is rejected.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => number,
  options: { maxResults?: number; nextToken?: string; scope: string; defaultPageSize?: number },
): { page: T[]; nextToken?: string } {
  const size = options.maxResults ?? options.defaultPageSize ?? DEFAULT_PAGE_SIZE;
  const scope = fingerprint(options.scope);
  let after = -Infinity;
  if (options.nextToken !== undefined) {
    after = decodeToken(options.nextToken, scope);
  }
  let start = 0;
  while (start < items.length && keyOf(items[start]) <= after) {
    start++;
  }
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return {
    page,
    nextToken: more ? encodeToken(keyOf(page[page.length - 1]), scope) : undefined,
  };
}

function encodeToken(key: number, scope: string): string {
  return Buffer.from(JSON.stringify({ v: 1, k: key, s: scope }), 'utf8').toString('base64url');
}

function decodeToken(token: string, scope: string): number {
  let parsed: { v?: number; k?: unknown; s?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter(`NextToken '${token.slice(0, 40)}' is not a token this API returned; pass the NextToken of the previous page unchanged`);
  }
  if (parsed?.v !== 1 || typeof parsed.k !== 'number') {
    throw invalidParameter(`NextToken '${token.slice(0, 40)}' is not a token this API returned; pass the NextToken of the previous page unchanged`);
  }
  if (parsed.s !== scope) {
    throw invalidParameter('NextToken was issued for a different request; repeat the same request parameters when you pass a NextToken');
  }
  return parsed.k;
}
