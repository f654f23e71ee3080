import type { OperationPayload } from "../engine/operation.ts";
import type {
  AuditEntry,
  EntityKind,
  IssueInput,
  Link,
  LinkBaseline,
  MatchProposal,
  MirrorData,
  MirrorKind,
  MirrorRecord,
  MirrorWrite,
  OutboxOperation,
  SyncIssue,
  WebSession,
} from "./port.ts";

/**
 * Rows as both stores read them back: column names in snake_case, big integers possibly as
 * strings (PostgreSQL's BIGINT), flags as 0/1 or booleans, JSON as the text the store wrote.
 */
export type StoredRow = Record<string, unknown>;

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const parse = <T>(value: unknown): T | undefined =>
  typeof value === "string" ? (JSON.parse(value) as T) : undefined;
/** SQLite keeps flags as 0/1, PostgreSQL as booleans; Number() reads both. */
const flag = (value: unknown): boolean => Number(value) === 1;

/** Clio ids are integers; ordering by number keeps pages in the order Clio lists them. */
export function sortKey(id: string): number {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : 0;
}

/** The data was parsed by its Clio schema before it was written; it is read back as that type. */
export function toMirror<K extends MirrorKind>(kind: K, r: StoredRow): MirrorRecord<K> {
  return {
    kind,
    id: String(r.id),
    parentId: (r.parent_id as string | null) ?? null,
    billId: (r.bill_id as string | null) ?? null,
    etag: String(r.etag),
    data: JSON.parse(String(r.data)) as MirrorData<K>,
    dirty: flag(r.dirty),
  };
}

export function toLink(r: StoredRow): Link {
  return {
    entity: r.entity as EntityKind,
    clioId: String(r.clio_id),
    qboId: String(r.qbo_id),
    syncToken: String(r.sync_token),
    state: r.state as Link["state"],
    contentHash: (r.content_hash as string | null) ?? null,
    qboEditedAt: r.qbo_edited_at === null ? null : Number(r.qbo_edited_at),
    baseline: parse<LinkBaseline>(r.baseline) ?? null,
    updatedAt: Number(r.updated_at),
  };
}

export function toOperation(r: StoredRow): OutboxOperation {
  return {
    requestId: String(r.request_id),
    batchId: (r.batch_id as string | null) ?? null,
    entity: r.entity as EntityKind,
    clioId: String(r.clio_id),
    action: r.action as OutboxOperation["action"],
    // Written by the engine as it planned it; migrations keep stored payloads in the current shape.
    payload: JSON.parse(String(r.payload)) as OperationPayload,
    seq: Number(r.seq),
    state: r.state as OutboxOperation["state"],
    createdAt: Number(r.created_at),
  };
}

export function toIssue(r: StoredRow): SyncIssue {
  return {
    id: Number(r.id),
    key: String(r.key),
    code: String(r.code),
    message: String(r.message),
    entity: r.entity as SyncIssue["entity"],
    clioId: (r.clio_id as string | null) ?? undefined,
    qboId: (r.qbo_id as string | null) ?? undefined,
    clioName: (r.clio_name as string | null) ?? undefined,
    qboName: (r.qbo_name as string | null) ?? undefined,
    providerCode: (r.provider_code as string | null) ?? undefined,
    details: parse(r.details),
    blockedBy: (r.blocked_by as string | null) ?? undefined,
    state: r.state as SyncIssue["state"],
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
    attempts: Number(r.attempts),
    retryRequested: flag(r.retry_requested),
  };
}

export function toMatch(r: StoredRow): MatchProposal {
  return {
    clioId: String(r.clio_id),
    qboId: String(r.qbo_id),
    reason: String(r.reason),
    state: r.state as MatchProposal["state"],
    createdAt: Number(r.created_at),
  };
}

export function toAudit(r: StoredRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: Number(r.at),
    runId: String(r.run_id),
    requestId: String(r.request_id),
    entity: r.entity as EntityKind,
    action: r.action as AuditEntry["action"],
    clioId: String(r.clio_id),
    qboId: (r.qbo_id as string | null) ?? undefined,
    before: parse(r.before),
    after: parse(r.after),
    outcome: r.outcome as AuditEntry["outcome"],
    detail: (r.detail as string | null) ?? undefined,
  };
}

export function toWebSession(r: StoredRow): WebSession {
  return {
    idHash: String(r.id_hash),
    user: String(r.user_name),
    csrfToken: String(r.csrf_token),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}

/*
 * The values each store writes, in the column order of its INSERT (after firm_id in PostgreSQL):
 * both stores bind the same values, only the placeholders differ.
 */
type Value = string | number | null;

/** entity, clio_id, qbo_id, sync_token, state, content_hash, qbo_edited_at, baseline, updated_at */
export function linkValues(l: Link): Value[] {
  const baseline = l.baseline === null ? null : JSON.stringify(l.baseline);
  return [
    l.entity,
    l.clioId,
    l.qboId,
    l.syncToken,
    l.state,
    l.contentHash,
    l.qboEditedAt,
    baseline,
    l.updatedAt,
  ];
}

/** request_id, batch_id, entity, clio_id, action, payload, seq, state, created_at, updated_at */
export function outboxValues(op: OutboxOperation, at: number): Value[] {
  const payload = JSON.stringify(op.payload);
  return [
    op.requestId,
    op.batchId,
    op.entity,
    op.clioId,
    op.action,
    payload,
    op.seq,
    op.state,
    op.createdAt,
    at,
  ];
}

/** key, code, message, entity, clio_id, qbo_id, clio_name, qbo_name, provider_code, details, blocked_by */
export function issueValues(i: IssueInput): Value[] {
  return [
    i.key,
    i.code,
    i.message,
    i.entity,
    i.clioId ?? null,
    i.qboId ?? null,
    i.clioName ?? null,
    i.qboName ?? null,
    i.providerCode ?? null,
    json(i.details),
    i.blockedBy ?? null,
  ];
}

/** at, run_id, request_id, entity, action, clio_id, qbo_id, before, after, outcome, detail */
export function auditValues(a: AuditEntry): Value[] {
  return [
    a.at,
    a.runId,
    a.requestId,
    a.entity,
    a.action,
    a.clioId,
    a.qboId ?? null,
    json(a.before),
    json(a.after),
    a.outcome,
    a.detail ?? null,
  ];
}

/** kind, id, sort_key, parent_id, bill_id, etag, data */
export function mirrorValues(m: MirrorWrite): Value[] {
  return [m.kind, m.id, sortKey(m.id), m.parentId, m.billId ?? null, m.etag, JSON.stringify(m.data)];
}
