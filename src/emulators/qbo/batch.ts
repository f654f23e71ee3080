/**
 * Batch (reference §5): up to 30 independent items (1040 beyond), each a create/update/delete/void
 * of one entity, a Query or a CDCQuery, with optional optionsData (e.g. `include=void`,
 * `allowduplicatedocnum`). Each item answers with its own entity, QueryResponse or Fault.
 */
import { runCdc } from "./cdc.ts";
import { ENTITIES } from "./entities.ts";
import { fault, QboFault } from "./faults.ts";
import { type OpContext, write } from "./operations.ts";
import { runQuery } from "./query-exec.ts";
import { get, type Obj } from "./state.ts";

export const MAX_BATCH_ITEMS = 30;

function parseOptions(options: unknown): Set<string> {
  const set = new Set<string>();
  if (typeof options !== "string") return set;
  for (const part of options.split(/[&,]/)) {
    const [k, v] = part.split("=");
    if (k?.trim().toLowerCase() === "include" && v)
      for (const x of v.split(",")) set.add(x.trim().toLowerCase());
    else if (k?.trim()) set.add(k.trim().toLowerCase());
  }
  return set;
}

function item(ctx: OpContext, req: Obj): Obj {
  const bId = get.str(req, "bId") ?? "";
  try {
    if (typeof req.Query === "string") return { bId, QueryResponse: runQuery(ctx.realm, req.Query) };
    const cdc = get.obj(req, "CDCQuery");
    if (cdc) {
      const r = runCdc(
        ctx.realm,
        get.str(cdc, "entities") ?? "",
        get.str(cdc, "changedSince") ?? "",
        ctx.now,
      );
      return { bId, CDCResponse: r };
    }
    const type = Object.keys(req).find((k) => k in ENTITIES);
    if (!type)
      throw fault(
        "2010",
        "Request has invalid or unsupported property",
        "The batch item names no entity, Query or CDCQuery.",
      );
    const include = new Set([...ctx.include, ...parseOptions(req.optionsData)]);
    const operation = get.str(req, "operation") ?? "create";
    const result = write({ ...ctx, include }, type, operation, get.obj(req, type) ?? {});
    return { bId, [type]: result };
  } catch (err) {
    if (err instanceof QboFault) return { bId, Fault: err.toFault() };
    throw err;
  }
}

export function runBatch(ctx: OpContext, body: Obj): Obj {
  const items = get.arr(body, "BatchItemRequest");
  if (items.length === 0) throw fault("400", "MalformedRequest", "Batch Request is Empty");
  if (items.length > MAX_BATCH_ITEMS) {
    throw new QboFault([
      {
        Message: "Batch size exceeds allowed limit",
        Detail: `Batch size ${items.length} exceeds the maximum of ${MAX_BATCH_ITEMS}`,
        code: "1040",
        element: "",
      },
    ]);
  }
  const ids = new Set<string>();
  for (const it of items) {
    const bId = get.str(it, "bId") ?? "";
    if (ids.has(bId)) throw fault("400", "MalformedRequest", `Duplicate bId ${bId} in batch request`);
    ids.add(bId);
  }
  return { BatchItemResponse: items.map((it) => item(ctx, it)) };
}
