import { count, streamNoun } from "../app/bookkeeping-words.ts";
import type { PassSummary } from "../engine/sync-pass.ts";

/** Counts of a pass's plan by phase and action, e.g. `customer create: 12`. */
export function planCounts(summary: Pick<PassSummary, "plan" | "planCounts">): Record<string, number> {
  // A large pass keeps only its first entries; its counts cover every one.
  if (summary.planCounts) return summary.planCounts;
  const counts: Record<string, number> = {};
  for (const p of summary.plan)
    counts[`${p.phase} ${p.action}`] = (counts[`${p.phase} ${p.action}`] ?? 0) + 1;
  return counts;
}

/** What each QuickBooks record is called, singular and plural. */
const RECORD_NAMES: Record<string, [string, string]> = {
  customer: ["customer", "customers"],
  invoice: ["invoice", "invoices"],
  payment: ["payment", "payments"],
  credit_memo: ["credit note", "credit notes"],
  journal_entry: ["trust journal entry", "trust journal entries"],
  credit_application: ["credit application", "credit applications"],
};

/** The order records are named in: the order a pass writes them. */
const RECORD_ORDER = ["invoice", "payment", "credit_memo", "journal_entry", "credit_application"];

/** Past tense of each change other than a new record, as the summary says it. */
const CHANGE_WORDS: Array<[action: string, word: string]> = [
  ["update", "updated"],
  ["void", "voided"],
  ["delete", "deleted"],
  ["reactivate", "made active again"],
];

function records(n: number, entity: string): string {
  const [one, many] = RECORD_NAMES[entity] ?? [
    entity.replaceAll("_", " "),
    `${entity.replaceAll("_", " ")}s`,
  ];
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "a, b and c" */
function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What a pass did, as a bookkeeper says it: "Linked 19 existing QuickBooks customers, created
 * 123. Sent 388 invoices, 503 payments…" — from the plan (a dry run says what it would do), with
 * failures, the reconciliation and the open Sync Status items after it.
 */
export function summaryLines(
  summary: PassSummary & {
    reconciled?: { scope: "full" | "clients" | "none"; clients: number; ok: boolean; differences: number };
  },
): string[] {
  const dry = summary.dryRun;
  const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
  const n = planCounts(summary);
  const get = (key: string) => n[key] ?? 0;
  const lines = [`${dry ? "Dry run (nothing written)" : "Sync"} finished in ${seconds.toFixed(1)} s.`];

  const read = Object.entries(summary.pulled)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${count(v)} ${streamNoun(k)}`);
  lines.push(`  Read from Clio: ${read.length ? list(read) : "nothing new"}.`);

  const customers: string[] = [];
  if (get("customer link"))
    customers.push(
      `${dry ? "would link" : "linked"} ${count(get("customer link"))} existing QuickBooks ${get("customer link") === 1 ? "customer" : "customers"}`,
    );
  if (get("customer create"))
    customers.push(
      customers.length
        ? `${dry ? "would create" : "created"} ${count(get("customer create"))}`
        : `${dry ? "would create" : "created"} ${records(get("customer create"), "customer")}`,
    );
  for (const [action, word] of CHANGE_WORDS) {
    const changed = get(`customer ${action}`);
    if (!changed) continue;
    const what = customers.length ? count(changed) : records(changed, "customer");
    customers.push(`${dry ? "would have " : ""}${word} ${what}`);
  }
  if (customers.length) lines.push(`  ${capitalise(list(customers))}.`);

  const sent = RECORD_ORDER.filter((e) => get(`${e} create`)).map((e) => records(get(`${e} create`), e));
  if (sent.length) lines.push(`  ${dry ? "Would send" : "Sent"} ${list(sent)}.`);

  const changed: string[] = [];
  for (const e of RECORD_ORDER)
    for (const [action, word] of CHANGE_WORDS)
      if (get(`${e} ${action}`)) changed.push(`${records(get(`${e} ${action}`), e)} ${word}`);
  if (changed.length) lines.push(`  In QuickBooks${dry ? ", would be" : ""}: ${list(changed)}.`);

  if (get("customer update_clio"))
    lines.push(
      `  ${dry ? "Would update" : "Updated"} ${count(get("customer update_clio"))} Clio ${get("customer update_clio") === 1 ? "contact" : "contacts"} from QuickBooks.`,
    );
  if (get("customer propose"))
    lines.push(
      `  ${count(get("customer propose"))} near ${get("customer propose") === 1 ? "match waits" : "matches wait"} for your review (lexbridge match list).`,
    );
  if (!customers.length && !sent.length && !changed.length)
    lines.push("  Nothing to send: QuickBooks is up to date.");
  if (summary.written.failed)
    lines.push(
      `  ${count(summary.written.failed)} ${summary.written.failed === 1 ? "write" : "writes"} failed: each is a Sync Status item or is sent again next pass.`,
    );
  const raised = Object.entries(planCounts(summary))
    .filter(([key]) => key.startsWith("issue "))
    .reduce((n, [, c]) => n + c, 0);
  if (raised)
    lines.push(
      `  ${count(raised)} ${raised === 1 ? "record" : "records"} could not sync${dry ? "" : " and wait in Sync Status"}.`,
    );

  if (summary.reconciled) {
    const r = summary.reconciled;
    const what =
      r.scope === "none"
        ? "nothing changed, nothing compared"
        : `${r.scope === "full" ? "full" : `${count(r.clients)} ${r.clients === 1 ? "client" : "clients"} the pass touched`}: ${r.ok ? "Clio and QuickBooks agree" : `${count(r.differences)} ${r.differences === 1 ? "difference" : "differences"} itemised (lexbridge reconcile)`}`;
    lines.push(`  Reconciliation, ${what}.`);
  }
  lines.push(
    summary.openIssues
      ? `  Sync Status: ${count(summary.openIssues)} open ${summary.openIssues === 1 ? "item" : "items"} (lexbridge status).`
      : "  Sync Status: nothing open.",
  );
  return lines;
}
