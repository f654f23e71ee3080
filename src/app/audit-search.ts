import { csvText } from "../core/csv.ts";
import type { AuditEntry, AuditFilter, Store } from "../store/port.ts";
import { auditChanges, changesInWords, type FieldChange } from "./audit-changes.ts";
import { type RecordFacts, RecordFactsReader } from "./record-facts.ts";

/** What the dashboard's audit log is searched by; every part narrows, none lists everything. */
export interface AuditQuery {
  /** A Clio id (a contact, bill, payment, trust transaction) or a QuickBooks id. */
  record?: string;
  /** Part of a client's name, any case. */
  client?: string;
  /** Days (YYYY-MM-DD, UTC), both included. */
  from?: string;
  to?: string;
}

/** One entry with what a bookkeeper recognises it by and its changed fields. */
export interface AuditRow {
  entry: AuditEntry;
  facts: RecordFacts;
  changes: FieldChange[];
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Entries read from the store at a time while a client's name is looked for. */
const SCAN_BATCH = 200;

/** A day's start (epoch ms, UTC), or undefined when the text is no real date. */
export function dayStart(day: string): number | undefined {
  if (!DAY.test(day)) return undefined;
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== day ? undefined : at;
}

/** The query's problems, by field (a date that is no date), for the form. */
export function auditQueryProblems(query: AuditQuery): Partial<Record<keyof AuditQuery, string>> {
  const problems: Partial<Record<keyof AuditQuery, string>> = {};
  for (const field of ["from", "to"] as const) {
    const day = query[field];
    if (day && dayStart(day) === undefined) problems[field] = "expected a date as YYYY-MM-DD";
  }
  return problems;
}

function storeFilter(query: AuditQuery): AuditFilter {
  const filter: AuditFilter = { newestFirst: true };
  if (query.record) filter.recordId = query.record;
  const from = query.from ? dayStart(query.from) : undefined;
  const to = query.to ? dayStart(query.to) : undefined;
  if (from !== undefined) filter.fromAt = from;
  if (to !== undefined) filter.toAt = to + DAY_MS;
  return filter;
}

/**
 * The matching entries, newest first, from `beforeSeq` on. The record and the dates are filtered
 * by the store; a client's name is not stored with an entry, so it is matched against each
 * entry's facts (its client's name from the mirrored Clio records), reading the log in batches.
 */
export async function* auditMatches(
  store: Store,
  query: AuditQuery,
  beforeSeq?: number,
): AsyncGenerator<AuditRow> {
  const facts = new RecordFactsReader(store);
  const client = query.client?.trim().toLowerCase();
  const filter = storeFilter(query);
  let before = beforeSeq;
  for (;;) {
    const batch = await store.listAudit({
      ...filter,
      ...(before !== undefined ? { beforeSeq: before } : {}),
      limit: SCAN_BATCH,
    });
    for (const entry of batch) {
      const f = await facts.of({ entity: entry.entity, clioId: entry.clioId });
      if (client && !f.client?.toLowerCase().includes(client)) continue;
      yield { entry, facts: f, changes: auditChanges(entry.before, entry.after) };
    }
    if (batch.length < SCAN_BATCH) return;
    before = batch[batch.length - 1]!.seq;
  }
}

/** One page of matches and the sequence number the next page starts before (none: the last page). */
export async function auditPage(
  store: Store,
  query: AuditQuery,
  options: { beforeSeq?: number; size: number },
): Promise<{ rows: AuditRow[]; nextBeforeSeq?: number }> {
  const rows: AuditRow[] = [];
  for await (const row of auditMatches(store, query, options.beforeSeq)) {
    if (rows.length === options.size) return { rows, nextBeforeSeq: rows[rows.length - 1]!.entry.seq! };
    rows.push(row);
  }
  return { rows };
}

/** Every match as CSV, newest first: one row per entry with its changes and its raw before/after. */
export async function auditCsv(store: Store, query: AuditQuery): Promise<string> {
  const rows: unknown[][] = [
    [
      "seq",
      "at",
      "outcome",
      "entity",
      "action",
      "client",
      "bill_number",
      "amount",
      "clio_id",
      "qbo_id",
      "request_id",
      "run_id",
      "detail",
      "changes",
      "before",
      "after",
    ],
  ];
  for await (const { entry: e, facts: f, changes } of auditMatches(store, query)) {
    rows.push([
      e.seq,
      new Date(e.at).toISOString(),
      e.outcome,
      e.entity,
      e.action,
      f.client,
      f.billNumber,
      f.amount,
      e.clioId,
      e.qboId,
      e.requestId,
      e.runId,
      e.detail,
      changes.length > 0 ? changesInWords(changes) : "",
      e.before === undefined ? "" : JSON.stringify(e.before),
      e.after === undefined ? "" : JSON.stringify(e.after),
    ]);
  }
  return csvText(rows);
}
