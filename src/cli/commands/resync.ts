import type { Command } from "commander";
import { runSyncPass } from "../../engine/sync-pass.ts";
import { addConfigOptions } from "../config-options.ts";
import { withEngine } from "../context.ts";
import { wholeNumber } from "../option-parsers.ts";
import { print } from "../output.ts";
import { summaryLines } from "../summary-text.ts";

export function registerResync(program: Command): void {
  addConfigOptions(
    program
      .command("resync")
      .argument("[issueId]", "the item's id, as `lexbridge status` shows it (#12)", wholeNumber(1))
      .description(
        "retry an item from Sync Status (re-create or re-link a broken link), or every item with --code",
      )
      .option("--code <code>", "retry every open issue with this code")
      .option("--json", "machine-readable output"),
  ).action(async (issueId: number | undefined, opts, command: Command) => {
    if (!issueId && !opts.code) {
      command.error("give an issue id (see lexbridge status) or --code CODE", { exitCode: 2 });
    }
    await withEngine(command, async (engine) => {
      const marked = await engine.store.requestRetry(issueId ? { id: issueId } : { code: opts.code });
      if (marked === 0) {
        print(opts.json, { marked: 0 }, ["No open issue matches; nothing to retry."]);
        process.exitCode = 1;
        return;
      }
      const summary = await runSyncPass(engine.deps);
      print(opts.json, { marked, summary }, [`Retrying ${marked} item(s).`, ...summaryLines(summary)]);
    });
  });
}
