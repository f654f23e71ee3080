import type { Pool } from "pg";
import type { Store, WebSession } from "../port.ts";
import { toWebSession } from "../rows.ts";
import { inTransaction } from "./transaction.ts";

/** What the login and the sessions need of a store (a firm's store in embedded mode, DashboardUsers in scale mode). */
export type WebAccounts = Pick<
  Store,
  "setWebPassword" | "getWebPassword" | "createWebSession" | "getWebSession" | "deleteWebSession"
>;

/** A dashboard user of a scale-mode installation: an integrator's admin (every firm) or one firm's user. */
export interface DashboardUser {
  name: string;
  /** undefined: an integrator's admin, who sees every firm. */
  firmId?: string;
  updatedAt: number;
}

type UserRow = { name: string; firm_id: string | null; updated_at: string };
const toUser = (r: UserRow): DashboardUser => ({
  name: r.name,
  ...(r.firm_id === null ? {} : { firmId: r.firm_id }),
  updatedAt: Number(r.updated_at),
});

/**
 * Scale mode's dashboard accounts (dashboard_users, dashboard_sessions): the installation's, since
 * one login may see many firms. A user's role is its firm: none for an integrator's admin.
 * Changing a password or removing a user ends the user's sessions, as in embedded mode.
 */
export class DashboardUsers implements WebAccounts {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Adds a user; false when the name is taken (nothing changes then). */
  async add(user: { name: string; firmId?: string }, passwordHash: string, at: number): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO dashboard_users (name, firm_id, password_hash, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING`,
      [user.name, user.firmId ?? null, passwordHash, at],
    );
    return result.rowCount === 1;
  }

  async get(name: string): Promise<DashboardUser | undefined> {
    const result = await this.#pool.query<UserRow>(
      "SELECT name, firm_id, updated_at FROM dashboard_users WHERE name = $1",
      [name],
    );
    return result.rows[0] && toUser(result.rows[0]);
  }

  async list(): Promise<DashboardUser[]> {
    const result = await this.#pool.query<UserRow>(
      "SELECT name, firm_id, updated_at FROM dashboard_users ORDER BY firm_id NULLS FIRST, name",
    );
    return result.rows.map(toUser);
  }

  /** Removes a user and ends its sessions; false when there was no such user. */
  async remove(name: string): Promise<boolean> {
    return inTransaction(this.#pool, async (client) => {
      await client.query("DELETE FROM dashboard_sessions WHERE user_name = $1", [name]);
      const result = await client.query("DELETE FROM dashboard_users WHERE name = $1", [name]);
      return result.rowCount === 1;
    });
  }

  /** Changes an existing user's password (a new name becomes an integrator's admin) and ends its sessions. */
  async setWebPassword(user: string, passwordHash: string, at: number): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await client.query(
        `INSERT INTO dashboard_users (name, firm_id, password_hash, updated_at) VALUES ($1, NULL, $2, $3)
         ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
        [user, passwordHash, at],
      );
      await client.query("DELETE FROM dashboard_sessions WHERE user_name = $1", [user]);
    });
  }

  async getWebPassword(user: string): Promise<string | undefined> {
    const result = await this.#pool.query<{ password_hash: string }>(
      "SELECT password_hash FROM dashboard_users WHERE name = $1",
      [user],
    );
    return result.rows[0]?.password_hash;
  }

  async createWebSession(session: WebSession): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await client.query("DELETE FROM dashboard_sessions WHERE expires_at <= $1", [session.createdAt]);
      await client.query(
        `INSERT INTO dashboard_sessions (id_hash, user_name, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [session.idHash, session.user, session.csrfToken, session.createdAt, session.expiresAt],
      );
    });
  }

  async getWebSession(idHash: string, now: number): Promise<WebSession | undefined> {
    const result = await this.#pool.query(
      "SELECT * FROM dashboard_sessions WHERE id_hash = $1 AND expires_at > $2",
      [idHash, now],
    );
    return result.rows[0] && toWebSession(result.rows[0]);
  }

  async deleteWebSession(idHash: string): Promise<void> {
    await this.#pool.query("DELETE FROM dashboard_sessions WHERE id_hash = $1", [idHash]);
  }
}
