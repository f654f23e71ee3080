import type { ChildProcess } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { PostgresDatabase } from "../src/store/postgres/postgres-database.ts";
import { createTestSchema, testDatabaseUrl } from "../src/testing/postgres-schema.ts";
import {
  type ScaleFirm,
  type ScaleFirms,
  schemaUrl,
  startScaleFirms,
  TEST_INSTALLATION_KEY,
} from "../src/testing/scale-firms.ts";
import { addFirms, spawnWorker, stopWorkers } from "../src/testing/scale-workers.ts";
import { machineCpuMs, processCpuMs } from "./cpu.ts";

/**
 * Issue 15's scale bench: N small generated firms (one QBO emulator with a realm each, a Clio
 * emulator each, both enforcing the real quotas — QBO 500 calls, 40 batches a minute and 10 in
 * flight per realm, Clio 50 calls a minute per token — with every minute compressed by the time
 * scale, as the other benches do; the workers' own rate budgets are compressed alike) synced by W
 * `lexbridge worker` processes on the test PostgreSQL, for each W asked for. Each run:
 *  1. the initial sync: every firm's first pass, from the firms' being added until each has one
 *     complete → firms synced per hour;
 *  2. changes: a new approved bill in the Clio of `--changes` firms, spread over one pass
 *     interval, each timed until its invoice is in the firm's QBO company (the firms' periodic
 *     passes carry them: scale mode has no webhooks yet) → p50/p95/max, and the passes the
 *     workers completed meanwhile (the capacity for periodic passes).
 * Beside the figures: the most PostgreSQL connections the workers held at once
 * (pg_stat_activity), the CPU the workers, their PostgreSQL sessions and the emulators (this
 * process) used per firm, and how busy the whole machine was (other work included).
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      firms: { type: "string", default: "20" },
      workers: { type: "string", default: "1,2" },
      concurrency: { type: "string", default: "4" },
      "time-scale": { type: "string", default: "20" },
      interval: { type: "string" },
      changes: { type: "string", default: "20" },
      seed: { type: "string", default: "101" },
      "timeout-minutes": { type: "string", default: "40" },
      // The workers' log file (<data dir>/logs/lexbridge.log of the run, printed): for a run that stalls.
      "worker-log-level": { type: "string", default: "silent" },
    },
  });
  const timeScale = Number(values["time-scale"]);
  const settings: RunSettings = {
    firms: Number(values.firms),
    concurrency: Number(values.concurrency),
    timeScale,
    // A pass every 5 minutes at real speed, compressed like the quotas (10 s is the least allowed).
    intervalSeconds: Number(values.interval ?? Math.max(10, Math.round(300 / timeScale))),
    changes: Math.min(Number(values.changes), Number(values.firms)),
    seed: Number(values.seed),
    timeoutMs: Number(values["timeout-minutes"]) * 60_000,
    workerLogLevel: values["worker-log-level"]!,
  };
  process.env.LEXBRIDGE_SECRET_KEY = TEST_INSTALLATION_KEY;
  process.stdout.write(
    `firms bench: ${settings.firms} small firms, quotas on (minutes compressed ${timeScale}×), ` +
      `a pass every ${settings.intervalSeconds} s, concurrency ${settings.concurrency} per worker, ` +
      `${availableParallelism()} cores, load before ${loadavg()[0]!.toFixed(2)}\n`,
  );
  for (const workers of values.workers!.split(",").map(Number)) await run(settings, workers);
}

interface RunSettings {
  firms: number;
  concurrency: number;
  timeScale: number;
  intervalSeconds: number;
  changes: number;
  seed: number;
  timeoutMs: number;
  workerLogLevel: string;
}

async function run(settings: RunSettings, workerCount: number): Promise<void> {
  const setupStarted = performance.now();
  const scale = await startScaleFirms(settings.firms, settings.seed, {
    quotas: { timeScale: settings.timeScale },
  });
  const schema = await createTestSchema();
  const database = await PostgresDatabase.open({
    url: testDatabaseUrl,
    schema: schema.name,
    maxConnections: 3,
  });
  const workers: ChildProcess[] = [];
  const appName = `lexbridge-bench-${process.pid}-${workerCount}`;
  const monitor = new Monitor(database, appName, workers);
  try {
    await addFirms(scale, schema.name, settings.intervalSeconds);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const url = new URL(schemaUrl(testDatabaseUrl, schema.name));
    url.searchParams.set("application_name", appName);
    const extra = ["--quota-time-scale", String(settings.timeScale), "--log-level", settings.workerLogLevel];
    if (settings.workerLogLevel !== "silent")
      process.stdout.write(`  workers' log: ${scale.config.dataDir}/logs\n`);
    monitor.start();

    // 1. The initial sync.
    const initial = monitor.phase();
    const began = Date.now();
    for (let i = 0; i < workerCount; i++)
      workers.push(spawnWorker(url.toString(), scale.config.dataDir, settings.concurrency, 30, extra));
    let synced = 0;
    while (Date.now() - began < settings.timeoutMs) {
      synced = await firmsWithPass(database);
      if (synced === settings.firms) break;
      await sleep(500);
    }
    const initialMs = Date.now() - began;
    const initialUse = initial.end();

    // 2. Changes carried by the periodic passes.
    const steady = monitor.phase();
    const passesBefore = await passesDone(database);
    const changesBegan = Date.now();
    const latencies = await timeChanges(scale, settings);
    const steadyMs = Date.now() - changesBegan;
    const passes = (await passesDone(database)) - passesBefore;
    const cadence = await passCadence(database, changesBegan);
    const steadyUse = steady.end();
    await monitor.stop();
    await stopWorkers(workers);
    const failed = await database.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM job_log WHERE outcome <> 'ok'",
    );

    const perPass = (ms: number) => `${(ms / Math.max(1, passes)).toFixed(0)} ms`;
    const perFirm = (ms: number) => `${(ms / 1000 / settings.firms).toFixed(2)} s`;
    const sorted = latencies.arrived.sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    const lines = [
      `\n== ${workerCount} worker(s) × concurrency ${settings.concurrency}: ${settings.firms} firms ==`,
      `  setting up the emulators and firms: ${setupSeconds.toFixed(1)} s (not counted)`,
      `  initial sync: ${synced}/${settings.firms} firms in ${(initialMs / 1000).toFixed(1)} s → ${Math.round((synced / initialMs) * 3_600_000)} firms synced per hour`,
      `    CPU per firm: workers ${perFirm(initialUse.workersMs)}, their PostgreSQL sessions ${perFirm(initialUse.postgresMs)}, emulators ${perFirm(initialUse.benchMs)}`,
      `    machine CPU busy ${initialUse.machineBusy} (all work on it, other helpers' included), load ${initialUse.load}`,
      `  change in Clio → invoice in QBO (${latencies.arrived.length}/${settings.changes} arrived${latencies.missing ? `, ${latencies.missing} never` : ""}): ` +
        (sorted.length ? `p50 ${s(q(0.5)!)}, p95 ${s(q(0.95)!)}, max ${s(sorted.at(-1)!)}` : "none arrived"),
      `    periodic passes completed meanwhile: ${passes} in ${(steadyMs / 1000).toFixed(1)} s → ${Math.round((passes / steadyMs) * 3_600_000)} passes per hour (${Math.round(((settings.firms / settings.intervalSeconds) * 3600) / 1)} asked for: every firm every ${settings.intervalSeconds} s)`,
      `    a pass: p50 ${s(cadence.durationP50)} long; a firm's passes start p50 ${s(cadence.gapP50)} apart (interval ${settings.intervalSeconds} s after the last one ended)`,
      `    CPU per periodic pass: workers ${perPass(steadyUse.workersMs)}, their PostgreSQL sessions ${perPass(steadyUse.postgresMs)}, emulators ${perPass(steadyUse.benchMs)}`,
      `    machine CPU busy ${steadyUse.machineBusy}, load ${steadyUse.load}`,
      `  PostgreSQL connections held by the workers, most at once: ${monitor.maxConnections}`,
      `  jobs that did not end ok: ${failed.rows[0]!.n}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await monitor.stop();
    for (const worker of workers) worker.kill("SIGKILL");
    await database.close();
    await schema.drop();
    await scale.close();
  }
}

/**
 * A new approved bill in the Clio of `changes` firms (spread over the firms), one every
 * interval/changes seconds, each timed until its invoice is in the firm's QBO company.
 */
async function timeChanges(
  scale: ScaleFirms,
  settings: RunSettings,
): Promise<{ arrived: number[]; missing: number }> {
  const step = Math.max(1, Math.floor(settings.firms / settings.changes));
  // In a shuffled order: the firms' passes run in waves in firm order (they were all added at
  // once), and changes made in that order too would each meet its firm at the same point of its
  // cycle, which makes the latencies look better (or worse) than a real firm's.
  const chosen = shuffled(
    Array.from({ length: settings.changes }, (_, i) => scale.firms[i * step]!),
    settings.seed,
  );
  const gapMs = (settings.intervalSeconds * 1000) / settings.changes;
  const pending = new Set<{ at: number; arrived: () => boolean }>();
  const arrived: number[] = [];
  const poller = setInterval(() => {
    for (const p of pending)
      if (p.arrived()) {
        pending.delete(p);
        arrived.push(Date.now() - p.at);
      }
  }, 50);
  for (const [i, firm] of chosen.entries()) {
    const number = `SCALE-${i}`;
    const at = Date.now();
    await newApprovedBill(scale, firm, number);
    pending.add({ at, arrived: () => hasInvoice(scale, firm, number) });
    await sleep(gapMs);
  }
  const deadline = Date.now() + settings.intervalSeconds * 4000 + 120_000;
  while (pending.size > 0 && Date.now() < deadline) await sleep(200);
  clearInterval(poller);
  return { arrived, missing: pending.size };
}

/** On the matter of a bill already in QBO, so its client syncs (not every generated client does). */
async function newApprovedBill(scale: ScaleFirms, firm: ScaleFirm, number: string): Promise<void> {
  const synced = [...firm.clio.emulator.state.all("bills")].find((b) =>
    hasInvoice(scale, firm, String((b as { number?: unknown }).number)),
  ) as { matter_ids?: number[] } | undefined;
  const matterId = synced?.matter_ids?.[0];
  if (matterId === undefined) throw new Error(`${firm.id} has no bill in QBO`);
  const made = (await admin(firm.clio.url, "/bills", {
    matter_id: matterId,
    number,
    issued_at: "2026-03-01",
    due_at: "2026-03-31",
    line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 250 }],
  })) as { data: { id: number } };
  await admin(firm.clio.url, `/bills/${made.data.id}/approve`);
}

function hasInvoice(scale: ScaleFirms, firm: ScaleFirm, number: string): boolean {
  const invoices = scale.qbo.emulator.state.realms[firm.realmId]?.records.Invoice ?? {};
  return Object.values(invoices).some(
    (r) => (r as { data: { DocNumber?: string } }).data.DocNumber === number,
  );
}

async function admin(base: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}/__admin${path}`, {
    method: "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

async function firmsWithPass(database: PostgresDatabase): Promise<number> {
  const result = await database.pool.query<{ n: number }>(
    "SELECT count(DISTINCT firm_id)::int AS n FROM job_log WHERE kind = 'pass' AND outcome = 'ok'",
  );
  return result.rows[0]!.n;
}

/** Periodic passes since `since`: how long each took, and the time between a firm's pass starts (medians). */
async function passCadence(
  database: PostgresDatabase,
  since: number,
): Promise<{ durationP50: number; gapP50: number }> {
  const result = await database.pool.query<{ firm_id: string; started_at: string; finished_at: string }>(
    `SELECT firm_id, started_at, finished_at FROM job_log
     WHERE kind = 'pass' AND outcome = 'ok' AND started_at >= $1 ORDER BY firm_id, started_at`,
    [since],
  );
  const durations = result.rows.map((r) => Number(r.finished_at) - Number(r.started_at));
  const gaps = result.rows.flatMap((r, i) => {
    const before = result.rows[i - 1];
    return before?.firm_id === r.firm_id ? [Number(r.started_at) - Number(before.started_at)] : [];
  });
  return { durationP50: median(durations), gapP50: median(gaps) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function passesDone(database: PostgresDatabase): Promise<number> {
  const result = await database.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM job_log WHERE kind = 'pass' AND outcome = 'ok'",
  );
  return result.rows[0]!.n;
}

/**
 * Samples, every 250 ms, the workers' PostgreSQL sessions (pg_stat_activity by application name:
 * how many at once, and each backend's CPU, read from /proc as the server runs on this machine)
 * and the worker processes' CPU; a phase reports what was used between its start and its end.
 */
class Monitor {
  maxConnections = 0;
  readonly #database: PostgresDatabase;
  readonly #appName: string;
  readonly #workers: ChildProcess[];
  /** The last CPU reading of each process seen (backends come and go with the pools). */
  readonly #cpu = new Map<number, { kind: "worker" | "postgres"; ms: number }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(database: PostgresDatabase, appName: string, workers: ChildProcess[]) {
    this.#database = database;
    this.#appName = appName;
    this.#workers = workers;
  }

  start(): void {
    this.#timer = setInterval(() => void this.#sample(), 250);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sample(): Promise<void> {
    for (const w of this.#workers)
      if (w.pid && w.exitCode === null) this.#note(w.pid, "worker", processCpuMs(w.pid));
    const result = await this.#database.pool
      .query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [this.#appName])
      .catch(() => undefined);
    if (!result) return;
    this.maxConnections = Math.max(this.maxConnections, result.rows.length);
    for (const { pid } of result.rows) this.#note(pid, "postgres", processCpuMs(pid));
  }

  #note(pid: number, kind: "worker" | "postgres", ms: number): void {
    const seen = this.#cpu.get(pid);
    if (ms > 0 && (!seen || ms > seen.ms)) this.#cpu.set(pid, { kind, ms });
  }

  #total(kind: "worker" | "postgres"): number {
    return [...this.#cpu.values()].filter((c) => c.kind === kind).reduce((a, c) => a + c.ms, 0);
  }

  phase() {
    const machine = machineCpuMs();
    const bench = process.cpuUsage();
    const workers = this.#total("worker");
    const postgres = this.#total("postgres");
    const load = loadavg()[0]!;
    return {
      end: () => {
        const m = machineCpuMs();
        const b = process.cpuUsage(bench);
        return {
          workersMs: this.#total("worker") - workers,
          postgresMs: this.#total("postgres") - postgres,
          benchMs: (b.user + b.system) / 1000,
          machineBusy: `${((100 * (m.busy - machine.busy)) / Math.max(1, m.total - machine.total)).toFixed(0)} %`,
          load: `${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
        };
      },
    };
  }
}

/** A deterministic shuffle (Fisher–Yates with a small linear congruential generator). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
