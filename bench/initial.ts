import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEngine } from "../src/app/engine-factory.ts";
import { loadConfig } from "../src/core/config.ts";
import { createLogger, silentLogger } from "../src/core/logger.ts";
import { runSyncPass } from "../src/engine/sync-pass.ts";
import { countingFetch } from "./call-counter.ts";
import { startEmulatorProcess } from "./emulator-process.ts";

/**
 * The initial sync of a generated firm (PRODUCT.md §4):
 *  1. against emulators enforcing the real quotas (QBO 500/min, 10 concurrent, 40 batches/min;
 *     Clio 50/min), compressed by a time scale: wall time and API calls against the minimum the
 *     quotas allow, and the two ratios;
 *  2. with quotas off: records per second and peak RSS of the engine process.
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
    },
  });
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
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  const started = performance.now();
  const summary = await runSyncPass(engine.deps);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await engine.close();
  await emulators.stop();
  return { summary, seconds, peakRss, counts: counter.counts, firm: emulators.summary };
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
    "open Sync Status issues": r.summary.openIssues,
  });
}

async function withQuotas(size: string, seed: number, timeScale: number): Promise<void> {
  const r = await runOnce(size, seed, true, timeScale);
  const calls = Object.fromEntries([...r.counts.entries()].sort());
  const clioCalls = sum([...r.counts.entries()].filter(([k]) => k.startsWith("clio")));
  const qboCalls = sum([...r.counts.entries()].filter(([k]) => k.startsWith("qbo")));
  const qboBatches = r.counts.get("qbo POST batch") ?? 0;
  // Minimum calls: every Clio record read once in pages of 200 (contacts: the syncing clients);
  // every QBO write in batches of 30, plus the reads no sync can skip (one page of customers per
  // 1,000 for first matching, the item and account look-ups).
  const pulled = r.summary.pulled;
  const clioMin =
    pages(pulled.bill ?? 0) +
    pages(pulled.line_item ?? 0) +
    pages(pulled.allocation ?? 0) +
    pages(pulled.credit_memo ?? 0) +
    pages(r.firm.clio.syncingClients ?? 0);
  const qboWrites = r.summary.written.sent;
  const qboReadsMin = Math.ceil((r.firm.qbo.customers ?? 0) / 1000) + 2;
  const qboMin = Math.ceil(qboWrites / 30) + qboReadsMin;
  // Minimum time: each provider's budget is independent, so the slower of the two bounds the run.
  // A fresh budget allows one window's worth at once (40 batches, 500 calls, 50 Clio calls); the
  // rest goes at the refill rate.
  const qboMinutes = Math.max(
    Math.max(0, Math.ceil(qboWrites / 30) - 40) / 40,
    Math.max(0, qboMin - 500) / 500,
  );
  const clioMinutes = Math.max(0, clioMin - 50) / 50;
  const minSeconds = (Math.max(qboMinutes, clioMinutes) * 60) / timeScale;
  print(`\n== initial sync, ${size} firm (seed ${seed}), real quotas compressed ${timeScale}× ==`, {
    "wall time (s)": r.seconds.toFixed(1),
    "wall time at real speed (min)": ((r.seconds * timeScale) / 60).toFixed(1),
    "API calls by kind": calls,
    "Clio calls / minimum": `${clioCalls} / ${clioMin}`,
    "QBO calls / minimum": `${qboCalls} / ${qboMin} (batches ${qboBatches})`,
    "minimum time the quotas allow (s)": minSeconds.toFixed(1),
    "ratio calls / minimum": ((clioCalls + qboCalls) / (clioMin + qboMin)).toFixed(3),
    "ratio time / minimum": (r.seconds / minSeconds).toFixed(3),
    "peak RSS of the engine process (MB)": Math.round(r.peakRss / 1e6),
  });
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
