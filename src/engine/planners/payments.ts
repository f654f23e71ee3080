/**
 * Phase 3 — payments and credit memos (PRODUCT.md §1.3–1.4), as a pure function over the Clio
 * payments and credit memos with a changed allocation, each with what was read for it. One QBO
 * Payment per Clio payment, one line per invoice it pays; a payment whose allocations are all
 * voided or deleted is voided in QBO, one that lost some is rewritten without them. A credit memo
 * becomes a QBO CreditMemo; its application (phase 4) links it to the invoices. A parent waits
 * while one of its bills should have an invoice and has none yet.
 */

import { toQboCreditMemo, toQboPayment } from "../../mapping/allocation-payment.ts";
import type { ClioAllocationView, ClioCreditMemoView } from "../../mapping/clio-billing-views.ts";
import type { CompanyTax, TaxCodeSetting } from "../../mapping/company-tax.ts";
import type { MappingNote } from "../../mapping/mapping-issue.ts";
import { type Tracking, withSalesTracking } from "../../mapping/tracking.ts";
import type { IssueInput, Link, SyncIssue } from "../../store/port.ts";
import { contentHash, requestIdFor } from "../hash.ts";
import { issueKey } from "../issue-keys.ts";
import { alreadyWritten, voidDue } from "../link-state.ts";
import type { PlannedOperation } from "../operation.ts";
import { attemptSalt, type PlanEntry } from "../pass-context.ts";
import { upsertOf } from "../upsert-operation.ts";
import { firstInactive, type InactiveRefs, waitsOnInactive } from "./inactive-refs.ts";

export interface ParentToPlan {
  type: "Payment" | "CreditMemo";
  id: string;
  allocations: ClioAllocationView[];
  /** The parent's own link (payment or credit memo). */
  link: Link | undefined;
  /** The QBO invoice of each bill the allocations apply to, where it exists. */
  invoiceIdByBill: ReadonlyMap<string, string>;
  /** A bill that should have an invoice has none yet. */
  waitingForInvoice: boolean;
  /** The first such bill: the Sync Status item of the parent waits for that bill's item. */
  waitingForBill?: string;
  /** The client's customer link. */
  customer: Link | undefined;
  /** Credit memos: the memo as mirrored (its date, amount, description). */
  memo?: ClioCreditMemoView | undefined;
  /**
   * The currency of the invoices it applies to, when not the home currency (multicurrency on):
   * QBO takes a transaction in the customer's currency, and an omitted ExchangeRate as 1.
   */
  currency?: { code: string; rate: number };
}

/** The parent's body in its invoices' currency, at their exchange rate. */
const inCurrency = (parent: ParentToPlan, body: Record<string, unknown>): Record<string, unknown> =>
  parent.currency
    ? { ...body, CurrencyRef: { value: parent.currency.code }, ExchangeRate: parent.currency.rate }
    : body;

export interface PaymentPlanInput {
  realmId: string;
  creditItemId: string;
  /** The company's tax setup and the `qboTaxCodes` setting (absent: sales tax off). */
  tax?: { company: CompanyTax; setting: TaxCodeSetting };
  /** `qboDepositAccount`: where payments go (absent: QBO's default, Undeposited Funds). */
  depositAccountId?: string;
  /** Items made inactive in QBO: a credit memo waits while its credit item is one. */
  inactive?: InactiveRefs;
  openIssues: ReadonlyMap<string, SyncIssue>;
  parents: ParentToPlan[];
  /** The class and location to send on credit memos, when the company tracks them (payments have none). */
  tracking?: Tracking;
}

export interface PaymentPlan {
  entries: PlanEntry[];
  operations: PlannedOperation[];
  issues: IssueInput[];
  /** Allocations with nothing left to do now. */
  clean: string[];
  cleanings: Array<MappingNote & { clioId: string }>;
}

export function planPaymentChanges(input: PaymentPlanInput): PaymentPlan {
  const plan: PaymentPlan = { entries: [], operations: [], issues: [], clean: [], cleanings: [] };
  for (const parent of input.parents) {
    const entity = parent.type === "Payment" ? "payment" : "credit_memo";
    const key = parent.type === "Payment" ? issueKey.payment(parent.id) : issueKey.creditMemo(parent.id);
    const name = `${parent.type === "Payment" ? "Payment" : "Credit memo"} ${parent.id}`;
    if (parent.waitingForInvoice) {
      plan.issues.push({
        key,
        code: "sync_invoice_not_synced",
        ...(parent.waitingForBill ? { blockedBy: issueKey.bill(parent.waitingForBill) } : {}),
        message: `${name} applies to a bill whose invoice is not in QuickBooks yet`,
        entity,
        clioId: parent.id,
        clioName: name,
      });
      continue; // allocations stay dirty
    }
    const salt = attemptSalt(input, key, true);
    const planned =
      salt === undefined
        ? undefined
        : parent.type === "Payment"
          ? planPayment(input, parent, key, name, salt)
          : planCreditMemo(input, plan, parent, key, name, salt);
    const allocations = parent.allocations.map((a) => String(a.id));
    if (planned === "waits") continue; // allocations stay dirty
    // With a write, its allocations are clean once the write is done (or became an item);
    // without one, nothing is left to do for them now.
    if (!planned) {
      plan.clean.push(...allocations);
      continue;
    }
    plan.entries.push(planned.entry);
    plan.operations.push({
      ...planned.operation,
      payload: {
        ...planned.operation.payload,
        sources: allocations.map((id) => ({ kind: "allocation", id })),
      },
    });
  }
  return plan;
}

type Planned = { operation: PlannedOperation; entry: PlanEntry } | "waits" | undefined;

function planPayment(
  input: PaymentPlanInput,
  parent: ParentToPlan,
  key: string,
  name: string,
  salt: string,
): Planned {
  const { link, id } = parent;
  const issue = { key, entity: "payment" as const, clioId: id, clioName: name };
  const mapped = toQboPayment(id, parent.allocations, {
    customerId: parent.customer?.qboId ?? "",
    invoiceIdByBill: new Map(parent.invoiceIdByBill),
    ...(input.depositAccountId ? { depositAccountId: input.depositAccountId } : {}),
  });
  if (!mapped.value) {
    if (!voidDue(link)) return undefined;
    return {
      entry: { phase: "payment", action: "void", clioId: id, name, qboId: link.qboId },
      operation: {
        entity: "payment",
        clioId: id,
        action: "void",
        requestId: requestIdFor([input.realmId, "payment", id, "void", link.syncToken, salt]),
        payload: {
          qboEntity: "Payment",
          operation: "void",
          body: { Id: link.qboId, SyncToken: link.syncToken, sparse: true },
          options: "include=void",
          linkAfter: "voided",
          issue,
          sources: [],
        },
      },
    };
  }
  const body = inCurrency(parent, mapped.value);
  const hash = contentHash(body);
  if (alreadyWritten(link, hash)) return undefined;
  return upsertOf({
    realmId: input.realmId,
    entity: "payment",
    qboEntity: "Payment",
    clioId: id,
    name,
    link,
    body,
    contentHash: hash,
    salt,
    issue,
  });
}

function planCreditMemo(
  input: PaymentPlanInput,
  plan: PaymentPlan,
  parent: ParentToPlan,
  key: string,
  name: string,
  salt: string,
): Planned {
  const { link, id } = parent;
  const memo: ClioCreditMemoView = parent.memo ?? {
    id: Number(id),
    date: parent.allocations[0]?.date ?? "",
    amount: 0,
  };
  const mapped = toQboCreditMemo(memo, parent.allocations, {
    customerId: parent.customer?.qboId ?? "",
    invoiceIdByBill: new Map(parent.invoiceIdByBill),
    creditItemId: input.creditItemId,
    ...(input.tax ? { tax: input.tax } : {}),
  });
  for (const n of mapped.notes) if (n.severity === "cleaned") plan.cleanings.push({ clioId: id, ...n });
  const missing = mapped.notes.find((n) => n.code === "sync_tax_code_missing");
  if (missing) {
    // Waits: planned again each pass until the setting or the company has the code.
    plan.issues.push({
      key,
      entity: "credit_memo",
      clioId: id,
      clioName: name,
      code: missing.code,
      message: `${name}: ${missing.message}`,
    });
    return "waits";
  }
  // Voided or deleted: the application is removed in phase 4, then the credit memo itself.
  if (!mapped.value) return undefined;
  const body = inCurrency(parent, withSalesTracking(mapped.value.creditMemo, input.tracking));
  const hash = contentHash(
    body === mapped.value.creditMemo ? mapped.value : { ...mapped.value, creditMemo: body },
  );
  if (alreadyWritten(link, hash)) return undefined;
  const waitsOn = firstInactive(input.inactive, "Item", [input.creditItemId]);
  if (waitsOn) {
    plan.issues.push({
      key,
      entity: "credit_memo",
      clioId: id,
      clioName: name,
      ...waitsOnInactive(name, waitsOn),
    });
    return "waits";
  }
  return upsertOf({
    realmId: input.realmId,
    entity: "credit_memo",
    qboEntity: "CreditMemo",
    clioId: id,
    name,
    link,
    body,
    contentHash: hash,
    salt,
    issue: { key, entity: "credit_memo", clioId: id, clioName: name },
    extra: {
      baseline: { kind: "credit_memo", applications: mapped.value.applications, date: memo.date ?? "" },
    },
  });
}
