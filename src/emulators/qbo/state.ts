/**
 * The emulator's whole state as plain JSON, so it can be exported, compared and imported.
 * Stored records keep the body as the client would read it, minus server metadata (Id,
 * SyncToken, MetaData), which live beside it; derived fields are filled when presented.
 */
export type Obj = Record<string, unknown>;

export interface StoredRecord {
  id: string;
  syncToken: number;
  created: number;
  updated: number;
  data: Obj;
  /** Id of the Deposit that holds this payment (6540). */
  depositedIn?: string;
}

export interface Tombstone {
  type: string;
  id: string;
  at: number;
}

export interface RealmState {
  realmId: string;
  nextId: number;
  /** Per-type counters for auto-assigned DocNumbers (custom txn numbers off). */
  docNumbers: Record<string, number>;
  records: Record<string, Record<string, StoredRecord>>;
  tombstones: Tombstone[];
  requestIds: Record<string, { status: number; body: string; contentType: string }>;
  /** Bumped on every write; caches of presented derived fields key on it. */
  version: number;
  /** What kind of company this is (company-profiles.ts); absent in state exported before profiles. */
  company?: RealmCompany;
}

/** Server-side facts of a company that no API field exposes. */
export interface RealmCompany {
  profile: string;
  /** Liability account id per TaxAgency id (QBO links agencies to accounts internally, reference §4). */
  taxAccounts: Record<string, string>;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface TokenRecord {
  realmId: string;
  clientId: string;
  expires: number;
  revoked?: boolean;
}

export interface RefreshRecord extends TokenRecord {
  /** Set when a newer refresh token replaced this one; it still works until `graceUntil`. */
  graceUntil?: number;
}

export interface OAuthState {
  apps: Record<string, OAuthApp>;
  codes: Record<string, TokenRecord & { redirectUri: string; used: boolean }>;
  access: Record<string, TokenRecord>;
  refresh: Record<string, RefreshRecord>;
}

export interface EmulatorState {
  defaultRealmId: string;
  nextRealmSeq: number;
  realms: Record<string, RealmState>;
  oauth: OAuthState;
}

export function emptyState(): EmulatorState {
  return {
    defaultRealmId: "",
    nextRealmSeq: 1,
    realms: {},
    oauth: { apps: {}, codes: {}, access: {}, refresh: {} },
  };
}

export function emptyRealm(realmId: string): RealmState {
  return { realmId, nextId: 1, docNumbers: {}, records: {}, tombstones: [], requestIds: {}, version: 0 };
}

export function table(realm: RealmState, type: string): Record<string, StoredRecord> {
  let t = realm.records[type];
  if (!t) {
    t = {};
    realm.records[type] = t;
  }
  return t;
}

export function allocateId(realm: RealmState): string {
  const id = String(realm.nextId);
  realm.nextId += 1;
  return id;
}

/** Records of a type in id order (numeric ids first, numerically; then the rest by text). */
export function sortedRecords(realm: RealmState, type: string): StoredRecord[] {
  return Object.values(table(realm, type)).sort(compareIds);
}

export function compareIds(a: { id: string }, b: { id: string }): number {
  const na = Number(a.id);
  const nb = Number(b.id);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  if (Number.isFinite(na)) return -1;
  if (Number.isFinite(nb)) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// Small typed readers for JSON bodies.
export const get = {
  str(o: unknown, key: string): string | undefined {
    const v = (o as Obj | undefined)?.[key];
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
  },
  num(o: unknown, key: string): number | undefined {
    const v = (o as Obj | undefined)?.[key];
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
  },
  obj(o: unknown, key: string): Obj | undefined {
    const v = (o as Obj | undefined)?.[key];
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
  },
  arr(o: unknown, key: string): Obj[] {
    const v = (o as Obj | undefined)?.[key];
    return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === "object") as Obj[]) : [];
  },
  bool(o: unknown, key: string): boolean | undefined {
    const v = (o as Obj | undefined)?.[key];
    if (typeof v === "boolean") return v;
    if (v === "true") return true;
    if (v === "false") return false;
    return undefined;
  },
  ref(o: unknown, key: string): string | undefined {
    return get.str(get.obj(o, key), "value");
  },
};

export function clone<T>(value: T): T {
  return structuredClone(value);
}
