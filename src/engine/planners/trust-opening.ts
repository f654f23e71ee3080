/**
 * The trust cut-over's opening balances, as a pure function: one journal entry per client and Clio
 * trust account (mapping/trust-opening.ts), written once and linked under `opening:<account>-<client>`
 * like any entry, so it is never sent twice; updated if Clio's history before the cut-over changes
 * (a backdated edit), deleted if that balance becomes zero. An opening balance that cannot be written
 * yet (no customer, closed books) is "pending": the movements before the cut-over behind it stay
 * dirty, so the next pass plans it again.
 */

import { formatMoney } from "../../core/money.ts";
import { type Tracking, withJournalTracking } from "../../mapping/tracking.ts";
import { type OpeningBalance, openingKey, toOpeningJournalEntry } from "../../mapping/trust-opening.ts";
import type { IssueInput, Link, SyncIssue } from "../../store/port.ts";
import { contentHash } from "../hash.ts";
import { issueKey, trustIssueKey } from "../issue-keys.ts";
import { alreadyWritten } from "../link-state.ts";
import type { PlannedOperation } from "../operation.ts";
import { attemptSalt, type PlanEntry } from "../pass-context.ts";
import type { TrustAccountMap } from "../setup-trust.ts";
import { upsertOf } from "../upsert-operation.ts";
import { deleteEntry } from "./trust.ts";

export interface OpeningToPlan extends OpeningBalance {
  link: Link | undefined;
  /** Set by a re-sync of the client's trust drift: write again even if unchanged. */
  forcedSalt?: string;
  customer: Link | undefined;
  /** The dirty Clio transactions before the cut-over behind this balance: clean once it is written. */
  sources: string[];
}

export interface OpeningPlanInput {
  realmId: string;
  accounts: TrustAccountMap;
  /** QBO's Opening Balance Equity account. */
  equityAccountId: string;
  openIssues: ReadonlyMap<string, SyncIssue>;
  openings: OpeningToPlan[];
  bookCloseDate?: string;
  /** The class and location on every line, when the company tracks them. */
  tracking?: Tracking;
}

export interface OpeningPlan {
  entries: PlanEntry[];
  operations: PlannedOperation[];
  issues: IssueInput[];
  /** `${account}-${client}` of balances not settled this pass (their movements stay dirty). */
  pending: Set<string>;
  /** Names of the balances dated in QBO's closed books (for the one closed-books item). */
  closed: string[];
  /** Sources settled without a write (already written, or zero). */
  clean: string[];
}

export function planOpeningBalances(input: OpeningPlanInput): OpeningPlan {
  const plan: OpeningPlan = {
    entries: [],
    operations: [],
    issues: [],
    pending: new Set(),
    closed: [],
    clean: [],
  };
  for (const o of input.openings) {
    const key = openingKey(o.account, o.client);
    const name = `Trust opening balance of ${o.clientName ?? `client ${o.client}`} (${o.accountName})`;
    const issue = { key: trustIssueKey(key), entity: "journal_entry" as const, clioId: key, clioName: name };
    const wait = () => plan.pending.add(`${o.account}-${o.client}`);
    const accounts = input.accounts[o.account];
    if (!accounts || accounts.mapped) {
      if (!accounts)
        wait(); // the movements' own items say why the account is not mapped
      else plan.clean.push(...o.sources); // the mapped accounts hold the history: nothing to post
      continue;
    }
    if (input.bookCloseDate !== undefined && o.date <= input.bookCloseDate && o.link?.state !== "linked") {
      if (o.amount !== 0) plan.closed.push(name);
      wait();
      continue;
    }
    const salt = o.forcedSalt ?? attemptSalt(input, issue.key, o.sources.length > 0);
    if (salt === undefined) {
      plan.clean.push(...o.sources); // failed before with this content; a re-sync asks again
      continue;
    }
    if (o.amount === 0) {
      if (o.link?.state === "linked") {
        const { operation, entry } = deleteEntry({
          realmId: input.realmId,
          key,
          name,
          link: o.link,
          salt,
          issue,
          sources: o.sources,
        });
        plan.entries.push(entry);
        plan.operations.push(operation);
      } else plan.clean.push(...o.sources);
      continue;
    }
    if (o.customer?.state !== "linked") {
      plan.issues.push({
        ...issue,
        code: "sync_customer_not_synced",
        blockedBy: issueKey.contact(o.client),
        message: `${name} (${formatMoney(o.amount)}) waits for its client (Clio contact ${o.client}) to be linked to a QuickBooks customer`,
      });
      wait();
      continue;
    }
    const mapped = toOpeningJournalEntry(o, {
      bank: accounts.bank,
      liability: accounts.liability,
      equity: input.equityAccountId,
      customerId: o.customer.qboId,
    });
    const body = withJournalTracking(mapped.value!, input.tracking);
    const hash = contentHash(body);
    if (alreadyWritten(o.link, hash) && o.forcedSalt === undefined) {
      plan.clean.push(...o.sources);
      continue;
    }
    const { operation, entry } = upsertOf({
      realmId: input.realmId,
      entity: "journal_entry",
      qboEntity: "JournalEntry",
      clioId: key,
      name,
      link: o.link,
      body,
      contentHash: hash,
      salt,
      issue,
      sources: o.sources.map((id) => ({ kind: "bank_transaction", id })),
    });
    plan.entries.push(entry);
    plan.operations.push(operation);
  }
  return plan;
}
