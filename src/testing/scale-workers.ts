import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { Pool } from "pg";
import { FirmRegistry } from "../store/postgres/firm-registry.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { testDatabaseUrl } from "./postgres-schema.ts";
import { connectFirmQbo, type ScaleFirms, TEST_INSTALLATION_KEY } from "./scale-firms.ts";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

/** A row of job_log, as the workers wrote it. */
export type JobRow = {
  firm_id: string;
  kind: string;
  process_id: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
};

/**
 * Puts each firm in a schema's firm list (in the database at `base`), its QBO company connected,
 * a pass every `intervalSeconds`.
 */
export async function addFirms(
  scale: ScaleFirms,
  schema: string,
  intervalSeconds = 10,
  base = testDatabaseUrl,
): Promise<void> {
  const database = await PostgresDatabase.open({ url: base, schema });
  try {
    const registry = new FirmRegistry(database.pool);
    for (const firm of scale.firms) {
      const settings = { ...firm.settings, syncIntervalSeconds: intervalSeconds };
      await registry.add({ id: firm.id, name: firm.id, settings, createdAt: Date.now() });
      await connectFirmQbo(scale, firm, database.storeFor(firm.id));
    }
  } finally {
    await database.close();
  }
}

/**
 * `lexbridge worker` as a process of its own on the database at `url`. `staleAfterSeconds` is
 * short, so a killed worker's jobs move on soon, yet well above a busy live worker's longest
 * silence on a loaded machine (its beats share the event loop with its passes).
 */
export function spawnWorker(
  url: string,
  dataDir: string,
  concurrency: number,
  staleAfterSeconds = 5,
  extraArgs: string[] = [],
  /** Keep the worker's stderr (a crash's stack) readable from the returned process; read it then. */
  stderr: "ignore" | "pipe" = "ignore",
): ChildProcess {
  return spawn(
    process.execPath,
    [
      bin,
      "worker",
      "--concurrency",
      String(concurrency),
      "--stale-after-seconds",
      String(staleAfterSeconds),
      "--data-dir",
      dataDir,
      "--log-level",
      "silent",
      ...extraArgs,
    ],
    {
      stdio: ["ignore", "ignore", stderr],
      env: { ...process.env, LEXBRIDGE_DATABASE_URL: url, LEXBRIDGE_SECRET_KEY: TEST_INSTALLATION_KEY },
    },
  );
}

export async function readJobLog(pool: Pool): Promise<JobRow[]> {
  return (await pool.query<JobRow>("SELECT * FROM job_log ORDER BY firm_id, started_at")).rows;
}

/** A worker process SIGKILLed by killBusyWorker: its pid and its process id in job_log. */
export type KilledWorker = { pid: number; processId: string };

/**
 * SIGKILLs the worker process that runs the oldest running job (its pid from worker_processes),
 * so the kill lands mid-job; resolves once it is gone, or with undefined when no worker of
 * `workers` runs a job.
 */
export async function killBusyWorker(pool: Pool, workers: ChildProcess[]): Promise<KilledWorker | undefined> {
  const running = await pool.query<{ pid: number; process_id: string }>(
    `SELECT p.pid, p.process_id FROM job_log j JOIN worker_processes p USING (process_id)
     WHERE j.finished_at IS NULL ORDER BY j.started_at`,
  );
  const alive = (w: ChildProcess) => w.exitCode === null && w.signalCode === null;
  const row = running.rows.find((r) => workers.some((w) => alive(w) && w.pid === r.pid));
  const victim = row && workers.find((w) => alive(w) && w.pid === row.pid);
  if (!row || !victim) return undefined;
  const exited = once(victim, "exit");
  victim.kill("SIGKILL");
  await exited;
  return { pid: row.pid, processId: row.process_id };
}

/** Ends the workers still running with SIGTERM (graceful: their running jobs finish first). */
export async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  for (const worker of workers.filter((w) => w.exitCode === null && w.signalCode === null)) {
    const exited = once(worker, "exit");
    worker.kill("SIGTERM");
    await exited;
  }
}

/** Where one firm's jobs overlapped (a job started before the firm's previous one ended), or unfinished. */
export function jobOverlaps(jobs: JobRow[]): string[] {
  const problems: string[] = [];
  const byFirm = new Map<string, JobRow[]>();
  for (const job of jobs) byFirm.set(job.firm_id, [...(byFirm.get(job.firm_id) ?? []), job]);
  for (const [firm, own] of byFirm) {
    own.sort((a, b) => Number(a.started_at) - Number(b.started_at));
    for (const [i, job] of own.entries()) {
      if (job.finished_at === null) problems.push(`${firm}: job ${i} never ended`);
      const next = own[i + 1];
      if (next && job.finished_at !== null && Number(next.started_at) < Number(job.finished_at))
        problems.push(`${firm}: job ${i + 1} started before job ${i} ended`);
    }
  }
  return problems;
}
