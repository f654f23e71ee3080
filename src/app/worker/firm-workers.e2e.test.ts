import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { Prng } from "../../emulators/generator/prng.ts";
import { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { runCli } from "../../testing/cli-process.ts";
import { createTestDatabase, createTestSchema, type TestDatabase } from "../../testing/postgres-schema.ts";
import {
  type ScaleFirms,
  schemaUrl,
  startScaleFirms,
  TEST_INSTALLATION_KEY,
} from "../../testing/scale-firms.ts";
import { passEachFirmAlone } from "../../testing/scale-serial.ts";
import {
  addFirms,
  type JobRow,
  jobOverlaps,
  type KilledWorker,
  killBusyWorker,
  readJobLog,
  spawnWorker,
  stopWorkers,
} from "../../testing/scale-workers.ts";

const FIRMS = 20;
const WORKERS = 3;
const CONCURRENCY = 2;
const KILLS = 3;
/** The kills' moments come from this seed; LEXBRIDGE_TEST_SEED replays another run's. */
const SEED = Number(process.env.LEXBRIDGE_TEST_SEED ?? 20_151);
if (!Number.isSafeInteger(SEED))
  throw new Error(`LEXBRIDGE_TEST_SEED is not an integer: ${process.env.LEXBRIDGE_TEST_SEED}`);
/** Firms' serial runs side by side in this process (each firm's own passes stay one after another). */
const SERIAL_SIDE_BY_SIDE = 4;
/** Waits are on conditions; this only bounds a run that went wrong (a loaded 2-core machine is slow). */
const DEADLINE_MS = 180_000;

const pause = () => new Promise((r) => setTimeout(r, 250));

/**
 * The QBO requests (counted over all firms, from the workers' start) at which a worker is killed:
 * one drawn from each of `kills` equal windows spanning 5–60 % of the requests the firms' first
 * passes make when run alone (`requests`). The workers make at least about that many before every
 * firm has passed — and keep passing every interval after — so every kill point is reached, and
 * each lands while firms are mid-pass, at a different moment for each seed.
 */
function killPoints(seed: number, kills: number, requests: number): number[] {
  const prng = new Prng(seed);
  const from = Math.round(requests * 0.05);
  const width = (requests * 0.6 - from) / kills;
  return Array.from({ length: kills }, (_, k) =>
    prng.int(Math.round(from + k * width) + 1, Math.round(from + (k + 1) * width)),
  );
}

describe(`scale mode: ${WORKERS} workers, ${FIRMS} firms, workers SIGKILLed mid-job`, () => {
  let serial: ScaleFirms;
  let scaled: ScaleFirms;
  // A database of its own: other tests installing graphile-worker elsewhere would restart these
  // workers' runners mid-job (createTestDatabase says why).
  let testDatabase: TestDatabase;
  const workers: ChildProcess[] = [];

  before(async () => {
    process.env.LEXBRIDGE_SECRET_KEY = TEST_INSTALLATION_KEY;
    serial = await startScaleFirms(FIRMS, 21);
    scaled = await startScaleFirms(FIRMS, 21);
    testDatabase = await createTestDatabase();
  });

  after(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await testDatabase?.drop();
    await serial?.close();
    await scaled?.close();
  });

  it("every firm's QBO books equal its own serial run, every abandoned job is run again, no firm's jobs overlap", async (t) => {
    // The serial runs: each firm alone, in a schema of their own; a second pass sends nothing.
    const base = testDatabase.url;
    const serialSchema = (await createTestSchema(base)).name;
    await addFirms(serial, serialSchema, 10, base);
    const serialStart = Date.now();
    const serialTap = serial.qbo.emulator.core.requests;
    const serialFirst = serialTap.count;
    await passEachFirmAlone(serial, serialSchema, SERIAL_SIDE_BY_SIDE, base);
    const firstPassRequests = serialTap.count - serialFirst;
    const settled = await passEachFirmAlone(serial, serialSchema, SERIAL_SIDE_BY_SIDE, base);
    assert.deepEqual(settled, new Array(FIRMS).fill(0), "every firm settles in one pass");

    const points = killPoints(SEED, KILLS, firstPassRequests);
    t.diagnostic(
      `seed ${SEED} (replay: LEXBRIDGE_TEST_SEED=${SEED}); kills at QBO requests ${points.join(", ")} of the ${firstPassRequests} the first passes make alone; serial runs ${((Date.now() - serialStart) / 1000).toFixed(1)} s`,
    );

    const schema = (await createTestSchema(base)).name; // dropped with the database
    await addFirms(scaled, schema, 10, base);
    const url = schemaUrl(base, schema);
    const database = await PostgresDatabase.open({ url: base, schema });
    try {
      // Each worker's state and stderr (silent logs: only a crash writes there), for a failure's message.
      const stderr = new Map<ChildProcess, string>();
      const start = () => {
        const worker = spawnWorker(url, scaled.config.dataDir, CONCURRENCY, 5, [], "pipe");
        worker.stderr?.on("data", (chunk: Buffer) =>
          stderr.set(worker, ((stderr.get(worker) ?? "") + chunk.toString()).slice(-2000)),
        );
        workers.push(worker);
      };
      const workerStates = () =>
        workers
          .map(
            (w) =>
              `${w.pid} ${w.signalCode ?? w.exitCode ?? "running"}${stderr.has(w) ? `: ${stderr.get(w)}` : ""}`,
          )
          .join("; ");
      // At a kill point the request is held until a worker running a job is dead (the one
      // running the oldest job); a new worker takes its place. A point met while no worker of
      // ours runs a job stays due for the next request.
      const killed: KilledWorker[] = [];
      let killing = false;
      const tap = scaled.qbo.emulator.core.requests;
      const first = tap.count;
      tap.listener = async (request) => {
        const due = points[killed.length];
        if (killing || due === undefined || request.n - first < due) return;
        killing = true;
        try {
          const victim = await killBusyWorker(database.pool, workers);
          if (victim === undefined) return;
          killed.push(victim);
          const midJob = await database.pool.query<{ firm_id: string }>(
            "SELECT firm_id FROM job_log WHERE process_id = $1 AND finished_at IS NULL ORDER BY firm_id",
            [victim.processId],
          );
          t.diagnostic(
            `request ${request.n - first}: worker ${victim.pid} SIGKILLed in the jobs of ${midJob.rows.map((r) => r.firm_id).join(", ")}`,
          );
          start();
        } finally {
          killing = false;
        }
      };
      for (let i = 0; i < WORKERS; i++) start();

      // Until every kill has happened, every firm has passed, the killed workers' running jobs were
      // found abandoned, and each abandoned job was run again to its end by another worker. A
      // firm that finished before a kill needs no pass after it (its next one is an interval away).
      const deadline = Date.now() + DEADLINE_MS;
      let jobs: JobRow[] = [];
      const killedIds = () => new Set(killed.map((k) => k.processId));
      const rerun = (job: JobRow) =>
        jobs.some(
          (j) =>
            j.firm_id === job.firm_id &&
            j.outcome === "ok" &&
            j.process_id !== job.process_id &&
            Number(j.started_at) >= Number(job.finished_at),
        );
      const done = () =>
        killed.length === KILLS &&
        scaled.firms.every((firm) => jobs.some((j) => j.firm_id === firm.id && j.outcome === "ok")) &&
        jobs.every((j) => !killedIds().has(j.process_id) || j.finished_at !== null) &&
        jobs.filter((j) => j.outcome === "abandoned").every(rerun);
      const began = Date.now();
      while (Date.now() < deadline) {
        jobs = await readJobLog(database.pool);
        if (done()) break;
        await pause();
      }
      const summary = `${killed.length} kills, workers: ${workerStates()}, jobs: ${JSON.stringify(jobs)}`;
      assert.equal(killed.length, KILLS, `every kill point was met with a worker running a job: ${summary}`);
      assert.ok(done(), `every firm passed, and every abandoned job was run again: ${summary}`);
      const abandoned = jobs.filter((j) => j.outcome === "abandoned");
      assert.ok(abandoned.length >= 2, `the kills abandoned jobs: ${summary}`);
      assert.ok(
        abandoned.every((j) => killedIds().has(j.process_id)),
        `only killed workers' jobs were abandoned: ${summary}`,
      );
      t.diagnostic(
        `${jobs.length} jobs, ${abandoned.length} abandoned by ${killed.length} killed workers and run again; ${((Date.now() - began) / 1000).toFixed(1)} s from the workers' start`,
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
      jobs = await readJobLog(database.pool);
      assert.deepEqual(jobOverlaps(jobs), [], "no firm's jobs overlap");
      for (const [i, firm] of scaled.firms.entries())
        assert.deepEqual(
          scaled.books(firm),
          serial.books(serial.firms[i]!),
          `${firm.id}'s books; its jobs: ${JSON.stringify(jobs.filter((j) => j.firm_id === firm.id))}`,
        );
    } finally {
      await database.close();
    }
  });
});
