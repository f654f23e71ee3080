/**
 * What CDC would have said, read another way: the current state of every linked record of an
 * entity, by id (`Id IN (…)`, 1,000 a query). A record found is handed on as changed (the CDC
 * handlers ignore one whose SyncToken is ours); a linked id not found was deleted. Used when a
 * CDC answer may have been cut short (cdc-read.ts) and after more than 30 days without a pass,
 * beyond CDC's look-back.
 */
import { qboQuery } from "../qbo/query-builder.ts";
import type { QboEntityName } from "../qbo/schemas.ts";
import type { EntityKind } from "../store/port.ts";
import type { EntityChanges } from "./cdc-read.ts";
import type { EngineDeps } from "./ports.ts";

const IDS_PER_QUERY = 1000;

export async function compareLinked(
  deps: EngineDeps,
  entity: QboEntityName,
  kinds: EntityKind[],
): Promise<EntityChanges> {
  const ids = new Set<string>();
  for (const kind of kinds) {
    for (const link of await deps.store.listLinks(kind)) if (link.state !== "broken") ids.add(link.qboId);
  }
  const all = [...ids];
  const changed: Record<string, unknown>[] = [];
  const found = new Set<string>();
  for (let i = 0; i < all.length; i += IDS_PER_QUERY) {
    let q = qboQuery(entity).where("Id", "IN", all.slice(i, i + IDS_PER_QUERY));
    // Name lists hide inactive records unless asked (reference §4.1): a deactivated customer is
    // a change to notice, not a deletion.
    if (entity === "Customer") q = q.where("Active", "IN", [true, false]);
    for await (const record of deps.qbo.queryAll(q)) {
      found.add(String(record.Id));
      changed.push(record as Record<string, unknown>);
    }
  }
  return { changed, deleted: all.filter((id) => !found.has(id)) };
}
