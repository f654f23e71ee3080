import { type Cents, formatMoney } from "../core/money.ts";
import {
  type ClioTrustTransactionView,
  movementClients,
  movementType,
  signedAmount,
  toTrustJournalEntry,
} from "../mapping/trust-journal.ts";
import type { IssueInput } from "../store/port.ts";
import { contentHash, requestIdFor } from "./hash.ts";
import { trustIssueKey } from "./issue-keys.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { attemptSalt, type PassContext, recordPlan } from "./pass-context.ts";
import type { ClioListKind, EngineDeps } from "./ports.ts";
import { ensureTrustAccounts, type TrustAccountMap } from "./setup-trust.ts";
import { markDeletedTransactions } from "./trust-deletions.ts";
import type { TrustPairing } from "./trust-transfers.ts";
import { byKey, collectWork, pairedLegIssues, stateOf } from "./trust-work.ts";
import { upsertOperation } from "./upsert-operation.ts";

/** The Clio streams the pass must pull before the trust phase (and before customers). */
export const TRUST_STREAMS: ClioListKind[] = ["bank_transaction"];

/** Sync Status key of a client's trust drift found by the reconciliation. */
export const trustDriftKey = (clientId: string) => `trust:${clientId}`;

/**
 * Phase 5 — trust (PRODUCT.md §1.5). Each Clio trust movement — a trust bank transaction, or the
 * two legs of a matter-to-matter transfer, paired from their fields (trust-transfer-pairing.ts) —
 * becomes one balanced JournalEntry; a changed movement updates it, a movement deleted in Clio
 * deletes it. A movement whose client has no customer yet waits (the customers phase makes trust
 * clients eligible), and so does a transfer leg whose partner is not read yet or is ambiguous. A
 * re-sync of a client's trust drift re-writes all that client's entries from Clio, re-creating
 * deleted ones.
 */
export async function planTrust(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const setup = await ensureTrustAccounts(deps);
  const map: TrustAccountMap = setup.map;
  for (const issue of setup.issues)
    recordPlan(ctx, { phase: "issue", action: issue.code, clioId: issue.clioId ?? "" });
  await markDeletedTransactions(deps, setup.clioAccounts);
  const work = await collectWork(deps, ctx);
  const ops: PlannedOperation[] = [];
  const clean: Array<{ kind: "bank_transaction"; id: string }> = [];
  for (const key of [...work.keys].sort(byKey)) {
    const sources = (work.owners.get(key) ?? []).map((id) => ({ kind: "bank_transaction" as const, id }));
    const result = await planMovement(deps, ctx, map, key, work.pairing, work.forced.get(key));
    if (result === "clean") clean.push(...sources);
    else if (result) ops.push({ ...result, payload: { ...result.payload, sources } });
  }
  const resolved = pairedLegIssues(ctx, work.pairing);
  if (clean.length > 0 || resolved.length > 0)
    await deps.store.commit({ mirrorClean: clean, resolveIssues: resolved }, deps.clock.now());
  return ops;
}

/** The Sync Status item of a transfer leg that has no partner yet, or more than one. */
function waitingIssue(
  tx: ClioTrustTransactionView,
  candidates: string[],
): Pick<IssueInput, "code" | "message" | "details"> {
  const moved = signedAmount(tx);
  const what = `Clio trust transaction ${tx.id} (${formatMoney(Math.abs(moved) as Cents)} ${moved < 0 ? "out of" : "into"} ${
    tx.matter?.display_number ? `matter ${tx.matter.display_number}` : `client ${tx.client?.id ?? "?"}`
  } on ${String(tx.date ?? "").slice(0, 10)}) is one leg of a trust transfer`;
  if (candidates.length === 0)
    return {
      code: "sync_trust_transfer_unpaired",
      message: `${what}; no other leg in Clio matches it yet, so it waits`,
    };
  return {
    code: "sync_trust_transfer_ambiguous",
    message: `${what}; transactions ${candidates.join(", ")} could each be its other leg, and lexbridge does not guess`,
    details: { candidates },
  };
}

const LABELS = {
  deposit: "Trust deposit",
  trust_request: "Trust request payment",
  withdrawal: "Trust withdrawal",
  bill_payment: "Trust bill payment",
  transfer: "Trust transfer",
} as const;

async function planMovement(
  deps: EngineDeps,
  ctx: PassContext,
  map: TrustAccountMap,
  key: string,
  pairing: TrustPairing,
  forcedSalt: string | undefined,
): Promise<PlannedOperation | "clean" | undefined> {
  const issueKey = trustIssueKey(key);
  const link = await deps.store.getLink("journal_entry", key);
  const state = await stateOf(deps, key, pairing);
  const name =
    state.kind === "movement"
      ? `${LABELS[movementType(state.movement)]} ${key.split(":")[1]}`
      : state.kind === "waiting"
        ? `Trust transfer leg ${state.tx.id}`
        : `Trust ${key.replace(":", " ")}`;
  const issue: Pick<IssueInput, "key" | "entity" | "clioId" | "clioName"> = {
    key: issueKey,
    entity: "journal_entry",
    clioId: key,
    clioName: name,
  };
  if (state.kind === "waiting") {
    await raise(deps, ctx, { ...issue, ...waitingIssue(state.tx, state.candidates) });
    return undefined; // stays dirty: planned again until its partner is read
  }
  const salt = forcedSalt ?? attemptSalt(ctx, issueKey, true);
  if (salt === undefined) return "clean";

  const remove = (): PlannedOperation | "clean" => {
    if (link?.state !== "linked") return "clean";
    recordPlan(ctx, { phase: "journal_entry", action: "delete", clioId: key, name, qboId: link.qboId });
    return {
      entity: "journal_entry",
      clioId: key,
      action: "delete",
      requestId: requestIdFor([deps.qbo.realmId, "journal_entry", key, "delete", link.syncToken, salt]),
      payload: {
        qboEntity: "JournalEntry",
        operation: "delete",
        body: { Id: link.qboId, SyncToken: link.syncToken },
        contentHash: "deleted",
        linkAfter: "delete",
        issue,
        sources: [],
      },
    };
  };
  if (state.kind === "gone") return remove();
  const movement = state.movement;
  if (link?.state === "broken" && forcedSalt === undefined) return "clean";

  const accountId = String(
    movement.kind === "single" ? movement.tx.bank_account?.id : movement.to.bank_account?.id,
  );
  const accounts = map[accountId];
  if (!accounts) {
    await raise(deps, ctx, {
      ...issue,
      code: "sync_trust_account_missing",
      message: `${name} is in Clio trust account ${accountId}, which has no QuickBooks trust accounts yet`,
    });
    return undefined;
  }
  const customerIdByClient = new Map<string, string>();
  for (const client of movementClients(movement)) {
    const customer = await deps.store.getLink("customer", client);
    if (customer?.state === "linked") customerIdByClient.set(client, customer.qboId);
    else {
      await raise(deps, ctx, {
        ...issue,
        code: "sync_customer_not_synced",
        message: `${name} waits for its client (Clio contact ${client}) to be linked to a QuickBooks customer`,
      });
      return undefined; // stays dirty: planned again once the customer exists
    }
  }
  const mapped = toTrustJournalEntry(movement, {
    bankAccountId: accounts?.bank ?? `(new trust bank for Clio account ${accountId})`,
    liabilityAccountId: accounts?.liability ?? `(new trust liability for Clio account ${accountId})`,
    customerIdByClient,
  });
  for (const n of mapped.notes) if (n.severity === "cleaned") ctx.cleanings.push({ clioId: key, ...n });
  const error = mapped.notes.find((n) => n.severity === "error");
  if (error) {
    await raise(deps, ctx, { ...issue, code: "sync_mapping_failed", message: `${name}: ${error.message}` });
    return "clean";
  }
  if (!mapped.value) return remove();
  const hash = contentHash(mapped.value);
  if (link?.state === "linked" && link.contentHash === hash && forcedSalt === undefined) return "clean";
  return upsertOperation(ctx, {
    realmId: deps.qbo.realmId,
    entity: "journal_entry",
    qboEntity: "JournalEntry",
    clioId: key,
    name,
    link,
    body: mapped.value,
    contentHash: hash,
    salt,
    issue,
  });
}
