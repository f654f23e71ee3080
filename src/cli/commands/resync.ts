import type { Command } from "commander";
import { openItemByRef } from "../../app/item-refs.ts";
import { runSyncPass } from "../../engine/sync-pass.ts";
import { addConfigOptions } from "../config-options.ts";
import { withEngine } from "../context.ts";
import { print } from "../output.ts";
import { summaryLines } from "../summary-text.ts";
import { requireKnownCode } from "./status.ts";

export function registerResync(program: Command): void {
  addConfigOptions(
    program
      .command("resync [itemId]")
      .description(
        "retry an item from Sync Status (re-create or re-link a broken link), or every item with --code",
      )
      .option("--code <code>", "retry every open item with this code")
      .option("--json", "machine-readable output"),
  ).action(async (itemId: string | undefined, opts, command: Command) => {
    if (!itemId && !opts.code) {
      command.error("give a Sync Status item id (see lexbridge status) or --code CODE", { exitCode: 2 });
    }
    if (!itemId) requireKnownCode(opts.code);
    await withEngine(command, async (engine) => {
      const store = engine.store;
      const lines: string[] = [];
      let marked: number;
      if (itemId) {
        const item = await openItemByRef(store, itemId);
        if (item.blockedBy)
          lines.push(
            `#${item.id} waits for ${item.blockedBy}; it syncs once that is fixed (lexbridge status shows it).`,
          );
        marked = await store.requestRetry({ id: item.id });
      } else {
        marked = await store.requestRetry({ code: opts.code });
        if (marked === 0) {
          print(opts.json, { marked: 0 }, [`No open items with code ${opts.code}; nothing to retry.`]);
          process.exitCode = 1;
          return;
        }
      }
      const summary = await runSyncPass(engine.deps);
      print(opts.json, { marked, summary }, [
        ...lines,
        `Retrying ${marked} item(s).`,
        ...summaryLines(summary),
      ]);
    });
  });
}
