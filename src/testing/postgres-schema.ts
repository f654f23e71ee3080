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

/** `database`: the URL of the database to put it in (the test database unless given). */
export async function createTestSchema(database = testDatabaseUrl): Promise<TestSchema> {
  const name = `lexbridge_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE SCHEMA ${name}`, database);
  // Scale mode's job queue (graphile-worker) keeps its tables beside, in <name>_jobs.
  return {
    name,
    drop: () =>
      admin(`DROP SCHEMA IF EXISTS ${name}_jobs CASCADE; DROP SCHEMA IF EXISTS ${name} CASCADE`, database),
  };
}

/** A database of its own on the test server (its URL), for a test that must not share one. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A whole database for one test. Schemas keep tests' tables apart, but not graphile-worker's
 * notifications: a queue installed in any schema of a database tells every worker of that
 * database to restart its runner (`worker:migrate`), and a runner stopping mid-job hands the job
 * on while it still runs (see docs/scale.md). A test of the workers' own behaviour takes a
 * database where no other test installs a queue.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `lexbridge_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(sql: string, database = testDatabaseUrl): Promise<void> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
