import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { inTransaction } from "./transaction.ts";

/**
 * Every table that holds a firm's data, keyed by firm_id: all but the installation's own
 * (schema_migrations, firms — the list itself — and worker_processes).
 */
export const FIRM_TABLES = [
  "links",
  "outbox",
  "cursors",
  "kv",
  "issues",
  "audit",
  "matches",
  "mirror",
  "web_users",
  "web_sessions",
  "webhook_deliveries",
  "job_log",
] as const;

/** A firm id for a dry run's copy of `firmId`, never one a real firm is given. */
export function scratchFirmId(firmId: string): string {
  return `${firmId}#scratch-${randomUUID()}`;
}

/**
 * Copies every row of one firm to another firm id, as of one moment (a REPEATABLE READ
 * snapshot, so a pass committing meanwhile is in the copy wholly or not at all). Rows keep their
 * issue ids and audit sequence numbers: those come from one sequence per table, so the copy's and
 * the original's later rows never collide.
 */
export async function copyFirmRows(pool: Pool, from: string, to: string): Promise<void> {
  await inTransaction(
    pool,
    async (client) => {
      for (const table of FIRM_TABLES) {
        const columns = (await dataColumns(client, table)).map((c) => `"${c}"`).join(", ");
        await client.query(
          `INSERT INTO ${table} (firm_id, ${columns}) SELECT $2, ${columns} FROM ${table} WHERE firm_id = $1`,
          [from, to],
        );
      }
    },
    "BEGIN ISOLATION LEVEL REPEATABLE READ",
  );
}

/** Removes every row of a firm, in one transaction: its data, its dashboard users and its webhook routes. */
export async function deleteFirmRows(pool: Pool, firmId: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const table of FIRM_TABLES) await client.query(`DELETE FROM ${table} WHERE firm_id = $1`, [firmId]);
    // The installation's tables that name the firm (not copied to a dry run's scratch firm).
    await client.query(
      "DELETE FROM dashboard_sessions WHERE user_name IN (SELECT name FROM dashboard_users WHERE firm_id = $1)",
      [firmId],
    );
    await client.query("DELETE FROM dashboard_users WHERE firm_id = $1", [firmId]);
    await client.query("DELETE FROM webhook_routes WHERE firm_id = $1", [firmId]);
  });
}

/** A table's columns other than firm_id, as the current schema has them (later migrations add some). */
async function dataColumns(client: PoolClient, table: string): Promise<string[]> {
  const result = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'firm_id'
     ORDER BY ordinal_position`,
    [table],
  );
  return result.rows.map((r) => r.column_name);
}
