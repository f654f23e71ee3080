import type { Command } from "commander";
import { auditChanges, changesInWords } from "../../app/audit-changes.ts";
import { RecordFactsReader } from "../../app/record-facts.ts";
import type { AuditEntry } from "../../store/port.ts";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { print, printableLines } from "../output.ts";

export function registerAudit(program: Command): void {
  addConfigOptions(
    program
      .command("audit")
      .description("the audit log: every write with before/after, request id and outcome")
      .option("--after <seq>", "only entries after this sequence number", "0")
      .option("--limit <n>", "at most this many entries", "1000")
      .option("--json", "machine-readable output (the export format)"),
  ).action(async (opts, command: Command) => {
    await withStore(command, async (store) => {
      const entries = await store.listAudit({ afterSeq: Number(opts.after), limit: Number(opts.limit) });
      if (opts.json) return print(true, entries, []);
      const facts = new RecordFactsReader(store);
      const lines: string[] = [];
      for (const e of entries) lines.push(...entryLines(e, await recordLabel(facts, e)));
      print(false, entries, printableLines(lines));
    });
  });
}

/** Who and what the write was about: the client, the bill number, the amount. */
async function recordLabel(facts: RecordFactsReader, e: AuditEntry): Promise<string> {
  const f = await facts.of({ entity: e.entity, clioId: e.clioId });
  const parts = [f.billNumber ? `bill ${f.billNumber}` : undefined, f.client, f.amount].filter(Boolean);
  return parts.length > 0 ? `${parts.join(" · ")} ` : "";
}

function entryLines(e: AuditEntry, label: string): string[] {
  const head = `${e.seq} ${new Date(e.at).toISOString()} ${e.outcome.padEnd(6)} ${e.entity} ${e.action} ${label}(Clio ${e.clioId}${e.qboId ? ` → QBO ${e.qboId}` : ""})${e.requestId ? ` [${e.requestId}]` : ""}${e.detail ? ` — ${e.detail}` : ""}`;
  const changes = auditChanges(e.before, e.after);
  return changes.length > 0 ? [head, `    ${changesInWords(changes)}`] : [head];
}
