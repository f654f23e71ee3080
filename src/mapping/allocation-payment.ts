import { type Cents, parseMoney, parsePresentMoney, sumMoney, toDecimalNumber } from "../core/money.ts";
import {
  type ClioAllocationView,
  type ClioCreditMemoView,
  isAllocationGone,
  isCreditMemoGone,
} from "./clio-billing-views.ts";
import type { CompanyTax, TaxCodeSetting } from "./company-tax.ts";
import { codeInvoiceLines } from "./invoice-tax.ts";
import type { Mapped, MappingNote } from "./mapping-issue.ts";
import { cleanText, QBO_LIMITS } from "./qbo-text-rules.ts";

export interface PaymentContext {
  customerId: string;
  /** Clio bill id → QBO invoice id, for the bills that are synced. */
  invoiceIdByBill: Map<string, string>;
  depositAccountId?: string;
}

/** The live allocations (not voided or deleted) of a parent whose bills are synced, with their QBO invoice ids. */
function linkedAllocations(
  allocations: ClioAllocationView[],
  invoiceIdByBill: Map<string, string>,
  notes: MappingNote[],
) {
  const out: Array<{ invoiceId: string; amount: Cents }> = [];
  for (const a of [...allocations].sort((x, y) => Number(x.id) - Number(y.id))) {
    if (isAllocationGone(a)) continue;
    const billId = a.bill ? String(a.bill.id) : undefined;
    const invoiceId = billId ? invoiceIdByBill.get(billId) : undefined;
    if (!invoiceId) {
      notes.push({
        severity: "cleaned",
        code: "allocation_bill_not_synced",
        field: `allocation ${a.id}`,
        message: `Allocation ${a.id} is for a bill that is not synced; left out`,
      });
      continue;
    }
    let amount: Cents;
    try {
      amount = parsePresentMoney(a.amount);
    } catch {
      notes.push({
        severity: "error",
        code: "money_invalid",
        field: `allocation ${a.id}`,
        message: "Amount is not money",
      });
      continue;
    }
    const existing = out.find((o) => o.invoiceId === invoiceId);
    if (existing) existing.amount = (existing.amount + amount) as Cents;
    else out.push({ invoiceId, amount });
  }
  return out;
}

/**
 * A Clio payment (the parent of allocations) → one QBO Payment with one line per invoice it pays
 * (PRODUCT.md §1.3). An allocation voided or deleted in Clio is left out, so a payment that lost
 * one is rewritten without it. Returns no value when nothing of it applies to a synced invoice (all
 * voided or deleted, or only for bills before the start date): the engine then voids a payment
 * already written.
 */
export function toQboPayment(
  parentId: string,
  allocations: ClioAllocationView[],
  ctx: PaymentContext,
): Mapped<Record<string, unknown>> {
  const notes: MappingNote[] = [];
  const lines = linkedAllocations(allocations, ctx.invoiceIdByBill, notes);
  if (notes.some((n) => n.severity === "error") || lines.length === 0) return { value: undefined, notes };
  const date = allocations.map((a) => a.date).sort()[0];
  const body: Record<string, unknown> = {
    CustomerRef: { value: ctx.customerId },
    TxnDate: date,
    TotalAmt: toDecimalNumber(sumMoney(lines.map((l) => l.amount))),
    Line: lines.map((l) => ({
      Amount: toDecimalNumber(l.amount),
      LinkedTxn: [{ TxnId: l.invoiceId, TxnType: "Invoice" }],
    })),
    PrivateNote: `Clio payment ${parentId}`,
  };
  if (ctx.depositAccountId) body.DepositToAccountRef = { value: ctx.depositAccountId };
  return { value: body, notes };
}

export interface CreditContext {
  customerId: string;
  invoiceIdByBill: Map<string, string>;
  creditItemId: string;
  /** The company's tax setup (absent: sales tax off). Clio credit memos carry no tax: the line is untaxed. */
  tax?: { company: CompanyTax; setting: TaxCodeSetting };
}

/**
 * A Clio credit memo applied to bills (PRODUCT.md §1.4) → a QBO CreditMemo for the applied amount,
 * and the lines of the zero-total Payment that applies it to each invoice (one Invoice link per
 * invoice, one CreditMemo link for the sum; qbo-api.md §10.7).
 */
export function toQboCreditMemo(
  memo: ClioCreditMemoView,
  allocations: ClioAllocationView[],
  ctx: CreditContext,
): Mapped<{
  creditMemo: Record<string, unknown>;
  applications: Array<{ invoiceId: string; amount: number }>;
}> {
  const notes: MappingNote[] = [];
  if (isCreditMemoGone(memo)) return { value: undefined, notes };
  const lines = linkedAllocations(allocations, ctx.invoiceIdByBill, notes);
  if (notes.some((n) => n.severity === "error") || lines.length === 0) return { value: undefined, notes };
  const applied = sumMoney(lines.map((l) => l.amount));
  // The memo's description is free text from Clio: cleaned and shortened like any line description.
  const description = cleanText(memo.description ?? "", "description", notes, QBO_LIMITS.Description).trim();
  const line: Record<string, unknown> = {
    Amount: toDecimalNumber(applied),
    DetailType: "SalesItemLineDetail",
    Description: description || "Credit",
    SalesItemLineDetail: { ItemRef: { value: ctx.creditItemId } },
  };
  const taxed = ctx.tax && ctx.tax.company.model !== "none";
  // Untaxed (NON, or the 0 % code): the credit must equal what it pays off on the invoices.
  if (taxed) codeInvoiceLines([{ line, milli: 0 }], ctx.tax!, notes);
  if (notes.some((n) => n.severity === "error")) return { value: undefined, notes };
  const creditMemo = {
    // An explicit number ties the QBO credit memo to Clio's and keeps QBO's own counter out of it.
    DocNumber: `CM-${memo.id}`,
    CustomerRef: { value: ctx.customerId },
    TxnDate: memo.date,
    Line: [line],
    PrivateNote: `Clio credit memo ${memo.id}`,
    ...(ctx.tax?.company.model === "global" ? { GlobalTaxCalculation: "TaxExcluded" } : {}),
  };
  return {
    value: {
      creditMemo,
      applications: lines.map((l) => ({ invoiceId: l.invoiceId, amount: toDecimalNumber(l.amount) })),
    },
    notes,
  };
}

/** The zero-total Payment linking a QBO CreditMemo to the invoices it pays. */
export function toCreditApplication(
  customerId: string,
  creditMemoId: string,
  memoDate: string,
  applications: Array<{ invoiceId: string; amount: number }>,
  clioMemoId: string,
): Record<string, unknown> {
  const total = sumMoney(applications.map((a) => parseMoney(a.amount)));
  return {
    CustomerRef: { value: customerId },
    TxnDate: memoDate,
    TotalAmt: 0,
    Line: [
      ...applications.map((a) => ({
        Amount: a.amount,
        LinkedTxn: [{ TxnId: a.invoiceId, TxnType: "Invoice" }],
      })),
      { Amount: toDecimalNumber(total), LinkedTxn: [{ TxnId: creditMemoId, TxnType: "CreditMemo" }] },
    ],
    PrivateNote: `Clio credit memo ${clioMemoId} applied`,
  };
}
