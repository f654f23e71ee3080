import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { silentLogger } from "../../core/logger.ts";
import { runSyncPass } from "../../engine/sync-pass.ts";
import { FirmRegistry } from "../../store/postgres/firm-registry.ts";
import { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { runCli } from "../../testing/cli-process.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../../testing/postgres-schema.ts";
import {
  connectFirmQbo,
  type ScaleFirms,
  schemaUrl,
  startScaleFirms,
  TEST_INSTALLATION_KEY,
} from "../../testing/scale-firms.ts";
import { createEngine } from "../engine-factory.ts";

const bin = new URL("../../../bin/lexbridge.js", import.meta.url).pathname;
const FIRMS = 4;
/** The kill lands at this QBO request of the run (counted over all firms): every firm is mid-pass then. */
const KILL_AT_REQUEST = 25;

type JobRow = {
  firm_id: string;
  process_id: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
};

/** Puts each firm in a schema's firm list, its QBO company connected. */
async function addFirms(scale: ScaleFirms, schema: string): Promise<void> {
  const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema });
  try {
    const registry = new FirmRegistry(database.pool);
    for (const firm of scale.firms) {
      await registry.add({
        id: firm.id,
        name: firm.id,
        settings: { ...firm.settings, syncIntervalSeconds: 10 },
        createdAt: 1,
      });
      await connectFirmQbo(scale, firm, database.storeFor(firm.id));
    }
  } finally {
    await database.close();
  }
}

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
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema.name}_jobs CASCADE`);
    await admin.end();
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
    const startWorker = () => {
      const child = spawn(
        process.execPath,
        [
          bin,
          "worker",
          "--concurrency",
          "2",
          "--stale-after-seconds",
          "2",
          "--data-dir",
          scaled.config.dataDir,
          "--log-level",
          "silent",
        ],
        {
          stdio: "ignore",
          env: { ...process.env, LEXBRIDGE_DATABASE_URL: url, LEXBRIDGE_SECRET_KEY: TEST_INSTALLATION_KEY },
        },
      );
      workers.push(child);
      return child;
    };
    try {
      // At the kill request, the victim is the process of a job still running: its pid from worker_processes.
      let killedAt: number | undefined;
      const tap = scaled.qbo.emulator.core.requests;
      const first = tap.count;
      tap.listener = async (request) => {
        if (request.n - first !== KILL_AT_REQUEST) return;
        tap.listener = undefined;
        const running = await database.pool.query<{ pid: number }>(
          `SELECT p.pid FROM job_log j JOIN worker_processes p USING (process_id)
           WHERE j.finished_at IS NULL ORDER BY j.started_at LIMIT 1`,
        );
        const victim = workers.find((w) => w.pid === running.rows[0]?.pid);
        assert.ok(victim, "a worker process was running a job at the kill request");
        const exited = once(victim, "exit");
        victim.kill("SIGKILL");
        await exited;
        killedAt = Date.now();
      };
      startWorker();
      startWorker();

      // Until every firm has a pass that finished well after the kill (the retried job, or a later pass).
      const deadline = Date.now() + 60_000;
      let jobs: JobRow[] = [];
      const firmsDone = () =>
        scaled.firms.every((firm) =>
          jobs.some(
            (j) =>
              j.firm_id === firm.id && j.outcome === "ok" && Number(j.started_at) > (killedAt ?? Infinity),
          ),
        );
      while (Date.now() < deadline) {
        jobs = (await database.pool.query<JobRow>("SELECT * FROM job_log ORDER BY firm_id, started_at")).rows;
        if (killedAt !== undefined && firmsDone()) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(killedAt !== undefined, "a worker was killed");
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
      while (Date.now() < deadline && (await asked()).length < 2)
        await new Promise((r) => setTimeout(r, 250));
      assert.deepEqual(await asked(), ["reconcile", "resync"]);

      // Stop the workers (graceful: running jobs finish), then compare.
      for (const worker of workers.filter((w) => w.exitCode === null && w.signalCode === null)) {
        const exited = once(worker, "exit");
        worker.kill("SIGTERM");
        await exited;
      }
      jobs = (await database.pool.query<JobRow>("SELECT * FROM job_log ORDER BY firm_id, started_at")).rows;
      for (const firm of scaled.firms) {
        const own = jobs.filter((j) => j.firm_id === firm.id);
        for (const [i, job] of own.entries()) {
          assert.ok(job.finished_at !== null, `${firm.id}'s job ${i} ended`);
          const next = own[i + 1];
          if (next)
            assert.ok(
              Number(next.started_at) >= Number(job.finished_at),
              `${firm.id}'s jobs ${i} and ${i + 1} do not overlap`,
            );
        }
        assert.deepEqual(
          scaled.books(firm),
          serial.books(serial.firms.find((f) => f.id === firm.id)!),
          `${firm.id}'s books`,
        );
      }
    } finally {
      await database.close();
    }
  });
});
