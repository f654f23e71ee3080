import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { createEngine } from "../../app/engine-factory.ts";
import { readStatusItems } from "../../app/sync-status-read.ts";
import { loadConfig } from "../../core/config.ts";
import type { FirmSize } from "../../emulators/generator/index.ts";
import { count } from "../bookkeeping-words.ts";
import { cliLogger, logFilePath } from "../cli-logger.ts";
import { wholeNumber } from "../option-parsers.ts";
import { print } from "../output.ts";
import { rootCauseLines } from "../root-cause-lines.ts";
import { summaryLines } from "../summary-text.ts";
import { startEmulators } from "./emulate.ts";
import { stoppable, syncForever, syncOnce } from "./sync.ts";

interface DemoOptions {
  size: FirmSize;
  seed: number;
  once?: boolean;
  interval: number;
  dataDir: string;
  json?: boolean;
}

/**
 * `lexbridge demo`: the whole product on the embedded default with nothing to set up — both
 * emulators with a generated firm and a QBO company that already has data, the initial sync with
 * a progress line, its summary and the open issues, then a pass every interval.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "run lexbridge against built-in emulators with a generated firm: initial sync, then keep syncing",
    )
    .addOption(
      new Option("--size <size>", "generated firm size")
        .choices(["small", "medium", "large"])
        .default("small"),
    )
    .option("--seed <n>", "generator seed", wholeNumber(0), 1)
    .option("--once", "stop after the first full sync")
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
              "Initial sync…",
            ]);
          }
          const engine = await createEngine(config, cliLogger(config), { stop: session.signal });
          try {
            const summary = await syncOnce(engine.deps, session, { dryRun: false });
            const issues = await engine.store.listIssues({ state: "open" });
            const byCode: Record<string, number> = {};
            for (const i of issues) byCode[i.code] = (byCode[i.code] ?? 0) + 1;
            print(json, { summary, issuesByCode: byCode }, [
              ...summaryLines(summary),
              ...rootCauseLines(await readStatusItems(engine.store)),
              `Details: npx lexbridge status --data-dir ${join(opts.dataDir)}`,
            ]);
            if (!opts.once) {
              print(false, null, [
                `Syncing every ${opts.interval} s; edit data through the emulators' admin API. Ctrl+C stops.`,
              ]);
              await syncForever(engine.deps, config, json, session, true);
            }
          } finally {
            await engine.close();
          }
        } finally {
          await emulators.close();
        }
      });
    });
}
