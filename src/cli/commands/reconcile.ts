import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { RecordFactsReader } from "../../app/record-facts.ts";
import { type ReconcileReport, reconcile, reconcileCsv } from "../../engine/reconcile.ts";
import type { Store } from "../../store/port.ts";
import { addConfigOptions } from "../config-options.ts";
import { withEngine } from "../context.ts";
import { print } from "../output.ts";

export function registerReconcile(program: Command): void {
  addConfigOptions(
    program
      .command("reconcile")
      .description(
        "compare Clio and QuickBooks per client: receivables, invoices, payments and trust, with every difference itemised",
      )
      .option("--json", "machine-readable output")
      .option("--csv <file>", "also write the report as CSV to FILE"),
  ).action(async (opts, command: Command) => {
    await withEngine(command, async (engine) => {
      const report = await reconcile(engine.deps, { raiseIssues: true });
      if (opts.csv) writeFileSync(opts.csv, reconcileCsv(report));
      const names = await clientNames(engine.store, report);
      const named = {
        ...report,
        items: report.items.map((i) =>
          names.has(i.clientId) ? { ...i, clientName: names.get(i.clientId) } : i,
        ),
      };
      print(opts.json, named, reportLines(report, names));
      if (!report.ok) process.exitCode = 1;
    });
  });
}

/** The name of each client the report names, from the mirrored Clio contacts. */
async function clientNames(store: Store, report: ReconcileReport): Promise<Map<string, string>> {
  const facts = new RecordFactsReader(store);
  const names = new Map<string, string>();
  for (const id of new Set(report.items.map((i) => i.clientId))) {
    const name = await facts.clientName(id);
    if (name) names.set(id, name);
  }
  return names;
}

export function reportLines(
  report: ReconcileReport,
  names: ReadonlyMap<string, string> = new Map(),
): string[] {
  const t = report.totals;
  const row = (label: string, c: { clio: string; qbo: string; difference: string }) =>
    `  ${label.padEnd(12)} Clio ${c.clio.padStart(14)}  QuickBooks ${c.qbo.padStart(14)}  difference ${c.difference}`;
  const lines = [
    `Reconciliation ${report.generatedAt}: ${report.ok ? "everything agrees" : `${report.items.length} difference(s)`}`,
    "Totals:",
    row("receivables", t.receivables),
    row("invoices", t.invoices),
    row("payments", t.payments),
    row("trust", t.trust),
  ];
  for (const a of report.trustAccounts) {
    lines.push(
      `Trust account "${a.name}" (Clio ${a.clioAccountId}): Clio balance ${a.clioBalance}, sum of client ledgers ${a.clioClientSum}, QuickBooks bank ${a.qboBankBalance ?? "not mapped"}, liability ${a.qboLiabilityBalance ?? "not mapped"}`,
    );
  }
  if (report.items.length > 0) lines.push("Differences:");
  for (const i of report.items) {
    lines.push(
      `  [${i.area}] ${names.has(i.clientId) ? `${names.get(i.clientId)} (Clio contact ${i.clientId})` : `client ${i.clientId}`}: ${i.clioRecord}${i.qboRecord ? ` / ${i.qboRecord}` : ""} — Clio ${i.clio}, QuickBooks ${i.qbo} (${i.difference}): ${i.reason}`,
    );
  }
  return lines;
}
