import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { ensurePrivateDatabase, ensurePrivateDir } from "../../core/private-files.ts";
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
import {
  auditValues,
  issueValues,
  linkValues,
  mirrorValues,
  outboxValues,
  sortKey,
  toAudit,
  toIssue,
  toLink,
  toMatch,
  toMirror,
  toOperation,
  toWebSession,
} from "../rows.ts";
import { sqliteMigrations } from "./migrations.ts";

type Row = Record<string, SQLInputValue>;

/**
 * The embedded store: one SQLite file through `node:sqlite` (no native addon, nothing to set up).
 * WAL mode keeps readers (the dashboard) from blocking the sync; every `commit` is one
 * transaction, so a process killed mid-way leaves either all of a unit or none of it.
 */
export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  /** Statements are prepared once: the engine runs the same few queries hundreds of thousands of times. */
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string) {
    if (path !== ":memory:") {
      ensurePrivateDir(dirname(path));
      ensurePrivateDatabase(path);
    }
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    this.#migrate();
  }

  #migrate(): void {
    const version = Number((this.#db.prepare("PRAGMA user_version").get() as Row).user_version);
    sqliteMigrations.slice(version).forEach((sql, index) => {
      this.#transaction(() => {
        this.#db.exec(sql);
        this.#db.exec(`PRAGMA user_version = ${version + index + 1}`);
      });
    });
  }

  #transaction(fn: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      fn();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }

  #get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  #run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.#statement(sql).run(...params).changes);
  }

  async commit(unit: WriteUnit, at: number): Promise<void> {
    this.#transaction(() => {
      for (const l of unit.links ?? []) {
        this.#run(
          `INSERT INTO links (entity, clio_id, qbo_id, sync_token, state, content_hash, qbo_edited_at, baseline, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (entity, clio_id) DO UPDATE SET qbo_id = excluded.qbo_id, sync_token = excluded.sync_token,
             state = excluded.state, content_hash = excluded.content_hash, qbo_edited_at = excluded.qbo_edited_at,
             baseline = excluded.baseline, updated_at = excluded.updated_at`,
          ...linkValues(l),
        );
      }
      for (const d of unit.deleteLinks ?? [])
        this.#run("DELETE FROM links WHERE entity = ? AND clio_id = ?", d.entity, d.clioId);
      for (const op of unit.outboxAdd ?? []) {
        this.#run(
          `INSERT INTO outbox (request_id, batch_id, entity, clio_id, action, payload, seq, state, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (request_id) DO UPDATE SET batch_id = COALESCE(excluded.batch_id, outbox.batch_id)`,
          ...outboxValues(op, at),
        );
      }
      for (const id of unit.outboxDone ?? [])
        this.#run("UPDATE outbox SET state = 'done', updated_at = ? WHERE request_id = ?", at, id);
      for (const id of unit.outboxFailed ?? [])
        this.#run("UPDATE outbox SET state = 'failed', updated_at = ? WHERE request_id = ?", at, id);
      for (const issue of unit.issues ?? []) {
        this.#run(
          `INSERT INTO issues (key, code, message, entity, clio_id, qbo_id, clio_name, qbo_name, provider_code, details,
             blocked_by, state, first_seen, last_seen, attempts, retry_requested)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, 1, 0)
           ON CONFLICT (key) DO UPDATE SET code = excluded.code, message = excluded.message, qbo_id = excluded.qbo_id,
             clio_name = excluded.clio_name, qbo_name = excluded.qbo_name, provider_code = excluded.provider_code,
             details = excluded.details, blocked_by = excluded.blocked_by, last_seen = excluded.last_seen, retry_requested = 0,
             attempts = CASE WHEN issues.state = 'open' THEN issues.attempts + 1 ELSE 1 END,
             first_seen = CASE WHEN issues.state = 'open' THEN issues.first_seen ELSE excluded.first_seen END,
             state = 'open'`,
          ...issueValues(issue),
          at,
          at,
        );
      }
      for (const key of unit.resolveIssues ?? []) {
        this.#run(
          "UPDATE issues SET state = 'resolved', last_seen = ?, retry_requested = 0 WHERE key = ? AND state = 'open'",
          at,
          key,
        );
      }
      for (const a of unit.audit ?? []) {
        this.#run(
          `INSERT INTO audit (at, run_id, request_id, entity, action, clio_id, qbo_id, before, after, outcome, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ...auditValues(a),
        );
      }
      for (const [stream, value] of Object.entries(unit.cursors ?? {})) {
        this.#run(
          "INSERT INTO cursors (stream, value) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET value = excluded.value",
          stream,
          value,
        );
      }
      for (const m of unit.mirror ?? []) {
        this.#run(
          `INSERT INTO mirror (kind, id, sort_key, parent_id, bill_id, etag, data, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, 1)
           ON CONFLICT (kind, id) DO UPDATE SET parent_id = excluded.parent_id, bill_id = excluded.bill_id,
             etag = excluded.etag, data = excluded.data,
             dirty = CASE WHEN mirror.etag = excluded.etag AND ? = 0 THEN mirror.dirty ELSE 1 END`,
          ...mirrorValues(m),
          m.forceDirty ? 1 : 0,
        );
      }
      for (const m of unit.mirrorClean ?? [])
        this.#run("UPDATE mirror SET dirty = 0 WHERE kind = ? AND id = ?", m.kind, m.id);
      for (const m of unit.mirrorDirty ?? [])
        this.#run("UPDATE mirror SET dirty = 1 WHERE kind = ? AND id = ?", m.kind, m.id);
      for (const [key, value] of Object.entries(unit.kv ?? {})) {
        this.#run(
          "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          key,
          value,
        );
      }
      for (const key of unit.kvDelete ?? []) this.#run("DELETE FROM kv WHERE key = ?", key);
    });
  }

  async getLink(entity: EntityKind, clioId: string): Promise<Link | undefined> {
    const row = this.#get("SELECT * FROM links WHERE entity = ? AND clio_id = ?", entity, clioId);
    return row && toLink(row);
  }

  async getLinkByQboId(entity: EntityKind, qboId: string): Promise<Link | undefined> {
    const row = this.#get("SELECT * FROM links WHERE entity = ? AND qbo_id = ?", entity, qboId);
    return row && toLink(row);
  }

  async listLinks(entity: EntityKind): Promise<Link[]> {
    return this.#all("SELECT * FROM links WHERE entity = ? ORDER BY clio_id", entity).map(toLink);
  }

  async getCursor(stream: string): Promise<string | undefined> {
    return this.#get("SELECT value FROM cursors WHERE stream = ?", stream)?.value as string | undefined;
  }

  async getKv(key: string): Promise<string | undefined> {
    return this.#get("SELECT value FROM kv WHERE key = ?", key)?.value as string | undefined;
  }

  async pendingOperations(): Promise<OutboxOperation[]> {
    return this.#all("SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq, request_id").map(
      toOperation,
    );
  }

  async getOperation(requestId: string): Promise<OutboxOperation | undefined> {
    const row = this.#get("SELECT * FROM outbox WHERE request_id = ?", requestId);
    return row && toOperation(row);
  }

  async listIssues(filter: IssueFilter = {}): Promise<SyncIssue[]> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (filter.state) where.push("state = ?") && params.push(filter.state);
    if (filter.code) where.push("code = ?") && params.push(filter.code);
    if (filter.key) where.push("key = ?") && params.push(filter.key);
    const sql = `SELECT * FROM issues ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
    return this.#all(sql, ...params).map(toIssue);
  }

  async getIssue(id: number): Promise<SyncIssue | undefined> {
    const row = this.#get("SELECT * FROM issues WHERE id = ?", id);
    return row && toIssue(row);
  }

  async requestRetry(filter: { id?: number; code?: string }): Promise<number> {
    if (filter.id !== undefined)
      return this.#run("UPDATE issues SET retry_requested = 1 WHERE id = ? AND state = 'open'", filter.id);
    if (filter.code !== undefined)
      return this.#run(
        "UPDATE issues SET retry_requested = 1 WHERE code = ? AND state = 'open'",
        filter.code,
      );
    return 0;
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where = ["seq > ?"];
    const params: SQLInputValue[] = [filter.afterSeq ?? 0];
    const narrow = (condition: string, value: number | undefined) => {
      if (value === undefined) return;
      where.push(condition);
      params.push(value);
    };
    narrow("seq < ?", filter.beforeSeq);
    narrow("at >= ?", filter.fromAt);
    narrow("at < ?", filter.toAt);
    if (filter.recordId !== undefined) {
      // A transfer's key holds both transaction ids: `transfer:<from>-<to>`.
      where.push(`(clio_id = ? OR qbo_id = ? OR clio_id = 'tx:' || ?
        OR (clio_id LIKE 'transfer:%' AND instr('-' || substr(clio_id, 10) || '-', '-' || ? || '-') > 0))`);
      params.push(...Array<string>(4).fill(filter.recordId));
    }
    const order = filter.newestFirst ? "DESC" : "ASC";
    return this.#all(
      `SELECT * FROM audit WHERE ${where.join(" AND ")} ORDER BY seq ${order} LIMIT ?`,
      ...params,
      filter.limit ?? 1_000_000,
    ).map(toAudit);
  }

  async proposeMatch(p: MatchProposal): Promise<void> {
    this.#run(
      `INSERT INTO matches (clio_id, qbo_id, reason, state, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (clio_id) DO UPDATE SET qbo_id = excluded.qbo_id, reason = excluded.reason
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
      ? this.#all("SELECT * FROM matches WHERE state = ? ORDER BY clio_id", state)
      : this.#all("SELECT * FROM matches ORDER BY clio_id");
    return rows.map(toMatch);
  }

  async decideMatch(
    clioId: string,
    decision: "accepted" | "rejected",
    _at: number,
  ): Promise<MatchProposal | undefined> {
    this.#run("UPDATE matches SET state = ? WHERE clio_id = ? AND state = 'proposed'", decision, clioId);
    const row = this.#get("SELECT * FROM matches WHERE clio_id = ?", clioId);
    return row && toMatch(row);
  }

  async setWebPassword(user: string, passwordHash: string, at: number): Promise<void> {
    this.#transaction(() => {
      this.#run(
        `INSERT INTO web_users (name, password_hash, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
        user,
        passwordHash,
        at,
      );
      this.#run("DELETE FROM web_sessions WHERE user_name = ?", user);
    });
  }

  async getWebPassword(user: string): Promise<string | undefined> {
    return this.#get("SELECT password_hash FROM web_users WHERE name = ?", user)?.password_hash as
      | string
      | undefined;
  }

  async createWebSession(session: WebSession): Promise<void> {
    this.#transaction(() => {
      this.#run("DELETE FROM web_sessions WHERE expires_at <= ?", session.createdAt);
      this.#run(
        `INSERT INTO web_sessions (id_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
        session.idHash,
        session.user,
        session.csrfToken,
        session.createdAt,
        session.expiresAt,
      );
    });
  }

  async getWebSession(idHash: string, now: number): Promise<WebSession | undefined> {
    const row = this.#get("SELECT * FROM web_sessions WHERE id_hash = ? AND expires_at > ?", idHash, now);
    return row && toWebSession(row);
  }

  async deleteWebSession(idHash: string): Promise<void> {
    this.#run("DELETE FROM web_sessions WHERE id_hash = ?", idHash);
  }

  async claimWebhookDelivery(fingerprint: string, at: number, expiresAt: number): Promise<boolean> {
    let claimed = false;
    this.#transaction(() => {
      this.#run("DELETE FROM webhook_deliveries WHERE expires_at <= ?", at);
      claimed =
        this.#run(
          "INSERT INTO webhook_deliveries (fingerprint, received_at, expires_at) VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING",
          fingerprint,
          at,
          expiresAt,
        ) === 1;
    });
    return claimed;
  }

  async getMirror<K extends MirrorKind>(kind: K, id: string): Promise<MirrorRecord<K> | undefined> {
    const row = this.#get("SELECT * FROM mirror WHERE kind = ? AND id = ?", kind, id);
    return row && toMirror(kind, row);
  }

  async listMirror<K extends MirrorKind>(
    kind: K,
    options: { dirtyOnly?: boolean; afterId?: string; limit?: number } = {},
  ): Promise<MirrorRecord<K>[]> {
    const after = options.afterId === undefined ? -1 : sortKey(options.afterId);
    const dirty = options.dirtyOnly ? "AND dirty = 1" : "";
    return this.#all(
      `SELECT * FROM mirror WHERE kind = ? ${dirty} AND sort_key > ? ORDER BY sort_key, id LIMIT ?`,
      kind,
      after,
      options.limit ?? 1_000_000,
    ).map((r) => toMirror(kind, r));
  }

  async listMirrorByParent<K extends MirrorKind>(kind: K, parentId: string): Promise<MirrorRecord<K>[]> {
    return this.#all(
      "SELECT * FROM mirror WHERE kind = ? AND parent_id = ? ORDER BY sort_key, id",
      kind,
      parentId,
    ).map((r) => toMirror(kind, r));
  }

  async listMirrorByBill<K extends MirrorKind>(kind: K, billId: string): Promise<MirrorRecord<K>[]> {
    return this.#all(
      "SELECT * FROM mirror WHERE kind = ? AND bill_id = ? ORDER BY sort_key, id",
      kind,
      billId,
    ).map((r) => toMirror(kind, r));
  }

  async countMirror(kind: MirrorKind, options: { dirtyOnly?: boolean } = {}): Promise<number> {
    const dirty = options.dirtyOnly ? "AND dirty = 1" : "";
    return Number(this.#get(`SELECT COUNT(*) AS n FROM mirror WHERE kind = ? ${dirty}`, kind)?.n ?? 0);
  }

  async scratchCopy(): Promise<Store> {
    const dir = mkdtempSync(join(tmpdir(), "lexbridge-scratch-"));
    const path = join(dir, "copy.db");
    // VACUUM INTO writes a consistent copy of the database as of now, WAL included.
    this.#db.prepare("VACUUM INTO ?").run(path);
    const copy = new SqliteStore(path);
    const close = copy.close.bind(copy);
    copy.close = async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    };
    return copy;
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
