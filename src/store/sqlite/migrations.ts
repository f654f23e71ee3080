import { readMigrationFiles } from "../migration-files.ts";

/**
 * SQLite schema, as numbered SQL files in ./migrations (001_init.sql, …) applied in order inside
 * one transaction each. `PRAGMA user_version` records how far a database file has come: file N is
 * user_version N, so the numbering of these files never changes once released.
 */
export const sqliteMigrations: string[] = readMigrationFiles(new URL("./migrations/", import.meta.url)).map(
  (migration) => migration.sql,
);
