import type { ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { PostgresDatabase } from "../src/store/postgres/postgres-database.ts";
import { createTestSchema, testDatabaseUrl } from "../src/testing/postgres-schema.ts";
import { schemaUrl, startScaleFirms, TEST_INSTALLATION_KEY } from "../src/testing/scale-firms.ts";
import { passEachFirmAlone } from "../src/testing/scale-serial.ts";
import {
  addFirms,
  jobOverlaps,
  killBusyWorker,
  readJobLog,
  spawnWorker,
  stopWorkers,
} from "../src/testing/scale-workers.ts";

/**
 * Scale mode under kills (issue 15): N small generated firms (one QBO emulator, a realm each; a
 * Clio emulator each) synced by W `lexbridge worker` processes on the test PostgreSQL, with a
 * worker SIGKILLed mid-job every `killEvery` QBO requests (a new one started in its place).
 * Prints how long until every firm had a complete pass, firms synced per hour, the jobs and the
 * abandoned ones, overlaps of one firm's jobs (must be none), whether every firm's QBO books
 * equal its own serial run, and the most PostgreSQL connections the workers held at once.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      firms: { type: "string", default: "20" },
      workers: { type: "string", default: "3" },
      concurrency: { type: "string", default: "2" },
      kills: { type: "string", default: "3" },
      "kill-every": { type: "string", default: "150" },
    },
  });
  const n = Number(values.firms);
  const workerCount = Number(values.workers);
  const concurrency = Number(values.concurrency);
  const kills = Number(values.kills);
  const killEvery = Number(values["kill-every"]);
  process.env.LEXBRIDGE_SECRET_KEY = TEST_INSTALLATION_KEY;

  const serial = await startScaleFirms(n, 101);
  const scaled = await startScaleFirms(n, 101);
  const serialSchema = await createTestSchema();
  const schema = await createTestSchema();
  const workers: ChildProcess[] = [];
  const appName = `lexbridge-bench-${process.pid}`;
  const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
  try {
    await addFirms(serial, serialSchema.name);
    const serialStart = performance.now();
    await passEachFirmAlone(serial, serialSchema.name);
    const serialMs = performance.now() - serialStart;

    await addFirms(scaled, schema.name, 60);
    const url = new URL(schemaUrl(testDatabaseUrl, schema.name));
    url.searchParams.set("application_name", appName);
    const start = () => workers.push(spawnWorker(url.toString(), scaled.config.dataDir, concurrency));

    let killed = 0;
    const tap = scaled.qbo.emulator.core.requests;
    const first = tap.count;
    tap.listener = async (request) => {
      const seen = request.n - first;
      if (killed >= kills || seen % killEvery !== 0) return;
      if ((await killBusyWorker(database.pool, workers)) === undefined) return;
      killed += 1;
      start();
    };
    let maxConnections = 0;
    const sampler = setInterval(() => {
      void database.pool
        .query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [
          appName,
        ])
        .then((r) => {
          maxConnections = Math.max(maxConnections, r.rows[0]!.n);
        });
    }, 200);

    const began = Date.now();
    for (let i = 0; i < workerCount; i++) start();
    const deadline = began + 15 * 60_000;
    let jobs = await readJobLog(database.pool);
    // Done: every firm had a complete pass, and a complete job after each of its abandoned ones.
    const done = () =>
      scaled.firms.every((firm) => {
        const own = jobs.filter((j) => j.firm_id === firm.id);
        const lastAbandoned = Math.max(
          0,
          ...own.filter((j) => j.outcome === "abandoned").map((j) => Number(j.finished_at)),
        );
        return own.some(
          (j) => j.outcome === "ok" && j.kind === "pass" && Number(j.started_at) >= lastAbandoned,
        );
      });
    while (Date.now() < deadline && !done()) {
      await new Promise((r) => setTimeout(r, 250));
      jobs = await readJobLog(database.pool);
    }
    const elapsedMs = Date.now() - began;
    clearInterval(sampler);
    await stopWorkers(workers);
    jobs = await readJobLog(database.pool);
    const unequal = scaled.firms.filter(
      (firm, i) => JSON.stringify(scaled.books(firm)) !== JSON.stringify(serial.books(serial.firms[i]!)),
    );
    const lines = [
      `firms: ${n} small, ${workerCount} workers × concurrency ${concurrency}, ${killed} worker(s) SIGKILLed mid-job`,
      `every firm synced, its abandoned jobs run again: ${(elapsedMs / 1000).toFixed(1)} s (${done() ? "all done" : "NOT all done"})`,
      `firms synced per hour (first complete pass of each): ${Math.round((n / elapsedMs) * 3_600_000)}`,
      `serial, one process: ${(serialMs / 1000).toFixed(1)} s for the same firms`,
      `jobs: ${jobs.length}, abandoned by killed workers: ${jobs.filter((j) => j.outcome === "abandoned").length}, failed: ${jobs.filter((j) => j.outcome === "failed").length}`,
      `overlaps of one firm's jobs: ${jobOverlaps(jobs).length}`,
      `firms whose QBO books differ from their serial run: ${unequal.length}${unequal.length ? ` (${unequal.map((f) => f.id).join(", ")})` : ""}`,
      `PostgreSQL connections held by the workers, most at once: ${maxConnections}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    for (const worker of workers) worker.kill("SIGKILL");
    await database.close();
    await schema.drop();
    await serialSchema.drop();
    await serial.close();
    await scaled.close();
  }
}
