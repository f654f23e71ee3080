import { join } from "node:path";
import type { Config } from "../core/config.ts";
import { atStorageEdge, databaseFailure } from "../core/system-errors.ts";
import type { Store } from "../store/port.ts";
import { openPostgresStore } from "../store/postgres/postgres-database.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";

/**
 * The firm a single-firm installation keeps its data under in PostgreSQL. Choosing among many
 * firms (`lexbridge firms …`) is not built yet; until it is, every command works on this one.
 */
export const DEFAULT_FIRM_ID = "default";

/**
 * The store a configuration names: the embedded SQLite file in the data directory (the default),
 * or, with databaseUrl, the default firm's rows in that PostgreSQL database (brought to the
 * current schema on opening).
 */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    try {
      return await openPostgresStore({ url, firmId: DEFAULT_FIRM_ID });
    } catch (error) {
      throw databaseFailure(error, withoutPassword(url)) ?? error;
    }
  }
  const path = join(config.dataDir, "lexbridge.db");
  return atStorageEdge(path, () => new SqliteStore(path));
}

/** The URL as it may be shown and logged: its password replaced. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(databaseUrl, not a URL)";
  }
}
