/**
 * Change data capture (reference §6): everything of the named entities changed after
 * `changedSince` (within the last 30 days), grouped by entity, ordered by LastUpdatedTime,
 * deleted stubs after the live records, at most 1000 objects in total.
 */
import { cdcSupported, entityName } from "./entities.ts";
import { fault, faults } from "./faults.ts";
import { present } from "./operations.ts";
import { type Obj, type RealmState, table } from "./state.ts";
import { metaTime, parseQboTime } from "./time.ts";

export const CDC_MAX_OBJECTS = 1000;
const THIRTY_DAYS = 30 * 24 * 3600 * 1000;

export function runCdc(realm: RealmState, entities: string, changedSince: string, now: number): Obj {
  if (!entities.trim()) throw faults.required("entities");
  if (!changedSince.trim()) throw faults.required("changedSince");
  const since = parseQboTime(changedSince);
  if (since === undefined)
    throw fault(
      "2010",
      "Request has invalid or unsupported property",
      `Invalid changedSince: ${changedSince}`,
      "changedSince",
    );
  if (now - since > THIRTY_DAYS) throw faults.cdcTooOld();
  let budget = CDC_MAX_OBJECTS;
  const groups: Obj[] = [];
  for (const raw of entities.split(",")) {
    const type = entityName(raw.trim());
    if (!type || !cdcSupported(type))
      throw faults.unsupported(`CDC is not supported for entity ${raw.trim()}`);
    const live = Object.values(table(realm, type))
      .filter((r) => r.updated > since)
      .sort((a, b) => a.updated - b.updated || Number(a.id) - Number(b.id))
      .map((r) => present(realm, type, r));
    const dead = realm.tombstones
      .filter((t) => t.type === type && t.at > since)
      .sort((a, b) => a.at - b.at)
      .map((t) => ({
        status: "Deleted",
        domain: "QBO",
        Id: t.id,
        MetaData: { LastUpdatedTime: metaTime(t.at) },
      }));
    const all = [...live, ...dead].slice(0, Math.max(0, budget));
    budget -= all.length;
    if (all.length === 0) {
      groups.push({});
      continue;
    }
    groups.push({ [type]: all, startPosition: 1, maxResults: all.length, totalCount: all.length });
  }
  return { QueryResponse: groups };
}
