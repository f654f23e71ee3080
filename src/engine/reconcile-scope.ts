import type { ReconcileScope } from "./reconcile-read.ts";

/** When the last full reconciliation after a pass ran (ISO time), kept across passes and restarts. */
export const RECONCILE_FULL_KV = "reconcile:full-at";

/** Clio's page size for the reads a full reconciliation makes. */
const CLIO_PAGE = 200;
/** A touched client costs one filtered Clio listing each of bills, allocations, trust transactions. */
const CLIO_READS_PER_CLIENT = 3;

/**
 * Whether the full reconciliation is due. Never run → due (the first pass reconciles everything);
 * a time that cannot be read, or one ahead of the clock (it was set back), → due; else once the
 * period has passed.
 */
export function fullReconcileDue(lastAt: string | undefined, now: number, intervalMs: number): boolean {
  if (lastAt === undefined) return true;
  const last = Date.parse(lastAt);
  if (Number.isNaN(last) || last > now) return true;
  return now - last >= intervalMs;
}

/**
 * What to reconcile after a pass: everything when the full compare is due, nothing when the pass
 * touched no client, else the touched clients — unless reading them one by one would cost Clio
 * more requests than the full listings (`mirrored`: how many bills, allocations and trust
 * transactions are mirrored, which sets how many pages a full read takes), as after a bulk change.
 */
export function reconcileScopeAfterPass(input: {
  fullDue: boolean;
  touched: ReadonlySet<string>;
  mirrored: { bill: number; allocation: number; bank_transaction: number };
}): ReconcileScope | undefined {
  if (input.fullDue) return { kind: "full" };
  if (input.touched.size === 0) return undefined;
  const pages = (n: number) => Math.max(1, Math.ceil(n / CLIO_PAGE));
  const m = input.mirrored;
  const fullCost = pages(m.bill) + pages(m.allocation) + pages(m.bank_transaction) + 1; // + accounts
  if (input.touched.size * CLIO_READS_PER_CLIENT >= fullCost) return { kind: "full" };
  return {
    kind: "clients",
    clients: [...input.touched].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1)),
  };
}
