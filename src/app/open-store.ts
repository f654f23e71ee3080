import { join } from "node:path";
import type { Config } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import { atStorageEdge, databaseFailure } from "../core/system-errors.ts";
import type { Store } from "../store/port.ts";
import { tryFirmLock } from "../store/postgres/firm-lock.ts";
import { FirmRegistry } from "../store/postgres/firm-registry.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { PostgresStore } from "../store/postgres/postgres-store.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { firmConfig } from "./firm-settings.ts";

/**
 * The firm a single-firm installation keeps its data under in PostgreSQL: commands without
 * --firm use it as long as the database holds no firms (`lexbridge firms add`).
 */
export const DEFAULT_FIRM_ID = "default";

/** A firm's store and the configuration to use with it (the firm's settings laid over the installation's). */
export interface FirmStore {
  store: Store;
  config: Config;
}

/**
 * The store a configuration names: the embedded SQLite file in the data directory (the default);
 * with databaseUrl, one firm's rows in that PostgreSQL database (brought to the current schema on
 * opening): the firm --firm names, or the firm 'default' while the database holds no firms.
 * `exclusive` (passes, connecting) also takes the firm's lock for as long as the store is open:
 * a worker's job or another command working on the firm makes it `firm_busy`.
 */
export async function openFirmStore(
  config: Config,
  options: { exclusive?: boolean } = {},
): Promise<FirmStore> {
  if (!config.databaseUrl) {
    if (config.firm) throw firmsNeedDatabase("--firm");
    const path = join(config.dataDir, "lexbridge.db");
    return { store: atStorageEdge(path, () => new SqliteStore(path)), config };
  }
  const database = await openDatabase(config.databaseUrl);
  try {
    const registry = new FirmRegistry(database.pool);
    const close = () => database.close();
    if (!config.firm) {
      const firms = await registry.list();
      if (firms.length > 0)
        throw new LexError(
          "firm_required",
          `This database holds firms (${firms.map((f) => f.id).join(", ")}): name one with --firm`,
        );
      return { store: new PostgresStore(database.pool, DEFAULT_FIRM_ID, close), config };
    }
    const firm = await registry.get(config.firm);
    if (!firm) throw firmUnknown(config.firm);
    if (!options.exclusive)
      return { store: new PostgresStore(database.pool, firm.id, close), config: firmConfig(config, firm) };
    const lock = await tryFirmLock(database.pool, firm.id);
    if (!lock) throw firmBusy(firm.id);
    const unlockAndClose = async () => {
      await lock.release();
      await close();
    };
    return {
      store: new PostgresStore(database.pool, firm.id, unlockAndClose),
      config: firmConfig(config, firm),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function openStore(config: Config): Promise<Store> {
  return (await openFirmStore(config)).store;
}

/** The PostgreSQL database at a URL, its failures as the coded error that names the URL. */
export async function openDatabase(url: string, maxConnections?: number): Promise<PostgresDatabase> {
  try {
    return await PostgresDatabase.open({ url, ...(maxConnections ? { maxConnections } : {}) });
  } catch (error) {
    throw databaseFailure(error, withoutPassword(url)) ?? error;
  }
}

export function firmsNeedDatabase(what: string): LexError {
  return new LexError(
    "firms_need_database",
    `${what} works in scale mode only: give the PostgreSQL database with --database-url (or DATABASE_URL)`,
  );
}

export function firmBusy(id: string): LexError {
  return new LexError(
    "firm_busy",
    `Another process (a worker's job or a command) is working on the firm "${id}"`,
  );
}

export function firmUnknown(id: string): LexError {
  return new LexError("firm_unknown", `No firm has the id "${id}" in this database`);
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
