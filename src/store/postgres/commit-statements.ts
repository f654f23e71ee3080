import type { WriteUnit } from "../port.ts";
import { auditValues, issueValues, linkValues, mirrorValues, outboxValues } from "../rows.ts";

/** One statement of a commit; `$1` is the firm (bound by the store), its own parameters from `$2`. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Rows per multi-row statement: far below PostgreSQL's 65,535 parameters at the widest row (12). */
const MAX_ROWS = 1000;

/**
 * The statements that write a unit, in the order the unit's parts have always been applied, with
 * each part's rows in as few statements as possible: one multi-row `INSERT … ON CONFLICT` per
 * upserted table, one `= ANY($n)` per update or delete. A commit's cost on PostgreSQL is mostly
 * round trips, one per statement (an executor batch's outcome was ~150 of them, a page of the Clio
 * mirror 200); the rows it writes and the order they land in are those of one statement per row.
 *
 * An upsert's rows go into one statement unless the same key comes twice: `ON CONFLICT DO UPDATE`
 * cannot touch a row twice in one statement, and a later write of a key must see the earlier one
 * (the mirror's dirty flag, an issue's attempts), so a repeated key starts the next statement.
 */
export function commitStatements(unit: WriteUnit, at: number): Statement[] {
  const out: Statement[] = [];
  const upsert = <T>(
    rows: T[] | undefined,
    key: (row: T) => string,
    build: (rows: T[]) => Statement,
    sameStatement: (a: T, b: T) => boolean = () => true,
  ) => {
    for (const chunk of chunks(rows ?? [], key, sameStatement)) out.push(build(chunk));
  };

  upsert(
    unit.links,
    (l) => `${l.entity}\0${l.clioId}`,
    (rows) => {
      const { values, params } = valuesList(rows.map(linkValues));
      return {
        sql: `INSERT INTO links (firm_id, entity, clio_id, qbo_id, sync_token, state, content_hash, qbo_edited_at, baseline, updated_at)
          VALUES ${values}
          ON CONFLICT (firm_id, entity, clio_id) DO UPDATE SET qbo_id = excluded.qbo_id, sync_token = excluded.sync_token,
            state = excluded.state, content_hash = excluded.content_hash, qbo_edited_at = excluded.qbo_edited_at,
            baseline = excluded.baseline, updated_at = excluded.updated_at`,
        params,
      };
    },
  );
  for (const [entity, ids] of groupBy(
    unit.deleteLinks ?? [],
    (d) => d.entity,
    (d) => d.clioId,
  ))
    out.push({
      sql: "DELETE FROM links WHERE firm_id = $1 AND entity = $2 AND clio_id = ANY($3::text[])",
      params: [entity, ids],
    });
  // An operation already stored keeps its state and payload: only its batch is recorded (a replay
  // sends the very same batch), so one that is done or failed is never pending again, never sent twice.
  // Stored again without a batch, it keeps the batch it was sent in: a batch's replay must hold
  // every operation it carried, or its answers would be matched to the wrong ones.
  upsert(
    unit.outboxAdd,
    (op) => op.requestId,
    (rows) => {
      const { values, params } = valuesList(rows.map((op) => outboxValues(op, at)));
      return {
        sql: `INSERT INTO outbox (firm_id, request_id, batch_id, entity, clio_id, action, payload, seq, state, created_at, updated_at)
          VALUES ${values}
          ON CONFLICT (firm_id, request_id) DO UPDATE SET batch_id = COALESCE(excluded.batch_id, outbox.batch_id)`,
        params,
      };
    },
  );
  for (const [state, ids] of [
    ["done", unit.outboxDone],
    ["failed", unit.outboxFailed],
  ] as const)
    if (ids?.length)
      out.push({
        sql: `UPDATE outbox SET state = '${state}', updated_at = $2 WHERE firm_id = $1 AND request_id = ANY($3::text[])`,
        params: [at, ids],
      });
  upsert(
    unit.issues,
    (i) => i.key,
    (rows) => {
      // $2 is the time; each row's own values follow.
      const { values, params } = valuesList(rows.map(issueValues), 1, ", 'open', $2, $2, 1, FALSE");
      return {
        sql: `INSERT INTO issues (firm_id, key, code, message, entity, clio_id, qbo_id, clio_name, qbo_name, provider_code, details,
            blocked_by, state, first_seen, last_seen, attempts, retry_requested)
          VALUES ${values}
          ON CONFLICT (firm_id, key) DO UPDATE SET code = excluded.code, message = excluded.message, qbo_id = excluded.qbo_id,
            clio_name = excluded.clio_name, qbo_name = excluded.qbo_name, provider_code = excluded.provider_code,
            details = excluded.details, blocked_by = excluded.blocked_by, last_seen = excluded.last_seen,
            retry_requested = FALSE,
            attempts = CASE WHEN issues.state = 'open' THEN issues.attempts + 1 ELSE 1 END,
            first_seen = CASE WHEN issues.state = 'open' THEN issues.first_seen ELSE excluded.first_seen END,
            state = 'open'`,
        params: [at, ...params],
      };
    },
  );
  if (unit.resolveIssues?.length)
    out.push({
      sql: `UPDATE issues SET state = 'resolved', last_seen = $2, retry_requested = FALSE
        WHERE firm_id = $1 AND key = ANY($3::text[]) AND state = 'open'`,
      params: [at, unit.resolveIssues],
    });
  // Audit rows are never updated: any number in one statement, their sequence in the unit's order.
  upsert(
    unit.audit,
    () => "",
    (rows) => {
      const { values, params } = valuesList(rows.map(auditValues));
      return {
        sql: `INSERT INTO audit (firm_id, at, run_id, request_id, entity, action, clio_id, qbo_id, before, after, outcome, detail)
          VALUES ${values}`,
        params,
      };
    },
  );
  const named = (table: "cursors" | "kv", key: "stream" | "key", entries: Record<string, string> = {}) => {
    const rows = Object.entries(entries);
    if (rows.length === 0) return;
    // An object's keys are unique: one statement.
    const { values, params } = valuesList(rows);
    out.push({
      sql: `INSERT INTO ${table} (firm_id, ${key}, value) VALUES ${values}
        ON CONFLICT (firm_id, ${key}) DO UPDATE SET value = excluded.value`,
      params,
    });
  };
  named("cursors", "stream", unit.cursors);
  upsert(
    unit.mirror,
    (m) => `${m.kind}\0${m.id}`,
    (rows) => {
      const force = rows[0]!.forceDirty === true;
      const { values, params } = valuesList(rows.map(mirrorValues), 0, ", TRUE");
      const p = params.length + 2;
      return {
        sql: `INSERT INTO mirror (firm_id, kind, id, sort_key, parent_id, bill_id, etag, data, dirty)
          VALUES ${values}
          ON CONFLICT (firm_id, kind, id) DO UPDATE SET parent_id = excluded.parent_id, bill_id = excluded.bill_id,
            etag = excluded.etag, data = excluded.data,
            dirty = CASE WHEN mirror.etag = excluded.etag AND NOT $${p}::boolean THEN mirror.dirty ELSE TRUE END`,
        params: [...params, force],
      };
    },
    // One statement carries one forceDirty (a parameter of the whole statement).
    (a, b) => (a.forceDirty === true) === (b.forceDirty === true),
  );
  for (const [dirty, list] of [
    [false, unit.mirrorClean],
    [true, unit.mirrorDirty],
  ] as const)
    for (const [kind, ids] of groupBy(
      list ?? [],
      (m) => m.kind,
      (m) => m.id,
    ))
      out.push({
        sql: `UPDATE mirror SET dirty = ${dirty ? "TRUE" : "FALSE"} WHERE firm_id = $1 AND kind = $2 AND id = ANY($3::text[])`,
        params: [kind, ids],
      });
  named("kv", "key", unit.kv);
  if (unit.kvDelete?.length)
    out.push({ sql: "DELETE FROM kv WHERE firm_id = $1 AND key = ANY($2::text[])", params: [unit.kvDelete] });
  return out;
}

/**
 * `($1, $2, …), ($1, …)`: each row led by the firm ($1), its values numbered after the `skip`
 * parameters the statement puts first, then `tail` (constants of every row).
 */
function valuesList(rows: unknown[][], skip = 0, tail = ""): { values: string; params: unknown[] } {
  const params: unknown[] = [];
  const values = rows
    .map((row) => {
      const placeholders = row.map((value) => {
        params.push(value);
        return `$${params.length + 1 + skip}`;
      });
      return `($1, ${placeholders.join(", ")}${tail})`;
    })
    .join(", ");
  return { values, params };
}

/**
 * Consecutive runs of rows for one statement each: a run ends before a key it already holds,
 * before a row `sameStatement` parts from the run's first, or at MAX_ROWS. Order is kept.
 */
function chunks<T>(rows: T[], key: (row: T) => string, sameStatement: (a: T, b: T) => boolean): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let keys = new Set<string>();
  for (const row of rows) {
    const k = key(row);
    const repeated = k !== "" && keys.has(k);
    if (current.length > 0 && (repeated || current.length >= MAX_ROWS || !sameStatement(current[0]!, row))) {
      out.push(current);
      current = [];
      keys = new Set();
    }
    current.push(row);
    keys.add(k);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The values of `pick` for each `group` (one statement per group), groups in first-seen order. */
function groupBy<T>(rows: T[], group: (row: T) => string, pick: (row: T) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of rows) out.set(group(row), [...(out.get(group(row)) ?? []), pick(row)]);
  return out;
}
