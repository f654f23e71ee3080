/**
 * Trust (PRODUCT.md §1.5), as a pure function over the movement keys a pass plans and what was
 * read for each: what the key stands for now (a movement, a transfer leg still waiting for its
 * partner, or nothing any more), its journal entry's link, and its clients' customer links. Each
 * movement becomes one balanced JournalEntry; a changed movement updates it; a movement gone from
 * Clio deletes it. A movement waits (and stays dirty) while a client has no customer, its trust
 * account has no QBO accounts yet, or a transfer leg has no partner or several.
 */

import { type Cents, formatMoney } from "../../core/money.ts";
import type { MappingNote } from "../../mapping/mapping-issue.ts";
import { type Tracking, withJournalTracking } from "../../mapping/tracking.ts";
import {
  type ClioTrustTransactionView,
  movementClients,
  movementType,
  signedAmount,
  toTrustJournalEntry,
} from "../../mapping/trust-journal.ts";
import type { IssueInput, Link, SyncIssue } from "../../store/port.ts";
import { contentHash, requestIdFor } from "../hash.ts";
import { issueKey, trustIssueKey } from "../issue-keys.ts";
import { alreadyWritten } from "../link-state.ts";
import type { PlannedOperation } from "../operation.ts";
import { attemptSalt, type PlanEntry } from "../pass-context.ts";
import type { TrustAccountMap } from "../setup-trust.ts";
import type { KeyState } from "../trust-work.ts";
import { upsertOf } from "../upsert-operation.ts";
import { firstInactive, type InactiveRefs, waitsOnInactive } from "./inactive-refs.ts";

export interface MovementToPlan {
  key: string;
  state: KeyState;
  link: Link | undefined;
  /** Set by a re-sync of the client's trust drift: write again even if unchanged. */
  forcedSalt: string | undefined;
  /** The customer link of each client the movement names. */
  customers: ReadonlyMap<string, Link | undefined>;
  /** The mirrored transactions behind the key: clean once it is planned for good. */
  sources: string[];
}

export interface TrustPlanInput {
  realmId: string;
  accounts: TrustAccountMap;
  /** Accounts made inactive in QBO: a movement waits while its trust accounts include one. */
  inactive?: InactiveRefs;
  openIssues: ReadonlyMap<string, SyncIssue>;
  movements: MovementToPlan[];
  /** `trustStartDate`: movements dated before it are history QBO already holds, never posted. */
  trustStartDate?: string;
  /** QBO's closed-books date (Preferences BookCloseDate): QBO refuses entries dated on or before it (6210). */
  bookCloseDate?: string;
  /** Clio trust accounts whose cut-over check failed (trust-cutover.ts): their movements wait. */
  heldAccounts?: ReadonlySet<string>;
  /** `${account}-${client}` whose opening balance is not written yet: their earlier movements stay dirty. */
  openingPending?: ReadonlySet<string>;
  /** The class and location on every line, when the company tracks them. */
  tracking?: Tracking;
}

/** The one Sync Status item for every movement dated on or before QBO's closed-books date. */
export const CLOSED_BOOKS_KEY = "trust:closed-books";

export interface TrustPlan {
  entries: PlanEntry[];
  operations: PlannedOperation[];
  issues: IssueInput[];
  clean: string[];
  cleanings: Array<MappingNote & { clioId: string }>;
  /**
   * Names of the movements dated in QBO's closed books: the caller gathers them over every chunk of
   * the pass into the one closed-books item (closedBooksIssue), not an item per chunk.
   */
  closed: string[];
}

const LABELS = {
  deposit: "Trust deposit",
  trust_request: "Trust request payment",
  withdrawal: "Trust withdrawal",
  bill_payment: "Trust bill payment",
  transfer: "Trust transfer",
} as const;

export function planTrustChanges(input: TrustPlanInput): TrustPlan {
  const plan: TrustPlan = { entries: [], operations: [], issues: [], clean: [], cleanings: [], closed: [] };
  for (const m of input.movements) {
    const date = movementDate(m);
    const account = movementAccount(m);
    if (account !== undefined && input.heldAccounts?.has(account)) continue; // its account's item says why
    if (date !== undefined && input.trustStartDate !== undefined && date < input.trustStartDate) {
      // Before the cut-over: in the client's opening balance (or QBO already holds it). It stays
      // dirty until that balance is written, which cleans it.
      const clients = m.state.kind === "movement" ? movementClients(m.state.movement) : [];
      if (!clients.some((c) => input.openingPending?.has(`${account}-${c}`))) plan.clean.push(...m.sources);
      continue;
    }
    if (
      date !== undefined &&
      input.bookCloseDate !== undefined &&
      date <= input.bookCloseDate &&
      m.link?.state !== "linked"
    ) {
      plan.closed.push(nameOf(m)); // stays dirty: written once the date or the setting changes
      continue;
    }
    const result = planMovement(input, plan, m);
    if (result === "clean") plan.clean.push(...m.sources);
    else if (result) {
      plan.entries.push(result.entry);
      plan.operations.push({
        ...result.operation,
        payload: {
          ...result.operation.payload,
          sources: m.sources.map((id) => ({ kind: "bank_transaction", id })),
        },
      });
    }
  }
  return plan;
}

function movementAccount({ state }: MovementToPlan): string | undefined {
  const tx =
    state.kind === "movement"
      ? state.movement.kind === "single"
        ? state.movement.tx
        : state.movement.to
      : undefined;
  const id = tx?.bank_account?.id;
  return id === undefined ? undefined : String(id);
}

function movementDate({ state }: MovementToPlan): string | undefined {
  if (state.kind !== "movement") return undefined;
  const m = state.movement;
  const date = m.kind === "single" ? m.tx.date : m.to.date;
  return date ? date.slice(0, 10) : undefined;
}

/** One item for all of them, not one 6210 failure per movement. */
export function closedBooksIssue(names: string[], closeDate: string): IssueInput {
  const shown = names.slice(0, 5).join(", ");
  const more = names.length > 5 ? ` and ${names.length - 5} more` : "";
  return {
    key: CLOSED_BOOKS_KEY,
    entity: "journal_entry",
    clioId: "closed-books",
    clioName: "Trust movements in closed books",
    code: "sync_trust_before_closed_books",
    message: `${names.length} Clio trust movement${names.length === 1 ? " is" : "s are"} dated on or before ${closeDate}, when the QuickBooks books are closed, so none was posted: ${shown}${more}`,
  };
}

type Planned = { operation: PlannedOperation; entry: PlanEntry } | "clean" | undefined;

function nameOf({ key, state }: MovementToPlan): string {
  if (state.kind === "movement") return `${LABELS[movementType(state.movement)]} ${key.split(":")[1]}`;
  if (state.kind === "waiting") return `Trust transfer leg ${state.tx.id}`;
  return `Trust ${key.replace(":", " ")}`;
}

function planMovement(input: TrustPlanInput, plan: TrustPlan, m: MovementToPlan): Planned {
  const { key, state, link, forcedSalt } = m;
  const name = nameOf(m);
  const issue = { key: trustIssueKey(key), entity: "journal_entry" as const, clioId: key, clioName: name };
  if (state.kind === "waiting") {
    plan.issues.push({ ...issue, ...waitingIssue(state.tx, state.candidates) });
    return undefined; // stays dirty: planned again until its partner is read
  }
  const salt = forcedSalt ?? attemptSalt(input, issue.key, true);
  if (salt === undefined) return "clean";
  const remove = (): Planned =>
    link?.state === "linked"
      ? deleteEntry({ realmId: input.realmId, key, name, link, salt, issue, sources: [] })
      : "clean";
  if (state.kind === "gone") return remove();
  const movement = state.movement;
  if (link?.state === "broken" && forcedSalt === undefined) return "clean";
  const accountId = String(
    movement.kind === "single" ? movement.tx.bank_account?.id : movement.to.bank_account?.id,
  );
  const accounts = input.accounts[accountId];
  if (!accounts) {
    plan.issues.push({
      ...issue,
      code: "sync_trust_account_missing",
      message: `${name} is in Clio trust account ${accountId}, which has no QuickBooks trust accounts yet`,
    });
    return undefined;
  }
  const inactive = firstInactive(input.inactive, "Account", [accounts.bank, accounts.liability]);
  if (inactive) {
    plan.issues.push({ ...issue, ...waitsOnInactive(name, inactive) });
    return undefined; // stays dirty: planned again once the account is active
  }
  const customerIdByClient = new Map<string, string>();
  for (const client of movementClients(movement)) {
    const customer = m.customers.get(client);
    if (customer?.state !== "linked") {
      plan.issues.push({
        ...issue,
        code: "sync_customer_not_synced",
        blockedBy: issueKey.contact(client),
        message: `${name} waits for its client (Clio contact ${client}) to be linked to a QuickBooks customer`,
      });
      return undefined; // stays dirty: planned again once the customer exists
    }
    customerIdByClient.set(client, customer.qboId);
  }
  const mapped = toTrustJournalEntry(movement, {
    bankAccountId: accounts.bank,
    liabilityAccountId: accounts.liability,
    customerIdByClient,
  });
  for (const n of mapped.notes) if (n.severity === "cleaned") plan.cleanings.push({ clioId: key, ...n });
  const error = mapped.notes.find((n) => n.severity === "error");
  if (error) {
    plan.issues.push({ ...issue, code: "sync_mapping_failed", message: `${name}: ${error.message}` });
    return "clean";
  }
  if (!mapped.value) return remove();
  const body = withJournalTracking(mapped.value, input.tracking);
  const hash = contentHash(body);
  if (alreadyWritten(link, hash) && forcedSalt === undefined) return "clean";
  return upsertOf({
    realmId: input.realmId,
    entity: "journal_entry",
    qboEntity: "JournalEntry",
    clioId: key,
    name,
    link,
    body,
    contentHash: hash,
    salt,
    issue,
  });
}

/** The deletion of a trust journal entry (its movement or opening balance is gone). */
export function deleteEntry(d: {
  realmId: string;
  key: string;
  name: string;
  link: Link;
  salt: string;
  issue: PlannedOperation["payload"]["issue"];
  /** Mirrored transactions cleaned once it is done. */
  sources: string[];
}): { operation: PlannedOperation; entry: PlanEntry } {
  const { key, name, link } = d;
  return {
    entry: { phase: "journal_entry", action: "delete", clioId: key, name, qboId: link.qboId },
    operation: {
      entity: "journal_entry",
      clioId: key,
      action: "delete",
      requestId: requestIdFor([d.realmId, "journal_entry", key, "delete", link.syncToken, d.salt]),
      payload: {
        qboEntity: "JournalEntry",
        operation: "delete",
        body: { Id: link.qboId, SyncToken: link.syncToken },
        linkAfter: "delete",
        issue: d.issue,
        sources: d.sources.map((id) => ({ kind: "bank_transaction", id })),
      },
    },
  };
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
