import type { Command } from "commander";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { wholeNumber } from "../option-parsers.ts";
import { print } from "../output.ts";

export function registerAudit(program: Command): void {
  addConfigOptions(
    program
      .command("audit")
      .description("the audit log: every write with before/after, request id and outcome")
      .option("--after <seq>", "only entries after this sequence number", wholeNumber(0), 0)
      .option("--limit <n>", "at most this many entries", wholeNumber(1), 1000)
      .option("--json", "machine-readable output (the export format)"),
  ).action(async (opts, command: Command) => {
    await withStore(command, async (store) => {
      const entries = await store.listAudit({ afterSeq: opts.after, limit: opts.limit });
      print(
        opts.json,
        entries,
        entries.map(
          (e) =>
            `${e.seq} ${new Date(e.at).toISOString()} ${e.outcome.padEnd(6)} ${e.entity} ${e.action} Clio ${e.clioId}${e.qboId ? ` → QBO ${e.qboId}` : ""}${e.requestId ? ` [${e.requestId}]` : ""}${e.detail ? ` — ${e.detail}` : ""}`,
        ),
      );
    });
  });
}
