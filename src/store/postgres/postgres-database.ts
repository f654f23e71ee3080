import pg from "pg";
import { migratePostgres } from "./migrate.ts";
import { PostgresStore } from "./postgres-store.ts";

export interface PostgresOptions {
  /** A libpq URL, e.g. postgres://lexbridge@db.internal:5432/lexbridge. */
  url: string;
  /** The schema that holds lexbridge's tables (tests use one each); default: the server's search_path. */
  schema?: string;
  /** Connections this process may hold at most (the pool's size). */
  maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One PostgreSQL database (or one schema of it) holding many firms: a connection pool, brought
 * to the current schema when opened, that hands out one store per firm. A process serving many
 * firms (a worker) opens it once and shares its pool between the firms' stores.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  static async open(options: PostgresOptions): Promise<PostgresDatabase> {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
      throw new Error(`not a plain schema name: ${options.schema}`);
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      // A server that does not answer fails the command in seconds, not after TCP's minutes.
      connectionTimeoutMillis: 10_000,
      // Idle pooled connections do not keep a finished command's process alive.
      allowExitOnIdle: true,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // A pooled connection that drops while idle (a server restart) is an event, not a crash: the
    // pool discards it and the next query opens a new one.
    pool.on("error", () => {});
    // The same for a connection that drops while checked out: the query on it fails (and is
    // reported there), the event does not crash the process. graphile-worker asks for this too.
    pool.on("connect", (client) => client.on("error", () => {}));
    const database = new PostgresDatabase(pool);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
  }

  /** The store of one firm; closing it leaves the pool to the database. */
  storeFor(firmId: string): PostgresStore {
    return new PostgresStore(this.pool, firmId);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** One firm's store on a database of its own opening: closing the store closes the pool too. */
export async function openPostgresStore(
  options: PostgresOptions & { firmId: string },
): Promise<PostgresStore> {
  const database = await PostgresDatabase.open(options);
  return new PostgresStore(database.pool, options.firmId, () => database.close());
}
