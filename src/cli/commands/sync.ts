import type { Command } from "commander";
import { raiseReconnectRequired } from "../../app/reconnect-item.ts";
import type { Config } from "../../core/config.ts";
import { isLexError } from "../../core/errors.ts";
import type { EngineDeps } from "../../engine/ports.ts";
import { reconcileAfterPass } from "../../engine/reconcile.ts";
import { type PassSummary, runSyncPass } from "../../engine/sync-pass.ts";
import { addConfigOptions } from "../config-options.ts";
import { withEngine } from "../context.ts";
import { print } from "../output.ts";
import { progressReporter } from "../progress.ts";
import { summaryLines } from "../summary-text.ts";
import { waitForSignal } from "./emulate.ts";

export type SyncOutcome = PassSummary & {
  /** After a real pass: what was reconciled (`none`: the pass touched nothing) and how it came out. */
  reconciled?: { scope: "full" | "clients" | "none"; clients: number; ok: boolean; differences: number };
};

/**
 * One pass with a progress bar (on a terminal) and its summary; after a real pass the
 * reconciliation runs too (PRODUCT.md §2: "after each sync"), so drift becomes an issue at once —
 * for the clients the pass touched, and in full once a day (reconcileAfterPass).
 */
export async function syncOnce(
  deps: EngineDeps,
  options: { dryRun: boolean; json: boolean },
): Promise<SyncOutcome> {
  const progress = progressReporter(!options.json && Boolean(process.stderr.isTTY));
  let summary: PassSummary;
  try {
    summary = await runSyncPass(deps, { dryRun: options.dryRun, onProgress: progress.onProgress });
  } catch (error) {
    // A refused refresh token needs a person: one Sync Status item, and the pass stops here.
    await raiseReconnectRequired(deps.store, error, deps.clock.now());
    throw error;
  } finally {
    progress.stop();
  }
  if (options.dryRun) return summary;
  const report = await reconcileAfterPass(deps, summary);
  return {
    ...summary,
    openIssues: (await deps.store.listIssues({ state: "open" })).length,
    reconciled: report
      ? {
          scope: report.scope,
          clients: report.clients.length,
          ok: report.ok,
          differences: report.items.length,
        }
      : { scope: "none", clients: 0, ok: true, differences: 0 },
  };
}

/** Passes every interval until SIGINT/SIGTERM; a failed pass is logged and retried next interval. */
export async function syncForever(deps: EngineDeps, config: Config, json: boolean): Promise<void> {
  let stopping = false;
  const stopped = waitForSignal().then(() => {
    stopping = true;
  });
  while (!stopping) {
    try {
      const summary = await syncOnce(deps, { dryRun: false, json });
      print(json, summary, summaryLines(summary));
    } catch (error) {
      // What only a person can fix (a reconnect, a setting) stops the loop; the rest is retried.
      if (isLexError(error) && error.kind === "config") throw error;
      deps.logger.error({ err: error }, "sync pass failed; retrying at the next interval");
    }
    await Promise.race([stopped, new Promise((r) => setTimeout(r, config.syncIntervalSeconds * 1000))]);
  }
}

export function registerSync(program: Command): void {
  addConfigOptions(
    program
      .command("sync")
      .description("sync Clio and QuickBooks: one pass with --once, else every interval until stopped")
      .option("--once", "run one pass and exit")
      .option("--dry-run", "read and plan, write nothing; list the plan")
      .option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    await withEngine(command, async (engine, config) => {
      if (opts.once || opts.dryRun) {
        const summary = await syncOnce(engine.deps, {
          dryRun: Boolean(opts.dryRun),
          json: Boolean(opts.json),
        });
        const lines = summaryLines(summary);
        if (opts.dryRun)
          lines.push(
            ...summary.plan.map((p) => `  - ${p.phase} ${p.action} ${p.name ?? ""} (Clio ${p.clioId})`),
          );
        print(opts.json, summary, lines);
        return;
      }
      await syncForever(engine.deps, config, Boolean(opts.json));
    });
  });
}
