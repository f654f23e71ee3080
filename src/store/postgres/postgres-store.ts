import type { Pool, PoolClient, QueryResultRow } from "pg";
import type {
  AuditEntry,
  AuditFilter,
  EntityKind,
  IssueFilter,
  Link,
  MatchProposal,
  MirrorKind,
  MirrorRecord,
  OutboxOperation,
  Store,
  SyncIssue,
  WebSession,
  WriteUnit,
} from "../port.ts";
import { sortKey, toAudit, toIssue, toLink, toMatch, toMirror, toOperation, toWebSession } from "../rows.ts";
import { commitStatements } from "./commit-statements.ts";
import { copyFirmRows, deleteFirmRows, scratchFirmId } from "./firm-rows.ts";
import { inTransaction } from "./transaction.ts";

/**
 * One firm's store in a PostgreSQL database shared by many firms: every statement names the
 * firm, so a store never reads or writes another firm's rows. Every `commit` is one transaction
 * on one pooled connection; concurrent writers (several workers, serve and a CLI command) meet at
 * the rows themselves: upserts are `INSERT … ON CONFLICT`, which waits for the other writer's
 * row lock and then applies to the row it committed, so an operation added twice is one row and a
 * webhook delivery is claimed once.
 */
export class PostgresStore implements Store {
  readonly #pool: Pool;
  readonly #firm: string;
  readonly #onClose: () => Promise<void>;
  #closed = false;

  /** `onClose` ends what the store was opened with (the pool, or a scratch firm's rows). */
  constructor(pool: Pool, firmId: string, onClose: () => Promise<void> = async () => {}) {
    if (!firmId) throw new Error("a PostgreSQL store needs a firm id");
    this.#pool = pool;
    this.#firm = firmId;
    this.#onClose = onClose;
  }

  async #rows(sql: string, ...params: unknown[]): Promise<QueryResultRow[]> {
    return (await this.#pool.query(sql, [this.#firm, ...params])).rows;
  }

  async #row(sql: string, ...params: unknown[]): Promise<QueryResultRow | undefined> {
    return (await this.#rows(sql, ...params))[0];
  }

  async #run(sql: string, ...params: unknown[]): Promise<number> {
    return (await this.#pool.query(sql, [this.#firm, ...params])).rowCount ?? 0;
  }

  /** Runs `fn` in a transaction; its `run` binds $1 to the firm like the store's own helpers. */
  async #transaction<T>(
    fn: (run: (sql: string, ...params: unknown[]) => Promise<number>) => Promise<T>,
  ): Promise<T> {
    return inTransaction(this.#pool, (client: PoolClient) =>
      fn(async (sql, ...params) => (await client.query(sql, [this.#firm, ...params])).rowCount ?? 0),
    );
  }

  /**
   * A unit is one transaction — or, when it comes to a single statement (most units: a link, a
   * cursor, a page of the mirror), that statement alone, which PostgreSQL applies atomically
   * without the BEGIN and COMMIT round trips.
   */
  async commit(unit: WriteUnit, at: number): Promise<void> {
    const statements = commitStatements(unit, at);
    if (statements.length === 0) return;
    if (statements.length === 1) {
      await this.#run(statements[0]!.sql, ...statements[0]!.params);
      return;
    }
    await this.#transaction(async (run) => {
      for (const s of statements) await run(s.sql, ...s.params);
    });
  }

  async getLink(entity: EntityKind, clioId: string): Promise<Link | undefined> {
    const row = await this.#row(
      "SELECT * FROM links WHERE firm_id = $1 AND entity = $2 AND clio_id = $3",
      entity,
      clioId,
    );
    return row && toLink(row);
  }

  async getLinkByQboId(entity: EntityKind, qboId: string): Promise<Link | undefined> {
    const row = await this.#row(
      "SELECT * FROM links WHERE firm_id = $1 AND entity = $2 AND qbo_id = $3 ORDER BY clio_id LIMIT 1",
      entity,
      qboId,
    );
    return row && toLink(row);
  }

  async listLinks(entity: EntityKind): Promise<Link[]> {
    //: byte order, as SQLite sorts text, whatever the database's locale.
    return (
      await this.#rows("SELECT * FROM links WHERE firm_id = $1 AND entity = $2 ORDER BY clio_id", entity)
    ).map(toLink);
  }

  async getCursor(stream: string): Promise<string | undefined> {
    return (await this.#row("SELECT value FROM cursors WHERE firm_id = $1 AND stream = $2", stream))?.value;
  }

  async getKv(key: string): Promise<string | undefined> {
    return (await this.#row("SELECT value FROM kv WHERE firm_id = $1 AND key = $2", key))?.value;
  }

  async pendingOperations(): Promise<OutboxOperation[]> {
    return (
      await this.#rows(
        `SELECT * FROM outbox WHERE firm_id = $1 AND state = 'pending' ORDER BY seq, request_id`,
      )
    ).map(toOperation);
  }

  async getOperation(requestId: string): Promise<OutboxOperation | undefined> {
    const row = await this.#row("SELECT * FROM outbox WHERE firm_id = $1 AND request_id = $2", requestId);
    return row && toOperation(row);
  }

  async listIssues(filter: IssueFilter = {}): Promise<SyncIssue[]> {
    const where = ["firm_id = $1"];
    const params: unknown[] = [];
    for (const column of ["state", "code", "key"] as const) {
      const value = filter[column];
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length + 1}`);
    }
    return (await this.#rows(`SELECT * FROM issues WHERE ${where.join(" AND ")} ORDER BY id`, ...params)).map(
      toIssue,
    );
  }

  async getIssue(id: number): Promise<SyncIssue | undefined> {
    const row = await this.#row("SELECT * FROM issues WHERE firm_id = $1 AND id = $2", id);
    return row && toIssue(row);
  }

  async requestRetry(filter: { id?: number; code?: string }): Promise<number> {
    if (filter.id !== undefined)
      return this.#run(
        "UPDATE issues SET retry_requested = TRUE WHERE firm_id = $1 AND id = $2 AND state = 'open'",
        filter.id,
      );
    if (filter.code !== undefined)
      return this.#run(
        "UPDATE issues SET retry_requested = TRUE WHERE firm_id = $1 AND code = $2 AND state = 'open'",
        filter.code,
      );
    return 0;
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const params: unknown[] = [filter.afterSeq ?? 0];
    const where = ["firm_id = $1", "seq > $2"];
    const narrow = (condition: (n: string) => string, value: number | string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(condition(`$${params.length + 1}`));
    };
    narrow((n) => `seq < ${n}`, filter.beforeSeq);
    narrow((n) => `at >= ${n}`, filter.fromAt);
    narrow((n) => `at < ${n}`, filter.toAt);
    // A transfer's key holds both transaction ids: `transfer:<from>-<to>`.
    narrow(
      (n) => `(clio_id = ${n} OR qbo_id = ${n} OR clio_id = 'tx:' || ${n}
        OR (clio_id LIKE 'transfer:%' AND position('-' || ${n} || '-' in '-' || substr(clio_id, 10) || '-') > 0))`,
      filter.recordId,
    );
    params.push(filter.limit ?? 1_000_000);
    const order = filter.newestFirst ? "DESC" : "ASC";
    return (
      await this.#rows(
        `SELECT * FROM audit WHERE ${where.join(" AND ")} ORDER BY seq ${order} LIMIT $${params.length + 1}`,
        ...params,
      )
    ).map(toAudit);
  }

  async proposeMatch(p: MatchProposal): Promise<void> {
    await this.#run(
      `INSERT INTO matches (firm_id, clio_id, qbo_id, reason, state, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (firm_id, clio_id) DO UPDATE SET qbo_id = excluded.qbo_id, reason = excluded.reason
       WHERE matches.state = 'proposed'`,
      p.clioId,
      p.qboId,
      p.reason,
      p.state,
      p.createdAt,
    );
  }

  async listMatches(state?: MatchProposal["state"]): Promise<MatchProposal[]> {
    const rows = state
      ? await this.#rows("SELECT * FROM matches WHERE firm_id = $1 AND state = $2 ORDER BY clio_id", state)
      : await this.#rows("SELECT * FROM matches WHERE firm_id = $1 ORDER BY clio_id");
    return rows.map(toMatch);
  }

  async decideMatch(
    clioId: string,
    decision: "accepted" | "rejected",
    _at: number,
  ): Promise<MatchProposal | undefined> {
    await this.#run(
      "UPDATE matches SET state = $2 WHERE firm_id = $1 AND clio_id = $3 AND state = 'proposed'",
      decision,
      clioId,
    );
    const row = await this.#row("SELECT * FROM matches WHERE firm_id = $1 AND clio_id = $2", clioId);
    return row && toMatch(row);
  }

  async setWebPassword(user: string, passwordHash: string, at: number): Promise<void> {
    await this.#transaction(async (run) => {
      await run(
        `INSERT INTO web_users (firm_id, name, password_hash, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (firm_id, name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
        user,
        passwordHash,
        at,
      );
      await run("DELETE FROM web_sessions WHERE firm_id = $1 AND user_name = $2", user);
    });
  }

  async getWebPassword(user: string): Promise<string | undefined> {
    return (await this.#row("SELECT password_hash FROM web_users WHERE firm_id = $1 AND name = $2", user))
      ?.password_hash;
  }

  async createWebSession(session: WebSession): Promise<void> {
    await this.#transaction(async (run) => {
      await run("DELETE FROM web_sessions WHERE firm_id = $1 AND expires_at <= $2", session.createdAt);
      await run(
        `INSERT INTO web_sessions (firm_id, id_hash, user_name, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        session.idHash,
        session.user,
        session.csrfToken,
        session.createdAt,
        session.expiresAt,
      );
    });
  }

  async getWebSession(idHash: string, now: number): Promise<WebSession | undefined> {
    const row = await this.#row(
      "SELECT * FROM web_sessions WHERE firm_id = $1 AND id_hash = $2 AND expires_at > $3",
      idHash,
      now,
    );
    return row && toWebSession(row);
  }

  async deleteWebSession(idHash: string): Promise<void> {
    await this.#run("DELETE FROM web_sessions WHERE firm_id = $1 AND id_hash = $2", idHash);
  }

  async claimWebhookDelivery(fingerprint: string, at: number, expiresAt: number): Promise<boolean> {
    // Two deliveries of one fingerprint at once: the second INSERT waits for the first's
    // transaction and then does nothing, so exactly one of them is told it is new.
    return this.#transaction(async (run) => {
      await run("DELETE FROM webhook_deliveries WHERE firm_id = $1 AND expires_at <= $2", at);
      const inserted = await run(
        `INSERT INTO webhook_deliveries (firm_id, fingerprint, received_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (firm_id, fingerprint) DO NOTHING`,
        fingerprint,
        at,
        expiresAt,
      );
      return inserted === 1;
    });
  }

  async getMirror<K extends MirrorKind>(kind: K, id: string): Promise<MirrorRecord<K> | undefined> {
    const row = await this.#row(
      "SELECT * FROM mirror WHERE firm_id = $1 AND kind = $2 AND id = $3",
      kind,
      id,
    );
    return row && toMirror(kind, row);
  }

  async listMirror<K extends MirrorKind>(
    kind: K,
    options: { dirtyOnly?: boolean; afterId?: string; limit?: number } = {},
  ): Promise<MirrorRecord<K>[]> {
    const after = options.afterId === undefined ? -1 : sortKey(options.afterId);
    const dirty = options.dirtyOnly ? "AND dirty" : "";
    return (
      await this.#rows(
        `SELECT * FROM mirror WHERE firm_id = $1 AND kind = $2 ${dirty} AND sort_key > $3
         ORDER BY sort_key, id LIMIT $4`,
        kind,
        after,
        options.limit ?? 1_000_000,
      )
    ).map((r) => toMirror(kind, r));
  }

  async listMirrorByParent<K extends MirrorKind>(kind: K, parentId: string): Promise<MirrorRecord<K>[]> {
    return (
      await this.#rows(
        "SELECT * FROM mirror WHERE firm_id = $1 AND kind = $2 AND parent_id = $3 ORDER BY sort_key, id",
        kind,
        parentId,
      )
    ).map((r) => toMirror(kind, r));
  }

  async listMirrorByBill<K extends MirrorKind>(kind: K, billId: string): Promise<MirrorRecord<K>[]> {
    return (
      await this.#rows(
        "SELECT * FROM mirror WHERE firm_id = $1 AND kind = $2 AND bill_id = $3 ORDER BY sort_key, id",
        kind,
        billId,
      )
    ).map((r) => toMirror(kind, r));
  }

  async countMirror(kind: MirrorKind, options: { dirtyOnly?: boolean } = {}): Promise<number> {
    const dirty = options.dirtyOnly ? "AND dirty" : "";
    return Number(
      (await this.#row(`SELECT COUNT(*) AS n FROM mirror WHERE firm_id = $1 AND kind = $2 ${dirty}`, kind))
        ?.n ?? 0,
    );
  }

  /**
   * The copy is this firm's rows under a firm id of its own, in the same tables: as independent
   * as another firm, and removed when it is closed.
   */
  async scratchCopy(): Promise<Store> {
    const scratch = scratchFirmId(this.#firm);
    await copyFirmRows(this.#pool, this.#firm, scratch);
    return new PostgresStore(this.#pool, scratch, () => deleteFirmRows(this.#pool, scratch));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#onClose();
  }
}
