import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { makeWorkerUtils } from "graphile-worker";
import { loadConfig } from "../../core/config.ts";
import { createLogger, silentLogger } from "../../core/logger.ts";
import { FirmRegistry } from "../../store/postgres/firm-registry.ts";
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

it("ends a job the firm's configuration stops without retrying it, and queues the next pass an interval later", async () => {
  const ours = await createTestSchema();
  schemas.push(ours);
  const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: ours.name });
  // Production QuickBooks without the app's credentials: every pass stops with config_invalid.
  const config = loadConfig({
    env: {},
    flags: { dataDir: mkdtempSync(join(tmpdir(), "lexbridge-worker-")), syncIntervalSeconds: 600 },
  });
  await new FirmRegistry(database.pool).add({ id: "unready", name: "Unready", settings: {}, createdAt: 1 });
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const worker = await startFirmWorker({ config, database, logger, concurrency: 1, staleAfterMs: 30_000 });
  const outcomes = async () =>
    (
      await database.pool.query<{ outcome: string | null }>("SELECT outcome FROM job_log ORDER BY id")
    ).rows.map((r) => r.outcome);
  try {
    for (let i = 0; i < 200 && (await outcomes()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 50 && (await outcomes())[0] === null; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await outcomes(), ["failed: config_invalid"]);
    const jobs = (
      await database.pool.query<{ attempts: number; later: boolean }>(
        `SELECT attempts, run_at > now() + interval '500 seconds' AS later FROM ${ours.name}_jobs._private_jobs`,
      )
    ).rows;
    assert.deepEqual(jobs, [{ attempts: 0, later: true }], "no retry; the next pass one interval away");
    const warning = lines.find((l) => l.msg === "a firm's job cannot run until its configuration is fixed");
    assert.equal((warning?.err as { code?: string } | undefined)?.code, "config_invalid");
    assert.equal(warning?.firm, "unready");
    // The queue's own lines come through lexbridge's logger, one line of message each.
    assert.ok(lines.some((l) => l.component === "job-queue"));
    assert.ok(lines.every((l) => !String(l.msg).includes("\n")));
  } finally {
    await worker.stop();
    await database.close();
  }
});
