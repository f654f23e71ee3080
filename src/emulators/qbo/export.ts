/**
 * Export and import of the full state as JSON. Exports are deterministic: realms, types and
 * records in a stable order. `volatile: false` drops what differs between two equivalent runs
 * (times, request-id replay store, OAuth tokens), so two exports can be compared for equality.
 */
import type { EmulatorCore } from "./core.ts";
import { compareIds, type EmulatorState, type Obj, type RealmState } from "./state.ts";

export interface ExportOptions {
  /** Include times, the requestid store and OAuth tokens (default true). */
  volatile?: boolean;
}

function sortKeys<T>(o: Record<string, T>, cmp?: (a: string, b: string) => number): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort(cmp)) out[k] = o[k]!;
  return out;
}

function exportRealm(realm: RealmState, volatile: boolean): Obj {
  const records: Obj = {};
  for (const type of Object.keys(realm.records).sort()) {
    const recs = Object.values(realm.records[type]!).sort(compareIds);
    records[type] = recs.map((r) => {
      const base: Obj = { id: r.id, syncToken: r.syncToken, data: r.data };
      if (r.depositedIn !== undefined) base.depositedIn = r.depositedIn;
      if (volatile) {
        base.created = r.created;
        base.updated = r.updated;
      }
      return base;
    });
  }
  const out: Obj = {
    realmId: realm.realmId,
    nextId: realm.nextId,
    docNumbers: sortKeys(realm.docNumbers),
    records,
    tombstones: realm.tombstones.map((t) => (volatile ? t : { type: t.type, id: t.id })),
  };
  if (volatile) {
    out.requestIds = sortKeys(realm.requestIds);
    out.version = realm.version;
  }
  return out;
}

export function exportState(core: EmulatorCore, options: ExportOptions = {}): Obj {
  const volatile = options.volatile ?? true;
  const s = core.state;
  const realms: Obj = {};
  for (const id of Object.keys(s.realms).sort()) realms[id] = exportRealm(s.realms[id]!, volatile);
  const out: Obj = {
    format: "qbo-emulator-state/1",
    defaultRealmId: s.defaultRealmId,
    nextRealmSeq: s.nextRealmSeq,
    realms,
  };
  out.oauth = volatile ? s.oauth : { apps: sortKeys(s.oauth.apps) };
  return JSON.parse(JSON.stringify(out)) as Obj;
}

export function importState(core: EmulatorCore, input: Obj): void {
  const now = core.clock.now();
  const realmsIn = (input.realms ?? {}) as Record<string, Obj>;
  const state: EmulatorState = {
    defaultRealmId: String(input.defaultRealmId ?? ""),
    nextRealmSeq: Number(input.nextRealmSeq ?? 1),
    realms: {},
    oauth: {
      apps: {},
      codes: {},
      access: {},
      refresh: {},
      ...((input.oauth as Obj | undefined) ?? {}),
    } as EmulatorState["oauth"],
  };
  for (const [id, r] of Object.entries(realmsIn)) {
    const records: RealmState["records"] = {};
    for (const [type, list] of Object.entries((r.records ?? {}) as Record<string, Obj[]>)) {
      const t: RealmState["records"][string] = {};
      for (const rec of list) {
        const sr = {
          id: String(rec.id),
          syncToken: Number(rec.syncToken ?? 0),
          created: Number(rec.created ?? now),
          updated: Number(rec.updated ?? now),
          data: (rec.data ?? {}) as Obj,
          ...(rec.depositedIn !== undefined ? { depositedIn: String(rec.depositedIn) } : {}),
        };
        t[sr.id] = sr;
      }
      records[type] = t;
    }
    state.realms[id] = {
      realmId: id,
      nextId: Number(r.nextId ?? 1),
      docNumbers: (r.docNumbers ?? {}) as Record<string, number>,
      records,
      tombstones: ((r.tombstones ?? []) as Array<{ type: string; id: string; at?: number }>).map((t) => ({
        type: t.type,
        id: t.id,
        at: t.at ?? now,
      })),
      requestIds: (r.requestIds ?? {}) as RealmState["requestIds"],
      version: Number(r.version ?? 0),
    };
  }
  core.state = state;
  core.quotas.reset();
}
