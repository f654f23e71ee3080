import type { Command } from "commander";
import { storedTokenWarnings } from "../../app/connection-checks.ts";
import { readStatusItems } from "../../app/sync-status-read.ts";
import { eachItem, groupByRootCause } from "../../app/sync-status-view.ts";
import { isErrorCode } from "../../core/error-catalogue/index.ts";
import { LexError } from "../../core/errors.ts";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { print, printableLines } from "../output.ts";
import { eachItemLines, resolvedLines, rootCauseLines } from "../status-text.ts";

/** A code no item can have is a mistake worth saying, not an empty list ("everything synced"). */
export function requireKnownCode(code: string, openCodes: Iterable<string> = []): void {
  if (isErrorCode(code)) return;
  const open = [...new Set(openCodes)].sort();
  throw new LexError(
    "status_unknown_code",
    `"${code}" is not a lexbridge error code, so no item has it; docs/errors.md lists every code${open.length > 0 ? ` (open items now have: ${open.join(", ")})` : ""}`,
  );
}

export function registerStatus(program: Command): void {
  addConfigOptions(
    program
      .command("status")
      .description(
        "the Sync Status list: one entry per root cause (what could not sync, why, the fix, links), with what waits on it",
      )
      .option("--each", "list every open item one by one, each with the root cause it waits on")
      .option("--resolved", "also show resolved items")
      .option("--all", "every item one by one, resolved ones included (--each --resolved)")
      .option("--code <code>", "only items with this code, one by one")
      .option("--json", "machine-readable output, in the same structure as the text"),
  ).action(async (opts, command: Command) => {
    await withStore(command, async (store, config) => {
      const resolved = Boolean(opts.resolved || opts.all);
      const all = await readStatusItems(store, { resolved });
      if (opts.code)
        requireKnownCode(
          opts.code,
          all.filter((i) => i.state === "open").map((i) => i.code),
        );
      const warnings = await storedTokenWarnings(config, store, Date.now());
      const lines = warnings.map((w) => `[${w.status.toUpperCase()}] ${w.message}. ${w.fix}`);
      const open = all.filter((i) => i.state === "open");
      const closed = all.filter((i) => i.state === "resolved");
      if (opts.each || opts.all || opts.code) {
        const byKey = new Map(open.map((i) => [i.key, i]));
        const items = eachItem(all).filter((i) => !opts.code || i.code === opts.code);
        const shownOpen = items.filter((i) => i.state === "open").length;
        if (shownOpen === 0)
          lines.push(
            opts.code ? `No open items with code ${opts.code}.` : "No open items: everything synced.",
          );
        lines.push(...eachItemLines(items, byKey));
        print(opts.json, { openItems: shownOpen, items, warnings }, printableLines(lines));
        return;
      }
      const rootCauses = groupByRootCause(open);
      if (open.length === 0) lines.push("No open items: everything synced.");
      else lines.push(...rootCauseLines(rootCauses, open.length));
      if (resolved) lines.push(...resolvedLines(closed));
      print(
        opts.json,
        { openItems: open.length, rootCauses, ...(resolved ? { resolved: closed } : {}), warnings },
        printableLines(lines),
      );
    });
  });
}
