import { createHash } from "node:crypto";
import type { Clock } from "../../core/clock.ts";
import { systemClock } from "../../core/clock.ts";
import {
  type OAuthApp,
  type OAuthToken,
  type Stamp,
  TABLE_NAMES,
  type TableName,
  type Tables,
} from "./records.ts";

/** A change to one record, reported to listeners (the webhook dispatcher). */
export interface ChangeEvent {
  table: TableName;
  event: "created" | "updated" | "deleted";
  id: number;
  /** The record before the change (undefined on create). */
  before: unknown;
}

/** The full state as plain JSON: what export writes and import reads. Stable order (by id). */
export interface ClioStateJson {
  format: "lexbridge-clio-emulator/1";
  nextId: number;
  writeSeq: number;
  counters: Record<string, number>;
  tables: { [K in TableName]: Tables[K][] };
  oauth: { apps: OAuthApp[]; tokens: OAuthToken[] };
}

/**
 * In-memory tables keyed by id. Ids come from one counter, so they increase in insertion order and
 * a table's Map iterates in id order (cursor pagination relies on that). Each write bumps the
 * table's version, which drops the table's cached indexes.
 */
export class ClioState {
  readonly clock: Clock;
  nextId = 1000;
  writeSeq = 0;
  /** Human-facing sequences (matter numbers, bill numbers). */
  counters: Record<string, number> = {};
  readonly tables: { [K in TableName]: Map<number, Tables[K]> };
  apps = new Map<string, OAuthApp>();
  tokens = new Map<string, OAuthToken>();
  /** The firm (Clio "Account") every user belongs to; set from the emulator's config. */
  firmName = "Emulated Law Firm LLP";
  readonly #versions = new Map<TableName, number>();
  readonly #indexes = new Map<string, IndexEntry>();
  readonly #listeners = new Set<(change: ChangeEvent) => void>();

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
    this.tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, new Map()])) as ClioState["tables"];
  }

  /** Now, truncated to whole seconds (the API shows seconds). */
  now(): number {
    return Math.floor(this.clock.now() / 1000) * 1000;
  }

  nextCounter(name: string): number {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
    return this.counters[name];
  }

  allocateId(): number {
    return this.nextId++;
  }

  /** A fresh quoted 32-hex ETag; deterministic from the write sequence. */
  newEtag(table: string, id: number): string {
    this.writeSeq++;
    return `"${createHash("md5").update(`${table}:${id}:${this.writeSeq}`).digest("hex")}"`;
  }

  get<K extends TableName>(table: K, id: number): Tables[K] | undefined {
    return this.tables[table].get(id);
  }

  all<K extends TableName>(table: K): Iterable<Tables[K]> {
    return this.tables[table].values();
  }

  /** Inserts a record built from `fields`; id, etag and timestamps are filled in. */
  insert<K extends TableName>(table: K, fields: Omit<Tables[K], keyof Stamp> & Partial<Stamp>): Tables[K] {
    const id = fields.id ?? this.allocateId();
    if (id >= this.nextId) this.nextId = id + 1;
    const now = this.now();
    const rec = {
      ...fields,
      id,
      etag: this.newEtag(table, id),
      created_at: fields.created_at ?? now,
      updated_at: fields.updated_at ?? now,
    } as Tables[K];
    this.tables[table].set(id, rec);
    for (const idx of this.#indexesOf(table)) indexAdd(idx, rec);
    this.#bump(table);
    this.#emit({ table, event: "created", id, before: undefined });
    return rec;
  }

  /** Applies `patch` to a record, with a new etag and updated_at. */
  update<K extends TableName>(table: K, id: number, patch: Partial<Tables[K]>): Tables[K] {
    const current = this.tables[table].get(id);
    if (!current) throw new Error(`no ${table} ${id}`);
    const before = this.#listeners.size > 0 ? structuredClone(current) : undefined;
    const indexes = this.#indexesOf(table);
    for (const idx of indexes) indexRemove(idx, current);
    Object.assign(current, patch, { etag: this.newEtag(table, id), updated_at: this.now() });
    for (const idx of indexes) indexAdd(idx, current);
    this.#bump(table);
    this.#emit({ table, event: "updated", id, before });
    return current;
  }

  /** Marks a record changed (new etag, updated_at) after nested edits made in place. */
  touch<K extends TableName>(table: K, id: number, before?: unknown): Tables[K] {
    const current = this.tables[table].get(id);
    if (!current) throw new Error(`no ${table} ${id}`);
    Object.assign(current, { etag: this.newEtag(table, id), updated_at: this.now() });
    this.#bump(table);
    this.#emit({ table, event: "updated", id, before });
    return current;
  }

  remove(table: TableName, id: number): boolean {
    const before = this.tables[table].get(id);
    if (!before) return false;
    this.tables[table].delete(id);
    for (const idx of this.#indexesOf(table)) indexRemove(idx, before);
    this.#bump(table);
    this.#emit({ table, event: "deleted", id, before });
    return true;
  }

  /**
   * Records of `table` grouped by `key(rec)`. Built once, then kept current by insert/update/remove
   * (keys must only depend on fields changed through `update`, never on in-place edits + `touch`).
   */
  index<K extends TableName, V>(
    table: K,
    name: string,
    key: (rec: Tables[K]) => V | V[],
  ): Map<V, Tables[K][]> {
    const cacheKey = `${table}:${name}`;
    const cached = this.#indexes.get(cacheKey);
    if (cached) return cached.map as Map<V, Tables[K][]>;
    const map = new Map<unknown, unknown[]>();
    const entry = { table, key: key as (rec: unknown) => unknown, map };
    for (const rec of this.tables[table].values()) indexAdd(entry, rec);
    this.#indexes.set(cacheKey, entry);
    return map as Map<V, Tables[K][]>;
  }

  version(table: TableName): number {
    return this.#versions.get(table) ?? 0;
  }

  onChange(listener: (change: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  toJSON(): ClioStateJson {
    const tables = Object.fromEntries(
      TABLE_NAMES.map((t) => [t, [...this.tables[t].values()].sort((a, b) => a.id - b.id)]),
    ) as ClioStateJson["tables"];
    return {
      format: "lexbridge-clio-emulator/1",
      nextId: this.nextId,
      writeSeq: this.writeSeq,
      counters: { ...this.counters },
      tables: structuredClone(tables),
      oauth: {
        apps: [...this.apps.values()].sort((a, b) => a.client_id.localeCompare(b.client_id)),
        tokens: [...this.tokens.values()].sort((a, b) => a.access_token.localeCompare(b.access_token)),
      },
    };
  }

  /** Replaces everything with `json` (listeners are kept, no change events fire). */
  load(json: ClioStateJson): void {
    if (json.format !== "lexbridge-clio-emulator/1") throw new Error("not a Clio emulator export");
    for (const t of TABLE_NAMES) {
      const rows = [...(json.tables[t] ?? [])].sort((a, b) => a.id - b.id);
      (this.tables as Record<string, Map<number, unknown>>)[t] = new Map(
        rows.map((r) => [r.id, structuredClone(r)]),
      );
      this.#bump(t);
    }
    this.#indexes.clear();
    this.nextId = json.nextId;
    this.writeSeq = json.writeSeq;
    this.counters = { ...(json.counters ?? {}) };
    this.apps = new Map(json.oauth.apps.map((a) => [a.client_id, { ...a }]));
    this.tokens = new Map(json.oauth.tokens.map((t) => [t.access_token, { ...t }]));
  }

  #indexesOf(table: TableName): IndexEntry[] {
    const out: IndexEntry[] = [];
    for (const idx of this.#indexes.values()) if (idx.table === table) out.push(idx);
    return out;
  }

  #bump(table: TableName): void {
    this.#versions.set(table, (this.#versions.get(table) ?? 0) + 1);
  }

  #emit(change: ChangeEvent): void {
    for (const l of this.#listeners) l(change);
  }
}

interface IndexEntry {
  table: TableName;
  key: (rec: unknown) => unknown;
  map: Map<unknown, unknown[]>;
}

function keysOf(idx: IndexEntry, rec: unknown): unknown[] {
  const k = idx.key(rec);
  return Array.isArray(k) ? k : [k];
}

function indexAdd(idx: IndexEntry, rec: unknown): void {
  for (const k of keysOf(idx, rec)) {
    const list = idx.map.get(k);
    if (list) list.push(rec);
    else idx.map.set(k, [rec]);
  }
}

function indexRemove(idx: IndexEntry, rec: unknown): void {
  for (const k of keysOf(idx, rec)) {
    const list = idx.map.get(k);
    const at = list ? list.indexOf(rec) : -1;
    if (list && at >= 0) {
      list.splice(at, 1);
      if (list.length === 0) idx.map.delete(k);
    }
  }
}
