/**
 * Runs a parsed query against a realm: only filterable properties (4001 otherwise), inactive
 * name-list records hidden unless the query asks about `Active`, deleted records never shown,
 * paging with STARTPOSITION (1-based) and MAXRESULTS (default 100, max 1000).
 */
import { ENTITIES, entityName, type FieldType } from "./entities.ts";
import { faults } from "./faults.ts";
import { addPresentedFields } from "./ledger.ts";
import { present } from "./operations.ts";
import { type Condition, type Literal, parseQuery } from "./query-parser.ts";
import { type Obj, type RealmState, sortedRecords } from "./state.ts";
import { parseQboTime } from "./time.ts";

export const MAX_RESULTS = 1000;
export const DEFAULT_RESULTS = 100;

function resolveField(filterable: Record<string, FieldType>, field: string): [string, FieldType] | undefined {
  const lower = field.toLowerCase();
  for (const [name, type] of Object.entries(filterable))
    if (name.toLowerCase() === lower) return [name, type];
  return undefined;
}

function fieldValue(o: Obj, name: string, type: FieldType): unknown {
  let cur: unknown = o;
  for (const part of name.split(".")) cur = (cur as Obj | undefined)?.[part];
  if (type === "ref") return (cur as Obj | undefined)?.value;
  if (type === "email") return (cur as Obj | undefined)?.Address;
  return cur;
}

function comparable(v: unknown, type: FieldType): string | number | boolean | undefined {
  if (v === undefined || v === null) return undefined;
  switch (type) {
    case "decimal":
      return Number(v);
    case "id":
      return Number.isFinite(Number(v)) ? Number(v) : String(v);
    case "bool":
      return v === true || v === "true";
    case "datetime":
      return typeof v === "number" ? v : parseQboTime(String(v));
    case "string":
    case "email":
    case "ref":
      return String(v).toLowerCase();
    default:
      return String(v);
  }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .split("%")
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "s");
}

function matches(o: Obj, c: Condition, name: string, type: FieldType): boolean {
  const actual = comparable(fieldValue(o, name, type), type);
  if (c.op === "LIKE") return typeof actual === "string" && likeRegex(String(c.value)).test(actual);
  const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v: Literal) => comparable(v, type));
  if (actual === undefined) return false;
  if (c.op === "IN") return values.some((v) => v === actual);
  const v = values[0];
  if (v === undefined) return false;
  switch (c.op) {
    case "=":
      return actual === v;
    case "!=":
      return actual !== v;
    case "<":
      return actual < v;
    case ">":
      return actual > v;
    case "<=":
      return actual <= v;
    case ">=":
      return actual >= v;
  }
  return false;
}

export function runQuery(realm: RealmState, text: string): Obj {
  const q = parseQuery(text);
  const type = entityName(q.entity);
  if (!type) throw faults.queryParse(`Invalid entity name: ${q.entity}`);
  const meta = ENTITIES[type]!;
  const conds = q.where.map((c) => {
    const f = resolveField(meta.filterable, c.field);
    if (!f) throw faults.queryInvalid(`property '${c.field}' is not queryable`);
    if (c.op === "LIKE" && f[1] !== "string" && f[1] !== "email") {
      throw faults.queryInvalid(`operator LIKE is not supported for property '${c.field}'`);
    }
    return { c, name: f[0], type: f[1] };
  });
  const order = q.orderBy.map((o) => {
    const f = resolveField(meta.filterable, o.field);
    if (!f) throw faults.queryInvalid(`property '${o.field}' is not sortable`);
    return { ...o, name: f[0], type: f[1] };
  });
  if (q.maxResults !== undefined && q.maxResults > MAX_RESULTS) {
    throw faults.queryInvalid(`value ${q.maxResults} is too large. Max allowed value is ${MAX_RESULTS}`);
  }
  const asksActive = conds.some((x) => x.name === "Active");
  // A light view per record (no clone); only the returned page is presented in full.
  let rows = sortedRecords(realm, type).map((rec) => {
    const view: Obj = {
      ...rec.data,
      Id: rec.id,
      MetaData: { CreateTime: rec.created, LastUpdatedTime: rec.updated },
    };
    if (type === "Customer" || type === "Account" || type === "Vendor")
      addPresentedFields(realm, type, rec.id, view);
    return { rec, view };
  });
  if (meta.kind === "name" && !asksActive) rows = rows.filter((r) => r.view.Active !== false);
  rows = rows.filter((r) => conds.every((x) => matches(r.view, x.c, x.name, x.type)));
  if (order.length > 0) {
    rows.sort((ra, rb) => {
      const a = ra.view;
      const b = rb.view;
      for (const o of order) {
        const va = comparable(fieldValue(a, o.name, o.type), o.type);
        const vb = comparable(fieldValue(b, o.name, o.type), o.type);
        if (va === vb) continue;
        if (va === undefined) return 1;
        if (vb === undefined) return -1;
        const cmp = va < vb ? -1 : 1;
        return o.desc ? -cmp : cmp;
      }
      return 0;
    });
  }
  if (q.count) return { totalCount: rows.length };
  const start = Math.max(1, q.startPosition ?? 1);
  const max = q.maxResults ?? DEFAULT_RESULTS;
  const page = rows.slice(start - 1, start - 1 + max).map((r) => present(realm, type, r.rec));
  if (page.length === 0) return {};
  return { [type]: page, startPosition: start, maxResults: page.length };
}
