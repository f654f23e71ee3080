import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { makeWorkerUtils } from "graphile-worker";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../../testing/postgres-schema.ts";
import { queueFirmJob, startFirmWorker } from "./firm-worker.ts";

const schemas: TestSchema[] = [];
after(async () => {
  await Promise.all(schemas.map((s) => s.drop()));
});

it("keeps taking jobs after graphile-worker migrates its tables in another schema of the database", async () => {
  const ours = await createTestSchema();
  const theirs = await createTestSchema();
  schemas.push(ours, theirs);
  const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: ours.name });
  const config = loadConfig({
    env: {},
    flags: { dataDir: mkdtempSync(join(tmpdir(), "lexbridge-worker-")) },
  });
  const fatal: unknown[] = [];
  const worker = await startFirmWorker({
    config,
    database,
    logger: silentLogger,
    concurrency: 1,
    staleAfterMs: 30_000,
    onFatal: (error) => fatal.push(error),
  });
  const pending = async () =>
    Number(
      (await database.pool.query(`SELECT count(*) AS n FROM ${ours.name}_jobs._private_jobs`)).rows[0].n,
    );
  try {
    // Another installation's (or test's) queue in its own schema: its first migration is a
    // breaking one, announced on the database-wide channel every graphile-worker listens to.
    const other = await makeWorkerUtils({ connectionString: testDatabaseUrl, schema: `${theirs.name}_jobs` });
    await other.migrate();
    await other.release();
    // A job for a firm that does not exist: the task ends at once, and the queue drops the job.
    await queueFirmJob(database, { firmId: "nobody", kind: "reconcile" });
    let left = await pending();
    for (let i = 0; i < 200 && left > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await pending();
    }
    assert.equal(left, 0, "the job was taken and done");
    assert.deepEqual(fatal, []);
  } finally {
    await worker.stop();
    await database.close();
  }
});
