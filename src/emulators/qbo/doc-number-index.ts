import { get, type RealmState, type StoredRecord, table } from "./state.ts";

/**
 * DocNumber → record ids per transaction type, so the duplicate-number rule (6140) does not scan
 * every invoice on every write. Built on first use per realm object; writes add their record
 * through `noteDocNumber`; an entry whose record was deleted or renumbered is skipped when read.
 */
const indexes = new WeakMap<RealmState, Map<string, Map<string, Set<string>>>>();

function indexOf(realm: RealmState, type: string): Map<string, Set<string>> {
  let byType = indexes.get(realm);
  if (!byType) {
    byType = new Map();
    indexes.set(realm, byType);
  }
  let index = byType.get(type);
  if (!index) {
    index = new Map();
    for (const rec of Object.values(table(realm, type))) add(index, rec);
    byType.set(type, index);
  }
  return index;
}

function add(index: Map<string, Set<string>>, rec: StoredRecord): void {
  const doc = get.str(rec.data, "DocNumber");
  if (!doc) return;
  let ids = index.get(doc);
  if (!ids) {
    ids = new Set();
    index.set(doc, ids);
  }
  ids.add(rec.id);
}

export function noteDocNumber(realm: RealmState, type: string, rec: StoredRecord | undefined): void {
  const index = indexes.get(realm)?.get(type);
  if (index && rec) add(index, rec);
}

/** Ids of the records of `type` whose DocNumber is `doc` now. */
export function recordsWithDocNumber(realm: RealmState, type: string, doc: string): string[] {
  const records = table(realm, type);
  return [...(indexOf(realm, type).get(doc) ?? [])].filter(
    (id) => get.str(records[id]?.data, "DocNumber") === doc,
  );
}
