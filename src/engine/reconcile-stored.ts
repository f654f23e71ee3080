import type { Store } from "../store/port.ts";
import type { ReconcileReport } from "./reconcile-report.ts";

/**
 * The last full reconciliation's report (JSON), kept in the store's key-value settings by every
 * full reconciliation that raised its items (`lexbridge reconcile`, the full one after a pass,
 * the dashboard's "Reconcile now"). A report of some clients only is not kept: it would hide the
 * others' differences.
 */
export const RECONCILE_LAST_REPORT_KV = "reconcile:last-report";

/** The last full report, or undefined when none was made (or what is stored cannot be read). */
export async function readLastReconcileReport(store: Store): Promise<ReconcileReport | undefined> {
  const raw = await store.getKv(RECONCILE_LAST_REPORT_KV);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as ReconcileReport;
  } catch {
    return undefined;
  }
}
