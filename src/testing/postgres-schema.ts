import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The test server: PostgreSQL on 127.0.0.1:5432 with trust auth and a database `test` (.ci/run
 * starts it when it is down). LEXBRIDGE_TEST_DATABASE_URL points the tests elsewhere.
 */
export const testDatabaseUrl =
  process.env.LEXBRIDGE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema of its own for one test, so tests running at once never see each other's tables. */
export interface TestSchema {
  name: string;
  drop(): Promise<void>;
}

export async function createTestSchema(): Promise<TestSchema> {
  const name = `lexbridge_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE SCHEMA ${name}`);
  // Scale mode's job queue (graphile-worker) keeps its tables beside, in <name>_jobs.
  return {
    name,
    drop: () => admin(`DROP SCHEMA IF EXISTS ${name}_jobs CASCADE; DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
