import type { IssueInput } from "../store/port.ts";
import { trustDriftKey } from "./plan-trust.ts";
import type { EngineDeps } from "./ports.ts";
import type { ReconcileItem, ReconcileReport } from "./reconcile-report.ts";

/** Records whose own issue already says why they are not in QBO do not count as drift. */
const NOT_DRIFT = new Set([
  "bill not synced",
  "payment not synced",
  "movement not synced",
  "client has no QuickBooks customer",
]);

export const balanceDriftKey = (clientId: string) => `balance:${clientId}`;

const DRIFT_CODES = new Set(["sync_trust_drift", "sync_balance_drift"]);

/**
 * The drift items a report means: a client whose synced records differ gets `sync_trust_drift`
 * (trust) or `sync_balance_drift` (receivables, invoices, payments), with the records itemised.
 * Open drift items of the clients compared (`compared`; every client when absent) that no longer
 * differ are resolved; those of clients a touched-only compare did not look at stay as they are.
 * (The trust key is the trust phase's, so a drift it notices and one found here are one item.)
 */
export function driftChanges(
  report: ReconcileReport,
  customerOfClient: ReadonlyMap<string, string>,
  open: Array<{ key: string; code: string; clioId?: string | null }>,
  compared?: ReadonlySet<string>,
): { issues: IssueInput[]; resolve: string[] } {
  const byKey = new Map<string, ReconcileItem[]>();
  for (const i of report.items) {
    if (NOT_DRIFT.has(i.reason) || !customerOfClient.has(i.clientId)) continue;
    const key = i.area === "trust" ? trustDriftKey(i.clientId) : balanceDriftKey(i.clientId);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  }
  const issues: IssueInput[] = [];
  for (const [key, list] of byKey) {
    const clientId = list[0]!.clientId;
    const row = report.clients.find((c) => c.clientId === clientId);
    const trust = key.startsWith("trust:");
    const what = trust
      ? `trust liability ${row?.trust.qbo} in QuickBooks vs trust balance ${row?.trust.clio} in Clio (difference ${row?.trust.difference})`
      : `receivables, invoices or payments differ (${list.length} record${list.length === 1 ? "" : "s"})`;
    const records = list
      .slice(0, 5)
      .map((i) => `${i.qboRecord ?? i.clioRecord}: ${i.reason}, ${i.difference}`)
      .join("; ");
    issues.push({
      key,
      code: trust ? "sync_trust_drift" : "sync_balance_drift",
      message: `${row?.name ?? `Client ${clientId}`}: ${what}. ${records}${list.length > 5 ? "; …" : ""}`,
      entity: "contact",
      clioId: clientId,
      ...(row?.name ? { clioName: row.name } : {}),
      ...(customerOfClient.has(clientId) ? { qboId: customerOfClient.get(clientId) } : {}),
      details: { items: list },
    });
  }
  const wasCompared = (key: string) => !compared || compared.has(key.slice(key.indexOf(":") + 1));
  const resolve = open
    .filter((i) => DRIFT_CODES.has(i.code) && !byKey.has(i.key) && wasCompared(i.key))
    .map((i) => i.key);
  return { issues, resolve };
}

/** Writes the drift items of a report (see driftChanges) in one commit. */
export async function raiseDriftIssues(
  deps: EngineDeps,
  report: ReconcileReport,
  customerOfClient: ReadonlyMap<string, string>,
  compared?: ReadonlySet<string>,
): Promise<void> {
  const open = await deps.store.listIssues({ state: "open" });
  const { issues, resolve } = driftChanges(report, customerOfClient, open, compared);
  if (issues.length > 0 || resolve.length > 0)
    await deps.store.commit({ issues, resolveIssues: resolve }, deps.clock.now());
}
