import { project } from "./fields.ts";
import { type ApiContext, ApiFailure, badRequest, ctxOf, requestedFields } from "./http.ts";

/**
 * Index responses (clio-api.md §2.3): cursor mode by default (an opaque `page_token` in
 * `meta.paging.next`, no ceiling), offset mode when `offset` is given (capped at 10,000 records,
 * 422 ArgumentError past it). Sorting is by the order key, then id, so cursors are stable.
 */
export type OrderKey<R> = (rec: R) => string | number | null;

export interface ListSpec<R> {
  resource: string;
  orders: Record<string, OrderKey<R>>;
  defaultOrder: string;
  maxLimit?: number;
  defaultLimit?: number;
}

export const OFFSET_CAP = 10_000;

interface Token {
  o: string;
  k: string | number | null;
  i: number;
}

export function listResponse<R extends { id: number }>(
  c: ApiContext,
  spec: ListSpec<R>,
  records: R[],
): Response {
  const fields = requestedFields(c, spec.resource);
  const maxLimit = spec.maxLimit ?? 200;
  const limitText = c.req.query("limit");
  const limit = limitText === undefined ? (spec.defaultLimit ?? maxLimit) : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw badRequest(`limit must be an integer between 1 and ${maxLimit}`);
  }
  const order = c.req.query("order") ?? spec.defaultOrder;
  const m = /^([a-z_.]+)\((asc|desc)\)$/.exec(order);
  const keyOf = m ? spec.orders[m[1]!] : undefined;
  if (!m || !keyOf) throw badRequest(`order ${order} is not a valid order`);
  const dir = m[2] === "desc" ? -1 : 1;
  const cmp = (a: R, b: R) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    if (ka !== kb) {
      if (ka === null) return -dir;
      if (kb === null) return dir;
      return (ka < kb ? -1 : 1) * dir;
    }
    return (a.id - b.id) * dir;
  };
  const sorted = m[1] === "id" && dir === 1 && isIdSorted(records) ? records : [...records].sort(cmp);
  const url = new URL(c.req.url);
  const ctx = ctxOf(c);
  const render = (page: R[]) => page.map((r) => project(spec.resource, r, fields, ctx));

  const offsetText = c.req.query("offset");
  if (offsetText !== undefined) {
    const offset = Number(offsetText);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest("offset must be a non-negative integer");
    if (offset >= OFFSET_CAP) {
      throw new ApiFailure(
        422,
        "ArgumentError",
        `offset cannot exceed ${OFFSET_CAP} records; use cursor pagination`,
      );
    }
    const end = Math.min(offset + limit, OFFSET_CAP);
    const page = sorted.slice(offset, end);
    const paging: Record<string, string> = {};
    if (end < sorted.length && end < OFFSET_CAP)
      paging.next = withParams(url, { offset: String(end), page_token: null });
    if (offset > 0)
      paging.previous = withParams(url, { offset: String(Math.max(0, offset - limit)), page_token: null });
    return c.json({ data: render(page), meta: { paging } });
  }

  let start = 0;
  const tokenText = c.req.query("page_token");
  if (tokenText !== undefined) {
    const token = decodeToken(tokenText);
    if (!token || token.o !== order) throw badRequest("page_token is invalid");
    const after = { id: token.i } as R;
    const cursorKey = token.k;
    start = firstAfter(sorted, (r) => {
      const k = keyOf(r);
      if (k !== cursorKey) {
        if (cursorKey === null) return dir === 1;
        if (k === null) return dir !== 1;
        return (k > cursorKey ? 1 : -1) * dir > 0;
      }
      return (r.id - after.id) * dir > 0;
    });
  }
  const page = sorted.slice(start, start + limit);
  const paging: Record<string, string> = {};
  const last = page[page.length - 1];
  if (last && start + limit < sorted.length) {
    paging.next = withParams(url, {
      page_token: encodeToken({ o: order, k: keyOf(last), i: last.id }),
      offset: null,
    });
  }
  return c.json({ data: render(page), meta: { paging } });
}

/** Index of the first element satisfying `isAfter` (the list is sorted, so binary search). */
function firstAfter<R>(sorted: R[], isAfter: (r: R) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isAfter(sorted[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function withParams(url: URL, params: Record<string, string | null>): string {
  const next = new URL(url);
  for (const [k, v] of Object.entries(params)) {
    if (v === null) next.searchParams.delete(k);
    else next.searchParams.set(k, v);
  }
  return next.toString();
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeToken(text: string): Token | undefined {
  try {
    const t = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Token;
    return typeof t.o === "string" && typeof t.i === "number" ? t : undefined;
  } catch {
    return undefined;
  }
}

function isIdSorted(records: Array<{ id: number }>): boolean {
  for (let i = 1; i < records.length; i++) if (records[i - 1]!.id > records[i]!.id) return false;
  return true;
}
