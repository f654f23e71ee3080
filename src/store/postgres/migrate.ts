import type { Pool, PoolClient } from "pg";
import { type MigrationFile, readMigrationFiles } from "../migration-files.ts";
import { inTransaction } from "./transaction.ts";

/** The PostgreSQL schema, as numbered files in ./migrations (001_init.sql, …). */
export const postgresMigrations: MigrationFile[] = readMigrationFiles(
  new URL("./migrations/", import.meta.url),
);

/**
 * Brings the database's current schema (the connection's search_path) up to date: each missing
 * migration runs in its own transaction together with its row in schema_migrations, so a failed
 * one leaves the schema as the one before it. An advisory lock per schema makes processes that
 * start together (several workers) take turns: the first applies, the others find it applied.
 * schema_migrations is the installation's, not a firm's: it has no firm_id.
 */
export async function migratePostgres(pool: Pool, migrations = postgresMigrations): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    await inTransaction(pool, async (client) => {
      await lockSchema(client);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY,
           name TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const done = await client.query("SELECT 1 FROM schema_migrations WHERE version = $1", [
        migration.version,
      ]);
      if (done.rowCount !== 0) return;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    });
  }
  return applied;
}

/** Held until the transaction ends; keyed by the schema's name, so tests in other schemas do not wait. */
async function lockSchema(client: PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('lexbridge.migrate:' || current_schema()))");
}
