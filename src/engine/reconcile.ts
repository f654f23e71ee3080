import type { EngineDeps } from "./ports.ts";
import { compareReconciliation } from "./reconcile-compare.ts";
import { raiseDriftIssues } from "./reconcile-raise.ts";
import { type ReconcileScope, readReconciliation } from "./reconcile-read.ts";
import type { ReconcileReport } from "./reconcile-report.ts";
import { fullReconcileDue, RECONCILE_FULL_KV, reconcileScopeAfterPass } from "./reconcile-scope.ts";
import { RECONCILE_LAST_REPORT_KV } from "./reconcile-stored.ts";
import type { PassSummary } from "./sync-pass.ts";

export { balanceDriftKey } from "./reconcile-raise.ts";
export type { ReconcileScope } from "./reconcile-read.ts";
export * from "./reconcile-report.ts";
export { readLastReconcileReport } from "./reconcile-stored.ts";

/**
 * The reconciliation report (PRODUCT.md §2) in three steps: read (reconcile-read.ts, the only IO:
 * fresh from both APIs, for everything or for some clients), compare (reconcile-compare.ts, pure:
 * every difference itemised per client) and, with `raiseIssues`, raise (reconcile-raise.ts: drift
 * becomes a Sync Status item, and items of compared clients that agree again are resolved).
 * A full reconciliation that raised its items is remembered, so the one after a pass knows when
 * the next full one is due, and its report is kept (the dashboard's Reconciliation page shows it).
 */
export async function reconcile(
  deps: EngineDeps,
  options: { raiseIssues?: boolean; scope?: ReconcileScope } = {},
): Promise<ReconcileReport> {
  const scope = options.scope ?? { kind: "full" };
  const startedAt = deps.clock.now();
  const input = await readReconciliation(deps, scope);
  const report = compareReconciliation(input);
  if (options.raiseIssues) {
    await raiseDriftIssues(deps, report, input.customerOfClient, input.clients);
    if (scope.kind === "full")
      await deps.store.commit(
        {
          kv: {
            [RECONCILE_FULL_KV]: new Date(startedAt).toISOString(),
            [RECONCILE_LAST_REPORT_KV]: JSON.stringify(report),
          },
        },
        deps.clock.now(),
      );
  }
  return report;
}

/**
 * The reconciliation `lexbridge sync` runs after a pass: in full once every
 * `reconcileFullIntervalMs` (a day by default), else only the clients the pass touched — and none,
 * with no request at all, after a pass that touched nothing. Returns undefined when nothing was
 * compared.
 */
export async function reconcileAfterPass(
  deps: EngineDeps,
  summary: Pick<PassSummary, "touchedClients">,
): Promise<ReconcileReport | undefined> {
  const scope = reconcileScopeAfterPass({
    fullDue: fullReconcileDue(
      await deps.store.getKv(RECONCILE_FULL_KV),
      deps.clock.now(),
      deps.settings.reconcileFullIntervalMs,
    ),
    touched: new Set(summary.touchedClients),
    mirrored: {
      bill: await deps.store.countMirror("bill"),
      allocation: await deps.store.countMirror("allocation"),
      bank_transaction: await deps.store.countMirror("bank_transaction"),
    },
  });
  return scope ? reconcile(deps, { raiseIssues: true, scope }) : undefined;
}
