import { movementClients } from "../mapping/trust-journal.ts";
import type { Link } from "../store/port.ts";
import { readInactiveRefs } from "./inactive-ref-store.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { type PassContext, recordPlan } from "./pass-context.ts";
import { CLOSED_BOOKS_KEY, type MovementToPlan, planTrustChanges } from "./planners/trust.ts";
import type { ClioListKind, EngineDeps } from "./ports.ts";
import { ensureTrustAccounts } from "./setup-trust.ts";
import { planCutover } from "./trust-cutover.ts";
import { markDeletedTransactions } from "./trust-deletions.ts";
import { byKey, collectWork, pairedLegIssues, stateOf } from "./trust-work.ts";

/** The Clio streams the pass must pull before the trust phase (and before customers). */
export const TRUST_STREAMS: ClioListKind[] = ["bank_transaction"];

/** Sync Status key of a client's trust drift found by the reconciliation. */
export const trustDriftKey = (clientId: string) => `trust:${clientId}`;

/**
 * The trust phase (PRODUCT.md §1.5): accounts set up, deletions marked, the movement keys to plan
 * collected and read, then the pure planner (planners/trust.ts) and its plan performed. Each Clio
 * trust movement — a trust bank transaction, or the two legs of a matter-to-matter transfer, paired
 * from their fields (trust-transfer-pairing.ts) — becomes one balanced JournalEntry; a changed movement updates it, a movement deleted in Clio
 * deletes it. A movement whose client has no customer yet waits (the customers phase makes trust
 * clients eligible), and so does a transfer leg whose partner is not read yet or is ambiguous. A
 * re-sync of a client's trust drift re-writes all that client's entries from Clio, re-creating
 * deleted ones.
 */
export async function planTrust(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const setup = await ensureTrustAccounts(deps);
  for (const issue of setup.issues)
    recordPlan(ctx, { phase: "issue", action: issue.code, clioId: issue.clioId ?? "" });
  await markDeletedTransactions(deps, setup.clioAccounts);
  const work = await collectWork(deps, ctx);
  const movements: MovementToPlan[] = [];
  for (const key of [...work.keys].sort(byKey)) {
    const state = await stateOf(deps, key, work.pairing);
    const customers = new Map<string, Link | undefined>();
    if (state.kind === "movement")
      for (const client of movementClients(state.movement))
        customers.set(client, await deps.store.getLink("customer", client));
    movements.push({
      key,
      state,
      link: await deps.store.getLink("journal_entry", key),
      forcedSalt: work.forced.get(key),
      customers,
      sources: work.owners.get(key) ?? [],
    });
  }
  const cutover = await planCutover(
    deps,
    ctx,
    setup,
    movements.some((m) => beforeCutover(m, deps.settings.trustStartDate)),
  );
  const plan = planTrustChanges({
    realmId: deps.qbo.realmId,
    accounts: setup.map,
    inactive: await readInactiveRefs(deps),
    openIssues: ctx.openIssues,
    movements,
    ...(deps.settings.trustStartDate ? { trustStartDate: deps.settings.trustStartDate } : {}),
    ...(ctx.tax?.bookCloseDate ? { bookCloseDate: ctx.tax.bookCloseDate } : {}),
    heldAccounts: cutover.held,
    openingPending: cutover.pending,
    closedOpenings: cutover.closed,
    ...(ctx.tracking ? { tracking: ctx.tracking } : {}),
  });
  ctx.plan.push(...plan.entries);
  ctx.cleanings.push(...plan.cleanings);
  for (const issue of plan.issues) await raise(deps, ctx, issue);
  const resolved = pairedLegIssues(ctx, work.pairing);
  // Movements in the closed books stay dirty, so each pass sees them all: none left, item done.
  if (ctx.openIssues.has(CLOSED_BOOKS_KEY) && !plan.issues.some((i) => i.key === CLOSED_BOOKS_KEY))
    resolved.push(CLOSED_BOOKS_KEY);
  if (plan.clean.length > 0 || resolved.length > 0)
    await deps.store.commit(
      {
        mirrorClean: plan.clean.map((id) => ({ kind: "bank_transaction" as const, id })),
        resolveIssues: resolved,
      },
      deps.clock.now(),
    );
  return [...cutover.operations, ...plan.operations];
}

/** A movement dated before the cut-over (its opening balance is added up again). */
function beforeCutover(m: MovementToPlan, trustStartDate: string | undefined): boolean {
  if (!trustStartDate) return false;
  if (m.state.kind === "gone") return m.link?.state !== "linked"; // perhaps a deleted earlier one
  if (m.state.kind !== "movement") return false;
  const mv = m.state.movement;
  const date = (mv.kind === "single" ? mv.tx.date : mv.to.date) ?? "";
  return date !== "" && date.slice(0, 10) < trustStartDate;
}
