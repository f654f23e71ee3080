import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../../core/logger.ts";
import { runSyncPass } from "../../engine/sync-pass.ts";
import { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { runCli } from "../../testing/cli-process.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../../testing/postgres-schema.ts";
import {
  type ScaleFirms,
  schemaUrl,
  startScaleFirms,
  TEST_INSTALLATION_KEY,
} from "../../testing/scale-firms.ts";
import {
  addFirms,
  type JobRow,
  jobOverlaps,
  killBusyWorker,
  readJobLog,
  spawnWorker,
  stopWorkers,
} from "../../testing/scale-workers.ts";
import { createEngine } from "../engine-factory.ts";

const FIRMS = 4;
/** The kill lands at this QBO request of the run (counted over all firms): firms are mid-pass then. */
const KILL_AT_REQUEST = 25;

const pause = () => new Promise((r) => setTimeout(r, 250));

describe("scale mode: 2 workers, 4 firms, a worker killed mid-pass", () => {
  let serial: ScaleFirms;
  let scaled: ScaleFirms;
  const schemas: TestSchema[] = [];
  const workers: ChildProcess[] = [];

  before(async () => {
    process.env.LEXBRIDGE_SECRET_KEY = TEST_INSTALLATION_KEY;
    serial = await startScaleFirms(FIRMS, 21);
    scaled = await startScaleFirms(FIRMS, 21);
  });

  after(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    for (const schema of schemas) await schema.drop();
    await serial?.close();
    await scaled?.close();
  });

  it("every firm's QBO books equal its own serial run, and no firm's jobs overlap", async (t) => {
    // The serial runs: each firm alone, one pass after the other, in a schema of their own.
    const serialSchema = await createTestSchema();
    schemas.push(serialSchema);
    await addFirms(serial, serialSchema.name);
    for (const firm of serial.firms) {
      const engine = await createEngine(
        { ...serial.config, databaseUrl: schemaUrl(testDatabaseUrl, serialSchema.name), firm: firm.id },
        silentLogger,
        { dataDirLock: false },
      );
      await runSyncPass(engine.deps);
      assert.equal((await runSyncPass(engine.deps)).written.sent, 0, `${firm.id} settles in one pass`);
      await engine.close();
    }

    const schema = await createTestSchema();
    schemas.push(schema);
    await addFirms(scaled, schema.name);
    const url = schemaUrl(testDatabaseUrl, schema.name);
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
    try {
      // At the kill request the victim is a process running a job; the request waits for its death.
      let killedAt: number | undefined;
      const tap = scaled.qbo.emulator.core.requests;
      const first = tap.count;
      tap.listener = async (request) => {
        if (request.n - first !== KILL_AT_REQUEST) return;
        tap.listener = undefined;
        if ((await killBusyWorker(database.pool, workers)) !== undefined) killedAt = Date.now();
      };
      workers.push(spawnWorker(url, scaled.config.dataDir, 2), spawnWorker(url, scaled.config.dataDir, 2));

      // Until every firm has passed, and each job the kill abandoned was run again to its end by
      // another worker (a firm that finished before the kill needs no pass after it: its next one
      // is an interval away).
      const deadline = Date.now() + 60_000;
      let jobs: JobRow[] = [];
      const okAfter = (firmId: string, at: number) =>
        jobs.some((j) => j.firm_id === firmId && j.outcome === "ok" && Number(j.started_at) >= at);
      const firmsDone = () =>
        scaled.firms.every(
          (firm) =>
            okAfter(firm.id, 0) &&
            jobs
              .filter((j) => j.firm_id === firm.id && j.outcome === "abandoned")
              .every((j) => okAfter(firm.id, Number(j.finished_at))),
        );
      while (Date.now() < deadline) {
        jobs = await readJobLog(database.pool);
        if (killedAt !== undefined && firmsDone()) break;
        await pause();
      }
      assert.ok(killedAt !== undefined, "a worker running a job was killed");
      assert.ok(firmsDone(), `every firm passed after the kill: ${JSON.stringify(jobs)}`);
      const abandoned = jobs.filter((j) => j.outcome === "abandoned");
      assert.ok(abandoned.length >= 1, "the killed worker's job was found abandoned");
      t.diagnostic(`${jobs.length} jobs, ${abandoned.length} abandoned by the killed worker`);
      for (const job of abandoned)
        assert.ok(
          jobs.some(
            (j) =>
              j.firm_id === job.firm_id &&
              j.outcome === "ok" &&
              Number(j.started_at) >= Number(job.finished_at),
          ),
          `${job.firm_id}'s abandoned job was run again by another worker`,
        );

      // A reconciliation and a re-sync asked for from the command line run on the firm's queue too.
      for (const job of [["reconcile"], ["resync", "--code", "sync_mapping_failed"]]) {
        const run = await runCli(["firms", "queue", "firm-1", ...job, "--data-dir", scaled.config.dataDir], {
          LEXBRIDGE_DATABASE_URL: url,
        });
        assert.equal(run.code, 0, run.stderr);
      }
      const asked = async () =>
        (
          await database.pool.query<{ kind: string }>(
            "SELECT kind FROM job_log WHERE firm_id = 'firm-1' AND outcome = 'ok' AND kind <> 'pass' ORDER BY kind",
          )
        ).rows.map((r) => r.kind);
      while (Date.now() < deadline && (await asked()).length < 2) await pause();
      assert.deepEqual(await asked(), ["reconcile", "resync"]);

      await stopWorkers(workers);
      assert.deepEqual(jobOverlaps(await readJobLog(database.pool)), [], "no firm's jobs overlap");
      for (const [i, firm] of scaled.firms.entries())
        assert.deepEqual(scaled.books(firm), serial.books(serial.firms[i]!), `${firm.id}'s books`);
    } finally {
      await database.close();
    }
  });
});
