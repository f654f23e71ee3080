import type { Pool } from "pg";

/** A firm's lock, held until released (or until its process dies and the server ends its session). */
export interface FirmLock {
  release(): Promise<void>;
}

/**
 * Takes the firm's advisory lock, or answers undefined when another session holds it: one pass,
 * connect or worker job per firm at a time, on whichever machine. It is a session lock on a
 * connection of its own, so a process killed outright lets go of it as the server sees the
 * connection close. Keyed by the schema too, so tests in other schemas never meet.
 */
export async function tryFirmLock(pool: Pool, firmId: string): Promise<FirmLock | undefined> {
  const client = await pool.connect();
  try {
    const taken = await client.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('lexbridge.firm:' || current_schema()), hashtext($1)) AS ok",
      [firmId],
    );
    if (!taken.rows[0]!.ok) {
      client.release();
      return undefined;
    }
  } catch (error) {
    client.release(error instanceof Error ? error : undefined);
    throw error;
  }
  return {
    release: async () => {
      try {
        await client.query(
          "SELECT pg_advisory_unlock(hashtext('lexbridge.firm:' || current_schema()), hashtext($1))",
          [firmId],
        );
        client.release();
      } catch (error) {
        // A connection that cannot unlock is closed, which unlocks.
        client.release(error instanceof Error ? error : true);
      }
    },
  };
}
