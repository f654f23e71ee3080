/**
 * Phases 4 and 5 — credit memos applied and removed (PRODUCT.md §1.4), as pure functions over the
 * written credit memos and what was read for each. Phase 4 applies each credit memo to its
 * invoices with a zero-total Payment, or removes that application when the Clio credit memo was
 * voided or deleted; phase 5 then deletes such a credit memo (QBO offers no void for credit memos
 * through the API; deleting one undoes its effect entirely).
 */
import { toCreditApplication } from "../../mapping/allocation-payment.ts";
import type { Link } from "../../store/port.ts";
import { contentHash, requestIdFor } from "../hash.ts";
import { issueKey } from "../issue-keys.ts";
import { alreadyWritten, creditMemoBaseline } from "../link-state.ts";
import type { PlannedOperation } from "../operation.ts";
import type { PlanEntry } from "../pass-context.ts";
import { upsertOf } from "../upsert-operation.ts";

export interface MemoToApply {
  /** The credit memo's link (its baseline holds the applications and the date written). */
  memo: Link;
  /** Voided or deleted in Clio. */
  gone: boolean;
  /** The client's QBO customer, when linked. */
  customerId: string | undefined;
  /** The application's link, if one was written. */
  application: Link | undefined;
}

export interface CreditPlan {
  entries: PlanEntry[];
  operations: PlannedOperation[];
}

const nameOf = (memo: Link) => `Credit memo ${memo.clioId}`;

export function planCreditApplicationChanges(realmId: string, memos: MemoToApply[]): CreditPlan {
  const plan: CreditPlan = { entries: [], operations: [] };
  const add = (p: { operation: PlannedOperation; entry: PlanEntry }) => {
    plan.entries.push(p.entry);
    plan.operations.push(p.operation);
  };
  for (const { memo, gone, customerId, application } of memos) {
    const issue = {
      key: issueKey.creditApplication(memo.clioId),
      entity: "credit_application" as const,
      clioId: memo.clioId,
      clioName: nameOf(memo),
    };
    if (gone) {
      // First the application goes; the memo itself in phase 5.
      if (application?.state === "linked")
        add(removal(realmId, "credit_application", "Payment", application, issue));
      continue;
    }
    const { applications, date } = creditMemoBaseline(memo);
    if (applications.length === 0 || !customerId) continue;
    const body = toCreditApplication(customerId, memo.qboId, date, applications, memo.clioId);
    const hash = contentHash({ body, memo: memo.qboId });
    if (alreadyWritten(application, hash)) continue;
    add(
      upsertOf({
        realmId,
        entity: "credit_application",
        qboEntity: "Payment",
        clioId: memo.clioId,
        name: nameOf(memo),
        link: application,
        body,
        contentHash: hash,
        issue,
      }),
    );
  }
  return plan;
}

/** Credit memos gone in Clio whose application is gone too; `memo.syncToken` is QBO's current one. */
export function planCreditMemoRemovals(realmId: string, memos: Link[]): CreditPlan {
  const plan: CreditPlan = { entries: [], operations: [] };
  for (const memo of memos) {
    const issue = {
      key: issueKey.creditMemo(memo.clioId),
      entity: "credit_memo" as const,
      clioId: memo.clioId,
      clioName: nameOf(memo),
    };
    const { operation, entry } = removal(realmId, "credit_memo", "CreditMemo", memo, issue);
    plan.entries.push(entry);
    plan.operations.push(operation);
  }
  return plan;
}

function removal(
  realmId: string,
  entity: "credit_application" | "credit_memo",
  qboEntity: "Payment" | "CreditMemo",
  link: Link,
  issue: PlannedOperation["payload"]["issue"],
): { operation: PlannedOperation; entry: PlanEntry } {
  return {
    entry: { phase: entity, action: "delete", clioId: link.clioId, name: nameOf(link), qboId: link.qboId },
    operation: {
      entity,
      clioId: link.clioId,
      action: "delete",
      requestId: requestIdFor([realmId, entity, link.clioId, "delete", link.qboId, link.syncToken]),
      payload: {
        qboEntity,
        operation: "delete",
        body: { Id: link.qboId, SyncToken: link.syncToken },
        linkAfter: "delete",
        issue,
        sources: [],
      },
    },
  };
}
