import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { count } from "../../app/bookkeeping-words.ts";
import { createEngine } from "../../app/engine-factory.ts";
import { readStatusItems } from "../../app/sync-status-read.ts";
import { type Config, loadConfig } from "../../core/config.ts";
import type { FirmSize } from "../../emulators/generator/index.ts";
import type { Store } from "../../store/port.ts";
import { cliLogger, logFilePath } from "../cli-logger.ts";
import { portNumber, wholeNumber } from "../option-parsers.ts";
import { print } from "../output.ts";
import { rootCauseLines } from "../root-cause-lines.ts";
import type { RunSession } from "../run-session.ts";
import { summaryLines } from "../summary-text.ts";
import { startEmulators } from "./emulate.ts";
import { startServe } from "./serve.ts";
import { type SyncOutcome, stoppable, syncOnce } from "./sync.ts";

interface DemoOptions {
  size: FirmSize;
  seed: number;
  once?: boolean;
  port: number;
  interval: number;
  dataDir: string;
  json?: boolean;
}

/**
 * `lexbridge demo`: the whole product on the embedded default with nothing to set up — both
 * emulators with a generated firm and a QBO company that already has data, and `lexbridge serve`
 * on them: the dashboard's address and login, the initial sync with a progress line, its summary
 * and the open issues, then a pass every interval. `--once`: the initial sync alone, no dashboard.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "run lexbridge against built-in emulators with a generated firm: the dashboard, the initial sync, then a pass every interval",
    )
    .addOption(
      new Option("--size <size>", "generated firm size")
        .choices(["small", "medium", "large"])
        .default("small"),
    )
    .option("--seed <n>", "generator seed", wholeNumber(0), 1)
    .option("--once", "sync once, print the summary and exit (no dashboard)")
    .option("--port <port>", "the dashboard's port (0 = any free port)", portNumber, 4000)
    .option(
      "--interval <seconds>",
      "seconds between passes after the first (10 or more)",
      wholeNumber(10),
      30,
    )
    .option("--data-dir <dir>", "where the demo keeps its database (emptied at start)", ".lexbridge/demo")
    .option("--json", "machine-readable summary")
    .addHelpText("after", "\nCtrl+C stops within 2 s (exit code 130; 143 after SIGTERM).")
    .action(async (opts: DemoOptions) => {
      const json = Boolean(opts.json);
      await stoppable(json, async (session) => {
        const emulators = await startEmulators({
          clioPort: 0,
          qboPort: 0,
          host: "127.0.0.1",
          firm: opts.size as FirmSize,
          seed: opts.seed,
          quotas: false,
          // Nothing to set up: the emulators approve the demo's own authorization at once.
          autoApprove: true,
        });
        try {
          rmSync(opts.dataDir, { recursive: true, force: true });
          const config = loadConfig({
            env: process.env,
            flags: {
              dataDir: opts.dataDir,
              clioBaseUrl: emulators.clioUrl,
              qboBaseUrl: emulators.qboUrl,
              startDate: "2022-01-01",
              syncIntervalSeconds: opts.interval,
              port: opts.port,
              logLevel: process.env.LEXBRIDGE_LOG_LEVEL ?? "info",
            },
          });
          if (!json) {
            const firm = emulators.summary?.clio;
            print(false, null, [
              `Clio emulator ${emulators.clioUrl} · QuickBooks emulator ${emulators.qboUrl} (realm ${emulators.realmId})`,
              firm
                ? `Generated firm "${opts.size}" (seed ${opts.seed}): ${count(firm.clients)} clients, ${count(firm.matters)} matters, ${count(firm.bills)} bills, ${count(firm.payments)} payments, ${count(firm.creditMemos)} credit notes, ${count(firm.trustMovements)} trust movements`
                : `Generated firm "${opts.size}" (seed ${opts.seed})`,
              `Log: ${logFilePath(opts.dataDir)}`,
            ]);
          }
          if (opts.once) {
            await syncOnceAndSay(config, opts, json, session);
            return;
          }
          await serveDemo(config, opts, json, session);
        } finally {
          await emulators.close();
        }
      });
    });
}

async function issuesByCode(store: Store): Promise<Record<string, number>> {
  const byCode: Record<string, number> = {};
  for (const i of await store.listIssues({ state: "open" })) byCode[i.code] = (byCode[i.code] ?? 0) + 1;
  return byCode;
}

/** `--once`: one pass with its progress line, the summary, and exit. */
async function syncOnceAndSay(config: Config, opts: DemoOptions, json: boolean, session: RunSession) {
  if (!json) print(false, null, ["Initial sync…"]);
  const engine = await createEngine(config, cliLogger(config), { stop: session.signal });
  try {
    const summary = await syncOnce(engine.deps, session, { dryRun: false });
    const byCode = await issuesByCode(engine.store);
    print(json, { summary, issuesByCode: byCode }, [
      ...summaryLines(summary),
      ...rootCauseLines(await readStatusItems(engine.store)),
      `Details: npx lexbridge status --data-dir ${join(opts.dataDir)}`,
    ]);
  } finally {
    await engine.close();
  }
}

/**
 * The demo proper: serve on the emulators. The admin password is LEXBRIDGE_ADMIN_PASSWORD when
 * set, else a random one made for this run (the demo's data dir is emptied at each start, so the
 * password never outlives the run). Serve's first pass is the initial sync, watched on the
 * terminal and on the dashboard; Ctrl+C stops the pass in flight and the server.
 */
async function serveDemo(config: Config, opts: DemoOptions, json: boolean, session: RunSession) {
  const password = process.env.LEXBRIDGE_ADMIN_PASSWORD || randomBytes(12).toString("base64url");
  const serve = await startServe(config, cliLogger(config), {
    host: "127.0.0.1",
    adminPassword: password,
    watcher: session,
    stop: session.signal,
  });
  try {
    const shownPassword = process.env.LEXBRIDGE_ADMIN_PASSWORD ? "(LEXBRIDGE_ADMIN_PASSWORD)" : password;
    if (!json)
      print(false, null, [`Dashboard: ${serve.url}  user admin  password ${shownPassword}`, "Initial sync…"]);
    await Promise.race([serve.runner.whenIdle(), stopped(session.signal)]);
    if (session.stopped) return;
    const run = serve.runner.status();
    if (run.lastError !== undefined) throw run.lastFailure;
    const summary = run.lastSummary as SyncOutcome;
    const byCode = await issuesByCode(serve.store);
    const login = { user: "admin", ...(process.env.LEXBRIDGE_ADMIN_PASSWORD ? {} : { password }) };
    print(json, { dashboard: serve.url, ...login, summary, issuesByCode: byCode }, [
      ...summaryLines(summary),
      ...rootCauseLines(await readStatusItems(serve.store)),
      `Details: ${serve.url}/status (or npx lexbridge status --data-dir ${join(opts.dataDir)} once stopped)`,
      `Syncing every ${opts.interval} s; edit data through the emulators' admin API. Ctrl+C stops.`,
    ]);
    await stopped(session.signal);
  } finally {
    await serve.stop();
  }
}

function stopped(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
