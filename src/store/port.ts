import type { ClioSyncRecords } from "../clio/schemas/index.ts";
import type { OperationPayload } from "../engine/operation.ts";
import type { ContactFields } from "../mapping/contact-fields.ts";

/**
 * The store port: everything the engine persists, behind one narrow async interface, so the
 * embedded SQLite store and the PostgreSQL store are interchangeable (one test suite runs against
 * each). Writes that must happen together go through `commit(unit)`, which is atomic.
 *
 * Glossary (shared with src/engine):
 * - link: a Clio record paired with its QBO record, with its state, the QBO SyncToken, a hash of
 *   what was last written, whether QBO changed it since, and a typed baseline (a contact's last
 *   synced values, the base of its three-way merge; an invoice's fingerprint; a credit memo's
 *   applications).
 * - cursor: a stream's persisted position (Clio `updated_since`, QBO CDC `changedSince`).
 * - operation: one QBO write, planned; in the outbox it carries its deterministic `requestid`.
 * - outbox: operations stored before they are sent; replayed with the same request ids after a crash.
 * - issue: an item that could not sync, shown on the Sync Status page.
 * - audit entry: one write, with before/after, request id and outcome.
 * - match proposal: a near match found at first linking, waiting for the user's decision.
 * - web session: a dashboard login, kept by the hash of its random id, with its CSRF token.
 * - mirror: the Clio records read so far (bills, line items, contacts, allocations, …), so planning
 *   works from local data, page by page, with bounded memory; `dirty` marks what still needs a plan.
 */
export type EntityKind =
  | "customer"
  | "invoice"
  | "payment"
  | "credit_memo"
  | "credit_application"
  | "journal_entry";

/**
 * Where a link stands, as lexbridge last knew its QBO record:
 * - `linked`: in use; lexbridge writes to it.
 * - `voided`: lexbridge voided it (its Clio bill or payment was voided or deleted); a voided record
 *   stays in QBO, so the pairing is kept and the record is not voided twice.
 * - `broken`: deleted (or voided) in QBO by someone else; nothing is sent to it, and a re-sync
 *   re-creates the record (or re-links it when it is active again).
 * - `inactive`: a customer made inactive in QBO, kept linked to it (a new one would clash with its
 *   name), but nothing is sent to it until it is made active again.
 */
export type LinkState = "linked" | "voided" | "broken" | "inactive";

/** A contact's synced field values when it was last synced: the base of the three-way merge. */
export interface ContactBaseline {
  kind: "contact";
  fields: ContactFields;
}

/** The fingerprint of the invoice last written, to tell QBO's own bookkeeping from a user's edit. */
export interface InvoiceBaseline {
  kind: "invoice";
  fingerprint: string;
}

/** The applications and date a credit memo was last written with: phase 4 applies them. */
export interface CreditMemoBaseline {
  kind: "credit_memo";
  applications: Array<{ invoiceId: string; amount: number }>;
  date: string;
}

/** What later planning compares a linked record against, one shape per entity that keeps one. */
export type LinkBaseline = ContactBaseline | InvoiceBaseline | CreditMemoBaseline;

export interface Link {
  entity: EntityKind;
  clioId: string;
  qboId: string;
  syncToken: string;
  state: LinkState;
  /**
   * Hash of the last content written to (or accepted from) QBO; equal hash → nothing to write.
   * Null when what lexbridge last did to the record wrote no content (a void).
   */
  contentHash: string | null;
  /**
   * When lexbridge learned that the QBO record was changed outside lexbridge in a way Clio's
   * version must overwrite (an invoice or journal entry edited in QBO, or any write refused as
   * stale, 5010); null otherwise. While set, the hash no longer describes QBO's record, so the
   * record is written again whatever its hash; the next write clears it.
   */
  qboEditedAt: number | null;
  /** What later planning compares against (see LinkBaseline); null where the entity keeps none. */
  baseline: LinkBaseline | null;
  updatedAt: number;
}

export type OperationAction = "create" | "update" | "void" | "delete";

export interface OutboxOperation {
  requestId: string;
  /** Operations sent together keep their batch: a replay sends the very same batch again. */
  batchId: string | null;
  entity: EntityKind;
  clioId: string;
  action: OperationAction;
  /** The QBO entity body and whatever the executor needs to finish the operation. */
  payload: OperationPayload;
  /** Plan order: customers before invoices before payments. */
  seq: number;
  state: "pending" | "done" | "failed";
  createdAt: number;
}

export interface IssueInput {
  /** Stable identity of the item, e.g. `invoice:3101`; one open issue per key. */
  key: string;
  code: string;
  message: string;
  entity: EntityKind | "contact" | "bill" | "allocation" | "run";
  clioId?: string;
  qboId?: string;
  clioName?: string;
  qboName?: string;
  providerCode?: string;
  details?: Record<string, unknown>;
  /**
   * Key of the item this one waits for (a bill waits for its client's `contact:` item, a payment
   * for its bill's `bill:` item); absent when the item is a cause of its own. Set when the
   * dependent is raised, so Sync Status can group dependents under their root cause.
   */
  blockedBy?: string;
}

export interface SyncIssue extends IssueInput {
  id: number;
  state: "open" | "resolved";
  firstSeen: number;
  lastSeen: number;
  attempts: number;
  /** Set by `resync`: the next pass retries this item even if its source did not change. */
  retryRequested: boolean;
}

export interface AuditEntry {
  seq?: number;
  at: number;
  runId: string;
  requestId: string;
  entity: EntityKind;
  action: OperationAction | "link" | "conflict" | "clio_update";
  clioId: string;
  qboId?: string;
  before?: unknown;
  after?: unknown;
  outcome: "ok" | "failed" | "replayed" | "info";
  detail?: string;
}

export interface MatchProposal {
  clioId: string;
  qboId: string;
  reason: string;
  state: "proposed" | "accepted" | "rejected";
  createdAt: number;
}

/** The Clio lists the mirror holds, by the engine's name for each. */
export type MirrorKind = keyof ClioSyncRecords;

/**
 * A mirrored record's data: the Clio record as its schema parsed it when it was read (the store
 * keeps it as read and trusts it back), with lexbridge's own mark for a record Clio no longer
 * lists (a tombstone, src/engine/tombstones.ts).
 */
export type MirrorData<K extends MirrorKind = MirrorKind> = ClioSyncRecords[K] & { deleted?: boolean };

export interface MirrorRecord<K extends MirrorKind = MirrorKind> {
  kind: K;
  id: string;
  /** The owning record (a line item's bill, an allocation's parent payment or credit memo). */
  parentId: string | null;
  /** The bill an allocation applies to (null for other kinds), found by `listMirrorByBill`. */
  billId?: string | null;
  etag: string;
  data: MirrorData<K>;
  dirty: boolean;
}

/** A dashboard login (src/web/sessions.ts). The id itself is only ever in the browser's cookie. */
export interface WebSession {
  /** SHA-256 (hex) of the session id. */
  idHash: string;
  user: string;
  /** The token every form of this session carries (checked on each state-changing request). */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}
/** A mirror upsert; a record whose etag is unchanged keeps its dirty flag (unless `forceDirty`). */
export type MirrorWrite<K extends MirrorKind = MirrorKind> = Omit<MirrorRecord<K>, "dirty"> & {
  forceDirty?: boolean;
};

/** Everything one finished operation (or one decision) changes, written atomically. */
export interface WriteUnit {
  links?: Link[];
  deleteLinks?: Array<{ entity: EntityKind; clioId: string }>;
  outboxDone?: string[];
  outboxFailed?: string[];
  outboxAdd?: OutboxOperation[];
  issues?: IssueInput[];
  resolveIssues?: string[];
  audit?: AuditEntry[];
  cursors?: Record<string, string>;
  kv?: Record<string, string>;
  /** Keys removed from the key-value settings (after `kv` is applied). */
  kvDelete?: string[];
  mirror?: MirrorWrite[];
  /** Marks records planned (clean) or to be planned again (dirty). */
  mirrorClean?: Array<{ kind: MirrorKind; id: string }>;
  mirrorDirty?: Array<{ kind: MirrorKind; id: string }>;
}

export interface IssueFilter {
  state?: "open" | "resolved";
  code?: string;
  key?: string;
}

/** Which audit entries to list (every field narrows; none: the whole log, oldest first). */
export interface AuditFilter {
  afterSeq?: number;
  /** Only entries before this sequence number: the next page when listing newest first. */
  beforeSeq?: number;
  /** Written at or after this time (epoch ms). */
  fromAt?: number;
  /** Written before this time (epoch ms). */
  toAt?: number;
  /**
   * Entries about this record: its Clio id (a trust entry's `tx:<id>`, or a transfer's
   * `transfer:<from>-<to>`, also by the bare transaction id) or its QBO id.
   */
  recordId?: string;
  newestFirst?: boolean;
  limit?: number;
}

export interface Store {
  commit(unit: WriteUnit, at: number): Promise<void>;

  getLink(entity: EntityKind, clioId: string): Promise<Link | undefined>;
  getLinkByQboId(entity: EntityKind, qboId: string): Promise<Link | undefined>;
  listLinks(entity: EntityKind): Promise<Link[]>;

  getCursor(stream: string): Promise<string | undefined>;
  getKv(key: string): Promise<string | undefined>;

  pendingOperations(): Promise<OutboxOperation[]>;
  getOperation(requestId: string): Promise<OutboxOperation | undefined>;

  listIssues(filter?: IssueFilter): Promise<SyncIssue[]>;
  getIssue(id: number): Promise<SyncIssue | undefined>;
  /** Marks open issues for retry on the next pass (`lexbridge resync`). Returns how many. */
  requestRetry(filter: { id?: number; code?: string }): Promise<number>;

  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;

  proposeMatch(proposal: MatchProposal): Promise<void>;
  listMatches(state?: MatchProposal["state"]): Promise<MatchProposal[]>;
  decideMatch(
    clioId: string,
    decision: "accepted" | "rejected",
    at: number,
  ): Promise<MatchProposal | undefined>;

  /** The dashboard's accounts: a changed password ends every session of that user. */
  setWebPassword(user: string, passwordHash: string, at: number): Promise<void>;
  getWebPassword(user: string): Promise<string | undefined>;
  /** Stores a new session, dropping the expired ones. */
  createWebSession(session: WebSession): Promise<void>;
  /** The session with this id hash, unless it expired by `now`. */
  getWebSession(idHash: string, now: number): Promise<WebSession | undefined>;
  deleteWebSession(idHash: string): Promise<void>;
  /**
   * Records a webhook delivery's fingerprint until `expiresAt`, dropping expired ones: `true` the
   * first time, `false` for a replay or a retry of one already taken (deduplication).
   */
  claimWebhookDelivery(fingerprint: string, at: number, expiresAt: number): Promise<boolean>;

  getMirror<K extends MirrorKind>(kind: K, id: string): Promise<MirrorRecord<K> | undefined>;
  /** Pages through a kind in id order (numeric ids sort numerically), optionally only dirty ones. */
  listMirror<K extends MirrorKind>(
    kind: K,
    options?: { dirtyOnly?: boolean; afterId?: string; limit?: number },
  ): Promise<MirrorRecord<K>[]>;
  listMirrorByParent<K extends MirrorKind>(kind: K, parentId: string): Promise<MirrorRecord<K>[]>;
  /** The mirrored records that apply to a bill (allocations), in id order. */
  listMirrorByBill<K extends MirrorKind>(kind: K, billId: string): Promise<MirrorRecord<K>[]>;
  countMirror(kind: MirrorKind, options?: { dirtyOnly?: boolean }): Promise<number>;

  /**
   * An independent copy of everything stored, for a dry run: the pass runs against it exactly as
   * it would for real, and closing the copy discards it. Nothing written to one reaches the other.
   */
  scratchCopy(): Promise<Store>;
  close(): Promise<void>;
}
