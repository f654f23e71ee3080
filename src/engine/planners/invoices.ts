/**
 * Phase 2 — invoices (PRODUCT.md §1.2), as a pure function over one page of changed bills and
 * what was read for them (their invoice links, their clients' customer links, their line items).
 * An invoiceable bill whose mapped content differs from what was last written becomes a create,
 * or a full update (Clio's version overwrites edits made in QBO); a voided or deleted bill voids
 * its invoice; a bill whose client has no usable customer waits, with an item saying why.
 */

import { type BillCurrencyFacts, currencyFields } from "../../mapping/bill-currency.ts";
import { expectedInvoiceTotal, toQboInvoice } from "../../mapping/bill-invoice.ts";
import type { ClioBillView, ClioLineItemView } from "../../mapping/clio-billing-views.ts";
import { type CompanyTax, companyTaxOn, type TaxCodeSetting } from "../../mapping/company-tax.ts";
import type { MappingNote } from "../../mapping/mapping-issue.ts";
import { type Tracking, withSalesTracking } from "../../mapping/tracking.ts";
import type { IssueInput, Link, SyncIssue } from "../../store/port.ts";
import { clientIdOf, isInvoiceable, isVoided } from "../eligibility.ts";
import { contentHash, requestIdFor } from "../hash.ts";
import { invoiceFingerprint } from "../invoice-fingerprint.ts";
import { issueKey } from "../issue-keys.ts";
import { alreadyWritten, voidDue } from "../link-state.ts";
import type { PlannedOperation } from "../operation.ts";
import { attemptSalt, type InvoiceItemIds, type PlanEntry } from "../pass-context.ts";
import { upsertOf } from "../upsert-operation.ts";
import { firstInactive, type InactiveRefs, itemIdsOf, waitsOnInactive } from "./inactive-refs.ts";

export interface BillToPlan {
  id: string;
  bill: ClioBillView;
  /** The bill's invoice link, if any. */
  link: Link | undefined;
  /** The client's customer link, if any. */
  customer: Link | undefined;
  lines: ClioLineItemView[];
  /** For a bill in a foreign currency: its customer's QBO currency and QBO's exchange rate. */
  currency?: BillCurrencyFacts;
}

export interface InvoicePlanInput {
  realmId: string;
  startDate: string;
  items: InvoiceItemIds;
  /**
   * Which part of the phase: `writes` (creates and updates) comes before payments and credits,
   * `voids` after them — QBO refuses to void an invoice that still has a payment or credit
   * applied, and a bill deleted in Clio goes with its payments. Both when not given.
   */
  step?: "writes" | "voids";
  /** The company's tax setup and the `qboTaxCodes` setting (absent: sales tax off). */
  tax?: { company: CompanyTax; setting: TaxCodeSetting };
  /** Items (and accounts) made inactive in QBO: a bill whose lines would use one waits on it. */
  inactive?: InactiveRefs;
  openIssues: ReadonlyMap<string, SyncIssue>;
  bills: BillToPlan[];
  /** The class and location to send, when the company tracks them. */
  tracking?: Tracking;
}

export interface InvoicePlan {
  entries: PlanEntry[];
  operations: PlannedOperation[];
  issues: IssueInput[];
  /** Bills planned for good (nothing to write, or an item that waits for a change in Clio). */
  clean: string[];
  cleanings: Array<MappingNote & { clioId: string }>;
}

/** Mapping errors fixed in QuickBooks or in a setting, not in the bill: the bill waits for them. */
const WAITS_ON_SETUP = new Set(["sync_tax_code_missing", "sync_currency_mismatch"]);

export function planInvoiceChanges(input: InvoicePlanInput): InvoicePlan {
  const plan: InvoicePlan = { entries: [], operations: [], issues: [], clean: [], cleanings: [] };
  for (const bill of input.bills) planBill(input, plan, bill);
  return plan;
}

function planBill(
  input: InvoicePlanInput,
  plan: InvoicePlan,
  { id, bill, link, customer, lines, currency }: BillToPlan,
): void {
  const key = issueKey.bill(id);
  const name = `Bill ${bill.number}`;
  const issue = { key, entity: "bill" as const, clioId: id, clioName: name };
  if (!isInvoiceable(bill, input.startDate)) {
    if (input.step === "writes") return; // stays dirty: the voids step plans it, after payments
    if (isVoided(bill) && voidDue(link)) {
      plan.entries.push({ phase: "invoice", action: "void", clioId: id, name, qboId: link.qboId });
      plan.operations.push({
        entity: "invoice",
        clioId: id,
        action: "void",
        requestId: requestIdFor([input.realmId, "invoice", id, "void", link.syncToken]),
        payload: {
          qboEntity: "Invoice",
          operation: "void",
          body: { Id: link.qboId, SyncToken: link.syncToken },
          linkAfter: "voided",
          issue,
          sources: [{ kind: "bill", id }],
        },
      });
    } else plan.clean.push(id);
    return;
  }
  if (input.step === "voids") return; // the writes step planned it; still dirty means it waits
  if (link?.state === "broken" && !input.openIssues.get(key)?.retryRequested) return void plan.clean.push(id);
  const salt = attemptSalt(input, key, true);
  if (salt === undefined) return void plan.clean.push(id);
  const clientId = clientIdOf(bill);
  if (customer?.state !== "linked") {
    // Stays dirty: planned again once the customer can be used.
    plan.issues.push({
      ...issue,
      code: "sync_customer_not_synced",
      ...(clientId ? { blockedBy: issueKey.contact(clientId) } : {}),
      message:
        customer?.state === "inactive"
          ? `${name} waits for its client's QuickBooks customer ${customer.qboId}, made inactive in QuickBooks (re-sync the client's item contact:${clientId})`
          : `${name} waits for its client (Clio contact ${clientId ?? "?"}) to be linked to a QuickBooks customer`,
    });
    return;
  }
  // QBO taxes the invoice at the rates in force on its date (TxnDate = the bill's issue date).
  const tax = input.tax && {
    ...input.tax,
    company: companyTaxOn(input.tax.company, bill.issued_at ?? undefined),
  };
  const mapped = toQboInvoice(bill, lines, {
    customerId: customer.qboId,
    items: input.items,
    ...(tax ? { tax } : {}),
  });
  for (const n of mapped.notes) if (n.severity === "cleaned") plan.cleanings.push({ clioId: id, ...n });
  if (mapped.value && tax) {
    const money = currencyFields(bill, tax.company, currency ?? {});
    if ("note" in money) mapped.notes.push(money.note);
    else Object.assign(mapped.value, money.fields);
  }
  const error = mapped.notes.find((n) => n.severity === "error");
  if (error && WAITS_ON_SETUP.has(error.code)) {
    // Stays dirty: planned again each pass, and syncs once the setting or the company is fixed.
    plan.issues.push({ ...issue, code: error.code, message: `${name}: ${error.message}` });
    return;
  }
  if (!mapped.value || error) {
    plan.issues.push({
      ...issue,
      code: error?.code === "sync_doc_number_too_long" ? "sync_doc_number_too_long" : "sync_mapping_failed",
      message: error?.message ?? `${name} cannot be mapped`,
    });
    plan.clean.push(id);
    return;
  }
  mapped.value = withSalesTracking(mapped.value, input.tracking);
  const hash = contentHash(mapped.value);
  if (alreadyWritten(link, hash)) return void plan.clean.push(id);
  const waitsOn = firstInactive(input.inactive, "Item", itemIdsOf(mapped.value));
  // Stays dirty: planned again once the item is active (QBO refuses it on a line, 610).
  if (waitsOn) return void plan.issues.push({ ...issue, ...waitsOnInactive(name, waitsOn) });
  const { operation, entry } = upsertOf({
    realmId: input.realmId,
    entity: "invoice",
    qboEntity: "Invoice",
    clioId: id,
    name,
    link,
    body: mapped.value,
    contentHash: hash,
    salt,
    issue,
    sources: [{ kind: "bill", id }],
    extra: {
      expectedTotal: expectedInvoiceTotal(mapped.value, tax?.company.codes),
      baseline: { kind: "invoice", fingerprint: invoiceFingerprint(mapped.value) },
    },
  });
  plan.entries.push(entry);
  plan.operations.push(operation);
}
