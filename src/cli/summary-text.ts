import type { PassSummary } from "../engine/sync-pass.ts";

/** Counts of a pass's plan by phase and action, e.g. `customer create: 12`. */
export function planCounts(summary: PassSummary): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of summary.plan)
    counts[`${p.phase} ${p.action}`] = (counts[`${p.phase} ${p.action}`] ?? 0) + 1;
  return counts;
}

export function summaryLines(
  summary: PassSummary & {
    reconciled?: { scope: "full" | "clients" | "none"; clients: number; ok: boolean; differences: number };
  },
): string[] {
  const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
  const lines = [
    `${summary.dryRun ? "Dry run" : "Sync"} ${summary.runId}: ${seconds.toFixed(1)} s`,
    `  read from Clio: ${Object.entries(summary.pulled)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `  written to QuickBooks: ${summary.written.succeeded} ok, ${summary.written.failed} failed, in ${summary.written.batches} batches`,
  ];
  for (const [key, n] of Object.entries(planCounts(summary))) lines.push(`  ${key}: ${n}`);
  if (summary.reconciled) {
    const r = summary.reconciled;
    const what =
      r.scope === "none"
        ? "nothing changed, nothing compared"
        : `${r.scope === "full" ? "full" : `${r.clients} client(s) the pass touched`}: ${r.ok ? "Clio and QuickBooks agree" : `${r.differences} difference(s) itemised (lexbridge reconcile)`}`;
    lines.push(`  reconciliation, ${what}`);
  }
  lines.push(
    `  open Sync Status issues: ${summary.openIssues}${summary.openIssues ? " (lexbridge status)" : ""}`,
  );
  return lines;
}
