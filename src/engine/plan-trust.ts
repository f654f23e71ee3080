import { movementClients } from "../mapping/trust-journal.ts";
import type { Link } from "../store/port.ts";
import { readInactiveRefs } from "./inactive-ref-store.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { type PassContext, recordPlan } from "./pass-context.ts";
import {
  CLOSED_BOOKS_KEY,
  closedBooksIssue,
  type MovementToPlan,
  planTrustChanges,
} from "./planners/trust.ts";
import type { ClioListKind, EngineDeps } from "./ports.ts";
import { ensureTrustAccounts } from "./setup-trust.ts";
import { planCutover } from "./trust-cutover.ts";
import { markDeletedTransactions } from "./trust-deletions.ts";
import { byKey, collectWork, pairedLegIssues, stateOf, type TrustWork } from "./trust-work.ts";

/** The Clio streams the pass must pull before the trust phase (and before customers). */
export const TRUST_STREAMS: ClioListKind[] = ["bank_transaction"];

/** Sync Status key of a client's trust drift found by the reconciliation. */
export const trustDriftKey = (clientId: string) => `trust:${clientId}`;

/** Movement keys planned at once: the phase's writes go to QBO chunk by chunk while the rest is planned. */
const KEYS_PER_CHUNK = 500;

/**
 * The trust phase (PRODUCT.md §1.5): accounts set up, deletions marked, the movement keys to plan
 * collected and read, then the pure planner (planners/trust.ts) and its plan performed. Each Clio
 * trust movement — a trust bank transaction, or the two legs of a matter-to-matter transfer, paired
 * from their fields (trust-transfer-pairing.ts) — becomes one balanced JournalEntry; a changed movement updates it, a movement deleted in Clio
 * deletes it. A movement whose client has no customer yet waits (the customers phase makes trust
 * clients eligible), and so does a transfer leg whose partner is not read yet or is ambiguous. A
 * re-sync of a client's trust drift re-writes all that client's entries from Clio, re-creating
 * deleted ones.
 *
 * The movements are planned and handed on in chunks (the opening balances first), so their writes
 * start while the rest is planned and only a chunk of them is in memory. What spans the chunks is
 * gathered to the end: the names of movements in the closed books, for their one item.
 */
export async function* planTrust(
  deps: EngineDeps,
  ctx: PassContext,
  keysPerChunk = KEYS_PER_CHUNK,
): AsyncGenerator<PlannedOperation[]> {
  const setup = await ensureTrustAccounts(deps);
  for (const issue of setup.issues)
    recordPlan(ctx, { phase: "issue", action: issue.code, clioId: issue.clioId ?? "" });
  await markDeletedTransactions(deps, setup.clioAccounts);
  const work = await collectWork(deps, ctx);
  const keys = [...work.keys].sort(byKey);
  const cutover = await planCutover(deps, ctx, setup, await anyBeforeCutover(deps, keys, work));
  yield cutover.operations;
  const inactive = await readInactiveRefs(deps);
  const closed = [...cutover.closed];
  for (let i = 0; i < keys.length; i += keysPerChunk) {
    const movements: MovementToPlan[] = [];
    for (const key of keys.slice(i, i + keysPerChunk)) movements.push(await movementOf(deps, key, work));
    const plan = planTrustChanges({
      realmId: deps.qbo.realmId,
      accounts: setup.map,
      inactive,
      openIssues: ctx.openIssues,
      movements,
      ...(deps.settings.trustStartDate ? { trustStartDate: deps.settings.trustStartDate } : {}),
      ...(ctx.tax?.bookCloseDate ? { bookCloseDate: ctx.tax.bookCloseDate } : {}),
      heldAccounts: cutover.held,
      openingPending: cutover.pending,
      ...(ctx.tracking ? { tracking: ctx.tracking } : {}),
    });
    ctx.plan.push(...plan.entries);
    ctx.cleanings.push(...plan.cleanings);
    closed.push(...plan.closed);
    for (const issue of plan.issues) await raise(deps, ctx, issue);
    if (plan.clean.length > 0)
      await deps.store.commit(
        { mirrorClean: plan.clean.map((id) => ({ kind: "bank_transaction" as const, id })) },
        deps.clock.now(),
      );
    yield plan.operations;
  }
  const bookCloseDate = ctx.tax?.bookCloseDate;
  if (closed.length > 0 && bookCloseDate) await raise(deps, ctx, closedBooksIssue(closed, bookCloseDate));
  const resolved = pairedLegIssues(ctx, work.pairing);
  // Movements in the closed books stay dirty, so each pass sees them all: none left, item done.
  if (ctx.openIssues.has(CLOSED_BOOKS_KEY) && closed.length === 0) resolved.push(CLOSED_BOOKS_KEY);
  if (resolved.length > 0) await deps.store.commit({ resolveIssues: resolved }, deps.clock.now());
}

/** What the planner needs of one movement key: its state, entry link and clients' customer links. */
async function movementOf(deps: EngineDeps, key: string, work: TrustWork): Promise<MovementToPlan> {
  const state = await stateOf(deps, key, work.pairing);
  const customers = new Map<string, Link | undefined>();
  if (state.kind === "movement")
    for (const client of movementClients(state.movement))
      customers.set(client, await deps.store.getLink("customer", client));
  return {
    key,
    state,
    link: await deps.store.getLink("journal_entry", key),
    forcedSalt: work.forced.get(key),
    customers,
    sources: work.owners.get(key) ?? [],
  };
}

/** Whether a movement to plan is dated before the cut-over: the opening balances are checked then. */
async function anyBeforeCutover(deps: EngineDeps, keys: string[], work: TrustWork): Promise<boolean> {
  const date = deps.settings.trustStartDate;
  if (!date) return false;
  for (const key of keys) {
    const state = await stateOf(deps, key, work.pairing);
    const link = state.kind === "gone" ? await deps.store.getLink("journal_entry", key) : undefined;
    if (beforeCutover({ state, link }, date)) return true;
  }
  return false;
}

/** A movement dated before the cut-over (its opening balance is added up again). */
function beforeCutover(m: Pick<MovementToPlan, "state" | "link">, trustStartDate: string): boolean {
  if (m.state.kind === "gone") return m.link?.state !== "linked"; // perhaps a deleted earlier one
  if (m.state.kind !== "movement") return false;
  const mv = m.state.movement;
  const date = (mv.kind === "single" ? mv.tx.date : mv.to.date) ?? "";
  return date !== "" && date.slice(0, 10) < trustStartDate;
}
