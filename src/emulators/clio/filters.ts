import { type ApiContext, badRequest } from "./http.ts";

/**
 * Filters shared by index endpoints (clio-api.md §2.4): `ids[]`, `updated_since`,
 * `created_since` (strict by default; `sinceInclusive` switches), and helpers for typed params.
 */
export function commonFilter<R extends { id: number; created_at: number; updated_at: number }>(
  c: ApiContext,
  records: Iterable<R>,
): R[] {
  const ids = queryIds(c, "ids");
  const exclude = queryIds(c, "exclude_ids");
  const updated = sinceParam(c, "updated_since");
  const created = sinceParam(c, "created_since");
  const inclusive = c.get("config").sinceInclusive;
  const after = (t: number, since: number) => (inclusive ? t >= since : t > since);
  const out: R[] = [];
  for (const r of records) {
    if (ids && !ids.has(r.id)) continue;
    if (exclude?.has(r.id)) continue;
    if (updated !== undefined && !after(r.updated_at, updated)) continue;
    if (created !== undefined && !after(r.created_at, created)) continue;
    out.push(r);
  }
  return out;
}

/** `ids[]=1&ids[]=2` (also `ids=1,2`). */
export function queryIds(c: ApiContext, name: string): Set<number> | undefined {
  const raw = [...(c.req.queries(`${name}[]`) ?? []), ...(c.req.queries(name) ?? [])].flatMap((v) =>
    v.split(","),
  );
  if (raw.length === 0) return undefined;
  return new Set(raw.map((v) => intValue(name, v)));
}

function sinceParam(c: ApiContext, name: string): number | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badRequest(`${name} must be an ISO-8601 date-time`);
  return t;
}

export function intValue(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an integer`);
  return n;
}

/** An integer id param; `null` (the keyword) where the endpoint allows it. */
export function idParam(c: ApiContext, name: string, allowNull = false): number | null | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  if (v === "null" && allowNull) return null;
  return intValue(name, v);
}

export function enumParam<T extends string>(
  c: ApiContext,
  name: string,
  values: readonly T[],
): T | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw badRequest(`${name} must be one of ${values.join(", ")}`);
  return v as T;
}

export function boolParam(c: ApiContext, name: string): boolean | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  if (v !== "true" && v !== "false") throw badRequest(`${name} must be true or false`);
  return v === "true";
}

export function dateParam(c: ApiContext, name: string): string | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) throw badRequest(`${name} must be a date`);
  return v.slice(0, 10);
}
