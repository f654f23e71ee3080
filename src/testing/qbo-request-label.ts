import type { TappedRequest } from "../emulators/qbo/request-tap.ts";

/** QBO's entity names as they appear in a query's FROM or as a batch item's key. */
const NOT_ENTITIES = new Set(["bId", "operation", "optionsData", "Query"]);

/**
 * What a QBO request did, in a word a test can assert on: `write Customer` for a batch or entity
 * post writing customers, `read Invoice` for a query or a read, `cdc` for change data capture.
 * A batch writing several entities is labelled by all of them, sorted.
 */
export function qboRequestLabel(request: TappedRequest): string {
  const [path = "", search = ""] = request.path.split("?");
  const lower = path.toLowerCase();
  if (lower.startsWith("/cdc")) return "cdc";
  if (lower.startsWith("/query")) {
    const query = new URLSearchParams(search).get("query") ?? request.body ?? "";
    return `read ${/\bfrom\s+(\w+)/i.exec(query)?.[1] ?? "?"}`;
  }
  if (lower.startsWith("/batch")) {
    const items = (JSON.parse(request.body ?? "{}") as { BatchItemRequest?: Record<string, unknown>[] })
      .BatchItemRequest;
    const entities = new Set<string>();
    for (const item of items ?? []) {
      for (const key of Object.keys(item)) if (!NOT_ENTITIES.has(key)) entities.add(key);
      if ("Query" in item) entities.add(`read ${/\bfrom\s+(\w+)/i.exec(String(item.Query))?.[1] ?? "?"}`);
    }
    return `write ${[...entities].sort().join("+")}`;
  }
  const entity = path.split("/")[1] ?? "?";
  return request.method === "POST" ? `write ${entity}` : `read ${entity}`;
}
