import type { Pool, PoolClient } from "pg";

/**
 * Runs `fn` inside BEGIN … COMMIT on one connection taken from the pool (a transaction belongs to
 * a connection; statements sent through the pool itself could land on any). On a failure the
 * transaction is rolled back; a connection whose ROLLBACK fails too is discarded, not reused.
 */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  begin = "BEGIN",
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    const broken = await client.query("ROLLBACK").then(
      () => undefined,
      (rollbackError: unknown) => rollbackError,
    );
    client.release(broken instanceof Error ? broken : undefined);
    throw error;
  }
}
