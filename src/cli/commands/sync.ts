import type { Command } from "commander";
import { raiseReconnectRequired } from "../../app/reconnect-item.ts";
import type { Config } from "../../core/config.ts";
import { isLexError } from "../../core/errors.ts";
import { isStopRequested } from "../../core/stop.ts";
import type { EngineDeps } from "../../engine/ports.ts";
import { reconcileAfterPass } from "../../engine/reconcile.ts";
import { type PassSummary, runSyncPass } from "../../engine/sync-pass.ts";
import { addConfigOptions } from "../config-options.ts";
import { withEngine } from "../context.ts";
import { print } from "../output.ts";
import { progressDisplay } from "../progress.ts";
import { RunSession } from "../run-session.ts";
import { summaryLines } from "../summary-text.ts";

export type SyncOutcome = PassSummary & {
  /** After a real pass: what was reconciled (`none`: the pass touched nothing) and how it came out. */
  reconciled?: { scope: "full" | "clients" | "none"; clients: number; ok: boolean; differences: number };
};

/**
 * One pass with its progress line (on a terminal) and its summary; after a real pass the
 * reconciliation runs too (PRODUCT.md §2: "after each sync"), so drift becomes an issue at once —
 * for the clients the pass touched, and in full once a day (reconcileAfterPass).
 */
/** What a pass tells whoever watches it: a terminal's RunSession, or nothing (serve's passes). */
export type PassWatcher = Pick<RunSession, "startPass" | "reconciling" | "endPass">;

/** A watcher that shows nothing: for passes run in the background (serve). */
export const unwatchedPass: PassWatcher = {
  startPass: () => progressDisplay(false),
  reconciling: () => {},
  endPass: () => {},
};

export async function syncOnce(
  deps: EngineDeps,
  session: PassWatcher,
  options: { dryRun: boolean },
): Promise<SyncOutcome> {
  const progress = session.startPass();
  try {
    let summary: PassSummary;
    try {
      summary = await runSyncPass(deps, { dryRun: options.dryRun, onProgress: progress.onProgress });
    } catch (error) {
      // A refused refresh token needs a person: one Sync Status item, and the pass stops here.
      await raiseReconnectRequired(deps.store, error, deps.clock.now());
      throw error;
    }
    if (options.dryRun) return summary;
    session.reconciling();
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
  } finally {
    session.endPass();
  }
}

/**
 * Passes every interval until the session is stopped (Ctrl+C, SIGTERM); a failed pass is logged
 * and retried next interval. The wait between passes ends at once on a stop. `afterFirstWait`:
 * the caller has just run a pass, so the loop starts with the wait.
 */
export async function syncForever(
  deps: EngineDeps,
  config: Config,
  json: boolean,
  session: RunSession,
  afterFirstWait = false,
): Promise<void> {
  const interval = () => deps.clock.sleep(config.syncIntervalSeconds * 1000, session.signal).catch(() => {});
  if (afterFirstWait) await interval();
  while (!session.stopped) {
    try {
      const summary = await syncOnce(deps, session, { dryRun: false });
      print(json, summary, summaryLines(summary));
    } catch (error) {
      if (isStopRequested(error)) throw error;
      // What only a person can fix (a reconnect, a setting) stops the loop; the rest is retried.
      if (isLexError(error) && error.kind === "config") throw error;
      deps.logger.error({ err: error }, "sync pass failed; retrying at the next interval");
    }
    await interval();
  }
}

/**
 * Runs `fn` in a RunSession: on Ctrl+C or SIGTERM it ends with the closing message and exit code
 * 130 / 143 instead of an error.
 */
export async function stoppable(json: boolean, fn: (session: RunSession) => Promise<void>): Promise<void> {
  const session = new RunSession({ json });
  try {
    await fn(session);
  } catch (error) {
    if (session.finish()) return;
    throw error;
  }
  session.finish();
}

export function registerSync(program: Command): void {
  addConfigOptions(
    program
      .command("sync")
      .description("sync Clio and QuickBooks: one pass with --once, else every interval until stopped")
      .option("--once", "run one pass and exit")
      .option("--dry-run", "read and plan, write nothing; list the plan")
      .option("--json", "machine-readable output")
      .addHelpText(
        "after",
        "\nCtrl+C (or SIGTERM) stops within 2 s: the batch in flight is abandoned safely, and the next run\nresumes where this one stopped. Exit code 130 after Ctrl+C, 143 after SIGTERM; Ctrl+C twice quits at once.",
      ),
  ).action(async (opts, command: Command) => {
    const json = Boolean(opts.json);
    await stoppable(json, (session) =>
      withEngine(
        command,
        async (engine, config) => {
          if (opts.once || opts.dryRun) {
            const summary = await syncOnce(engine.deps, session, { dryRun: Boolean(opts.dryRun) });
            const lines = summaryLines(summary);
            if (opts.dryRun)
              lines.push(
                ...summary.plan.map((p) => `  - ${p.phase} ${p.action} ${p.name ?? ""} (Clio ${p.clioId})`),
              );
            print(opts.json, summary, lines);
            return;
          }
          await syncForever(engine.deps, config, json, session);
        },
        session.signal,
      ),
    );
  });
}
