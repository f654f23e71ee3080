import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEngine } from "../src/app/engine-factory.ts";
import { loadConfig } from "../src/core/config.ts";
import { createLogger, silentLogger } from "../src/core/logger.ts";
import { runSyncPass } from "../src/engine/sync-pass.ts";
import { countingFetch } from "./call-counter.ts";
import { processCpuMs } from "./cpu.ts";
import { startEmulatorProcess } from "./emulator-process.ts";
import { fewestQboCalls, quotaMinimum } from "./quota-minimum.ts";

/**
 * The initial sync of a generated firm (PRODUCT.md §4):
 *  1. with quotas off: records per second, peak RSS and CPU of the engine process (`--rss-table`:
 *     peak RSS at small, medium, large and xlarge);
 *  2. against emulators enforcing the real quotas (QBO 500/min, 10 concurrent, 40 batches/min;
 *     Clio 50/min), compressed by a time scale: wall time and API calls against the minimum the
 *     quotas allow (quota-minimum.ts: both QBO lanes, plus the first round trip), the two ratios,
 *     and how busy the CPU was (at high compression the CPU, not the quotas, bounds the run).
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: "string", default: "large" },
      seed: { type: "string", default: "1" },
      "time-scale": { type: "string", default: "20" },
      "skip-quotas": { type: "boolean", default: false },
      "skip-unlimited": { type: "boolean", default: false },
      "rss-table": { type: "boolean", default: false },
    },
  });
  if (values["rss-table"]) return rssTable(Number(values.seed));
  const size = values.size!;
  const seed = Number(values.seed);
  const timeScale = Number(values["time-scale"]);
  if (!values["skip-unlimited"]) await unlimited(size, seed);
  if (!values["skip-quotas"]) await withQuotas(size, seed, timeScale);
}

async function runOnce(size: string, seed: number, quotas: boolean, timeScale: number) {
  const emulators = await startEmulatorProcess({ size, seed, quotas, ...(quotas ? { timeScale } : {}) });
  const counter = countingFetch(new URL(emulators.clioUrl).origin);
  const dataDir = mkdtempSync(join(tmpdir(), "lexbridge-bench-"));
  const config = loadConfig({
    flags: {
      dataDir,
      clioBaseUrl: emulators.clioUrl,
      qboBaseUrl: emulators.qboUrl,
      startDate: "2000-01-01",
      logLevel: "silent",
      httpTimeoutMs: 120_000,
    },
  });
  // Quotas off means off on both ends: the engine's own budgets are opened as wide as the emulators'.
  const logger = process.env.LEXBRIDGE_BENCH_LOG
    ? createLogger({ level: "info", destination: process.stderr as never })
    : silentLogger;
  const engine = await createEngine(config, logger, {
    fetch: counter.fetch,
    quotaTimeScale: quotas ? timeScale : 1e6,
  });
  let peak = process.memoryUsage();
  // LEXBRIDGE_BENCH_SMAPS=<file>: the process's mappings (/proc/self/smaps) near the peak, written
  // there at the end: how much of the RSS is V8's pages, malloc's arenas, the node binary.
  const smapsFile = process.env.LEXBRIDGE_BENCH_SMAPS;
  let smapsAtPeak = "";
  let smapsRss = 0;
  // LEXBRIDGE_BENCH_MEM=1: every sample to stderr (MB), to see what the RSS is made of over time.
  const timeline = process.env.LEXBRIDGE_BENCH_MEM ? process.stderr : undefined;
  const t0 = performance.now();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak = m;
    if (smapsFile && m.rss > smapsRss + 2e6) {
      smapsAtPeak = readFileSync("/proc/self/smaps", "utf8");
      smapsRss = m.rss;
    }
    timeline?.write(`mem ${((performance.now() - t0) / 1000).toFixed(1)}s ${memFigures(m)}\n`);
  }, 200);
  const emulatorCpuBefore = processCpuMs(emulators.pid);
  const cpuBefore = process.cpuUsage();
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const summary = await runSyncPass(engine.deps);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const engineCpuS = (cpu.user + cpu.system) / 1e6;
  const emulatorCpuS = (processCpuMs(emulators.pid) - emulatorCpuBefore) / 1000;
  clearInterval(sampler);
  const last = process.memoryUsage();
  if (last.rss > peak.rss) peak = last;
  const peakRss = peak.rss;
  if (smapsFile) writeFileSync(smapsFile, smapsAtPeak);
  const issuesByCode: Record<string, number> = {};
  for (const issue of await engine.deps.store.listIssues({ state: "open" }))
    issuesByCode[issue.code] = (issuesByCode[issue.code] ?? 0) + 1;
  await engine.close();
  await emulators.stop();
  return {
    summary,
    seconds,
    peakRss,
    peak,
    counts: counter.counts,
    roundTripMs: counter.medianMs("clio") + counter.medianMs("qbo"),
    firm: emulators.summary,
    issuesByCode,
    cpu: { engineCpuS, emulatorCpuS, loadBefore, loadAfter: loadavg()[0]! },
  };
}

/** How busy the machine's cores were with this benchmark (engine and emulators), and the load around it. */
function cpuFigures(r: Awaited<ReturnType<typeof runOnce>>) {
  const cores = availableParallelism();
  const busy = (s: number) => `${((100 * s) / r.seconds).toFixed(0)} % of one core`;
  return {
    "CPU of the engine process": busy(r.cpu.engineCpuS),
    "CPU of the emulators process": busy(r.cpu.emulatorCpuS),
    [`CPU busy with the benchmark (${cores} cores)`]: `${((100 * (r.cpu.engineCpuS + r.cpu.emulatorCpuS)) / (r.seconds * cores)).toFixed(0)} %`,
    "machine load (1 min) before / after": `${r.cpu.loadBefore.toFixed(2)} / ${r.cpu.loadAfter.toFixed(2)}`,
  };
}

async function unlimited(size: string, seed: number): Promise<void> {
  const r = await runOnce(size, seed, false, 1);
  const read = Object.values(r.summary.pulled).reduce((a, b) => a + b, 0);
  const written = r.summary.written.sent;
  print(`\n== initial sync, ${size} firm (seed ${seed}), quotas off ==`, {
    "wall time (s)": r.seconds.toFixed(1),
    "Clio records read": read,
    "QBO operations written": written,
    "records/s (read + written)": Math.round((read + written) / r.seconds),
    "peak RSS of the engine process (MB)": Math.round(r.peakRss / 1e6),
    "memory at the peak (MB)": memFigures(r.peak),
    "open Sync Status issues": r.summary.openIssues,
    "open Sync Status issues by code": r.issuesByCode,
    ...cpuFigures(r),
  });
}

/** Peak RSS of the engine by firm size, quotas off: does memory stay flat as firms grow? */
async function rssTable(seed: number): Promise<void> {
  const rows: Record<string, string> = {};
  for (const size of ["small", "medium", "large", "xlarge"]) {
    const r = await runOnce(size, seed, false, 1);
    const read = Object.values(r.summary.pulled).reduce((a, b) => a + b, 0);
    rows[size] =
      `${Math.round(r.peakRss / 1e6)} MB peak RSS (${memFigures(r.peak)}); ${read} records read, ${r.summary.written.sent} written ` +
      `in ${r.seconds.toFixed(1)} s (load ${r.cpu.loadBefore.toFixed(1)})`;
    process.stdout.write(`  ${size}: ${rows[size]}\n`);
  }
  print(`\n== peak RSS of the engine process by firm (seed ${seed}), quotas off ==`, rows);
}

async function withQuotas(size: string, seed: number, timeScale: number): Promise<void> {
  const r = await runOnce(size, seed, true, timeScale);
  const calls = Object.fromEntries([...r.counts.entries()].sort());
  const clioCalls = sum([...r.counts.entries()].filter(([k]) => k.startsWith("clio")));
  const qboCalls = sum([...r.counts.entries()].filter(([k]) => k.startsWith("qbo")));
  const qboBatches = r.counts.get("qbo POST batch") ?? 0;
  // Minimum calls: every Clio record read once in pages of 200 (contacts: the syncing clients);
  // every QBO write sent once — in batches as far as the batch lane allows within the minimum time,
  // single writes for the rest — plus the reads no sync can skip (one page of customers per 1,000
  // for first matching, the item and account look-ups).
  const pulled = r.summary.pulled;
  const clioMin =
    pages(pulled.bill ?? 0) +
    pages(pulled.line_item ?? 0) +
    pages(pulled.allocation ?? 0) +
    pages(pulled.credit_memo ?? 0) +
    pages(r.firm.clio.syncingClients ?? 0);
  const work = {
    qboWrites: r.summary.written.sent,
    qboReads: Math.ceil((r.firm.qbo.customers ?? 0) / 1000) + 2,
    clioCalls: clioMin,
  };
  const min = quotaMinimum(work);
  // A run slower than the minimum had more batch-lane room, so needed fewer single writes.
  const inItsTime = fewestQboCalls(work, (r.seconds * timeScale) / 60);
  // The quotas' minutes are compressed by the time scale; the first read and the last write's
  // round trips are not, and no sync avoids them.
  const minSeconds = (min.minutes * 60) / timeScale + r.roundTripMs / 1000;
  print(`\n== initial sync, ${size} firm (seed ${seed}), real quotas compressed ${timeScale}× ==`, {
    "wall time (s)": r.seconds.toFixed(1),
    "wall time at real speed (min)": ((r.seconds * timeScale) / 60).toFixed(1),
    "API calls by kind": calls,
    "Clio calls / minimum": `${clioCalls} / ${clioMin}`,
    "QBO calls / minimum": `${qboCalls} / ${min.qboCalls} (batches ${qboBatches}; minimum ${min.batches} batches + ${min.singles} single writes)`,
    "minimum at real speed (min): QBO both lanes / Clio": `${min.qboMinutes.toFixed(1)} / ${min.clioMinutes.toFixed(1)}`,
    "first round trip (ms, median Clio + QBO call)": r.roundTripMs.toFixed(0),
    "minimum time the quotas allow (s)": minSeconds.toFixed(1),
    "QBO operations written": r.summary.written.sent,
    "ratio calls / minimum": ((clioCalls + qboCalls) / (clioMin + min.qboCalls)).toFixed(3),
    "ratio calls / fewest calls in the run's own time": (
      (clioCalls + qboCalls) /
      (clioMin + inItsTime.qboCalls)
    ).toFixed(3),
    "ratio time / minimum": (r.seconds / minSeconds).toFixed(3),
    "peak RSS of the engine process (MB)": Math.round(r.peakRss / 1e6),
    "memory at the peak (MB)": memFigures(r.peak),
    ...cpuFigures(r),
  });
}

/** What an RSS is made of, in MB: V8's heap (used of committed), buffers outside it. */
function memFigures(m: NodeJS.MemoryUsage): string {
  const mb = (n: number) => Math.round(n / 1e6);
  return (
    `rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} ` +
    `external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}`
  );
}

const pages = (n: number) => Math.max(1, Math.ceil(n / 200));
const sum = (entries: Array<[string, number]>) => entries.reduce((a, [, n]) => a + n, 0);

function print(title: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${title}\n`);
  for (const [k, v] of Object.entries(figures)) {
    process.stdout.write(
      `  ${k}: ${typeof v === "object" ? JSON.stringify(v, null, 2).replace(/\n/g, "\n  ") : v}\n`,
    );
  }
}
