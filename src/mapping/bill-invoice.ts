import {
  type Cents,
  formatMoney,
  parseMoney,
  parsePresentMoney,
  sumMoney,
  toDecimalNumber,
} from "../core/money.ts";
import type { ClioBillView, ClioLineItemView } from "./clio-billing-views.ts";
import { type CompanyTax, lineTax, type TaxCodeSetting, type TaxCodeView } from "./company-tax.ts";
import { codeInvoiceLines, linePercent, type TaxedLine } from "./invoice-tax.ts";
import type { Mapped, MappingNote } from "./mapping-issue.ts";
import { qboLength } from "./qbo-text-length.ts";
import { cleanLine, cleanText, QBO_LIMITS } from "./qbo-text-rules.ts";

/** QBO Item ids for each kind of invoice line (configurable; created at setup when missing). */
export interface InvoiceItems {
  services: string;
  expenses: string;
  tax: string;
  interest: string;
  adjustment: string;
}

export interface InvoiceContext {
  customerId: string;
  items: InvoiceItems;
  /** The company's tax setup and the `qboTaxCodes` setting; absent = sales tax off. */
  tax?: { company: CompanyTax; setting: TaxCodeSetting };
}

/**
 * A Clio bill and its line items → a QBO Invoice body (PRODUCT.md §1.2): DocNumber = bill number,
 * TxnDate = issued date, one line per Clio line item, and the bill's discount, tax and interest as
 * lines of their own. The invoice total must equal the Clio total to the cent, so after the lines,
 * tax and interest are placed, whatever separates their sum from the Clio total becomes the
 * discount line (or, if positive, an adjustment line) — never a rounding.
 */
export function toQboInvoice(
  bill: ClioBillView,
  lines: ClioLineItemView[],
  ctx: InvoiceContext,
): Mapped<Record<string, unknown>> {
  const notes: MappingNote[] = [];
  if (typeof bill.number !== "string") {
    // Clio names every approved bill; one without a number has no identity to write.
    notes.push({
      severity: "error",
      code: "bill_number_missing",
      field: "DocNumber",
      message: `Clio bill ${bill.id} has no number`,
    });
    return { value: undefined, notes };
  }
  // A bill number is the invoice's identity in both systems: control characters are removed,
  // but it is never shortened (two long numbers could become one), only refused.
  const docNumber = cleanLine(bill.number, "DocNumber", notes, Number.POSITIVE_INFINITY);
  if (qboLength(docNumber) > QBO_LIMITS.DocNumber) {
    notes.push({
      severity: "error",
      code: "sync_doc_number_too_long",
      field: "DocNumber",
      message: `Clio bill number "${docNumber}" is longer than QBO's ${QBO_LIMITS.DocNumber} characters`,
    });
    return { value: undefined, notes };
  }
  let total: Cents;
  const money = (value: number | null | undefined, field: string): Cents => {
    try {
      return parseMoney(value ?? 0);
    } catch {
      notes.push({
        severity: "error",
        code: "money_invalid",
        field,
        message: `${field} is not a money amount: ${value}`,
      });
      return 0 as Cents;
    }
  };
  try {
    total = parsePresentMoney(bill.total);
  } catch {
    notes.push({
      severity: "error",
      code: "money_invalid",
      field: "total",
      message: `Bill total is not a money amount`,
    });
    return { value: undefined, notes };
  }

  const qboLines: Record<string, unknown>[] = [];
  // The Clio rate of each line (thousandths of a percent; 0 untaxed), for its tax code.
  const taxed: TaxedLine[] = [];
  const push = (line: Record<string, unknown>, milli = 0) => {
    qboLines.push(line);
    taxed.push({ line, milli });
  };
  const model = ctx.tax?.company.model ?? "none";
  const ordered = [...lines].sort((a, b) => Number(a.id) - Number(b.id));
  for (const line of ordered) {
    const amount = money(line.total, `line ${line.id} total`);
    if (amount === 0) continue;
    const item = line.kind === "Expense" ? ctx.items.expenses : ctx.items.services;
    push(salesLine(line, amount, item, notes), linePercent(bill, line, notes));
  }
  const clioTax = (money(bill.tax_sum, "tax_sum") +
    money(bill.secondary_tax_sum, "secondary_tax_sum")) as Cents;
  // Sales tax off: Clio's tax is an item line (PRODUCT.md §1.2). Otherwise QBO books it to the
  // agency's liability: under AST Clio's amount overrides QBO's; in global companies QBO computes
  // it per line, and what it will compute is what the total must hold.
  if (model === "none" && clioTax !== 0) push(itemLine("Tax", clioTax, ctx.items.tax, notes));
  const interest = money(bill.interest?.total, "interest.total");
  if (interest !== 0) push(itemLine("Interest", interest, ctx.items.interest, notes));
  if (notes.some((n) => n.severity === "error")) return { value: undefined, notes };
  const coded = ctx.tax && model !== "none" ? codeInvoiceLines(taxed, ctx.tax, notes) : undefined;
  if (model === "ast" && clioTax !== 0 && !ctx.tax!.company.astCodeId)
    notes.push({
      severity: "error",
      code: "sync_tax_code_missing",
      field: "TxnTaxCodeRef",
      message:
        "QuickBooks names no sales tax code to carry the Clio tax amount (Preferences TaxGroupCodeRef)",
    });
  if (notes.some((n) => n.severity === "error")) return { value: undefined, notes };
  const tax = model === "ast" ? clioTax : model === "global" ? (coded?.tax ?? 0) : 0;

  const placed = sumMoney(qboLines.map((l) => parseMoney(l.Amount as number))) + tax;
  const residual = total - placed;
  if (residual < 0) {
    qboLines.push({
      Amount: toDecimalNumber(-residual as Cents),
      DetailType: "DiscountLineDetail",
      Description: cleanText(
        discountDescription(bill),
        "discount description",
        notes,
        QBO_LIMITS.Description,
      ),
      DiscountLineDetail: { PercentBased: false },
    });
    taxed.push({ line: qboLines.at(-1)!, milli: 0 });
  } else if (residual > 0) {
    push(itemLine("Adjustment to match the Clio bill total", residual as Cents, ctx.items.adjustment, notes));
  }
  if (qboLines.length === 0) {
    // QBO needs at least one line; a zero bill gets a zero services line named for its subject,
    // which is cleaned and shortened like any description (a subject may run to thousands).
    const subject = cleanText(bill.subject ?? "", "subject", notes, QBO_LIMITS.Description).trim();
    push(itemLine(subject || "Legal services", 0 as Cents, ctx.items.services, notes));
  }
  // The discount, adjustment and interest lines are untaxed: they carry the untaxed code.
  if (ctx.tax && model !== "none") codeInvoiceLines(taxed, ctx.tax, notes);
  if (notes.some((n) => n.severity === "error")) return { value: undefined, notes };

  const matters = (bill.matters ?? []).map((m) => m.display_number ?? String(m.id)).join(", ");
  const body: Record<string, unknown> = {
    DocNumber: docNumber,
    TxnDate: bill.issued_at,
    CustomerRef: { value: ctx.customerId },
    Line: qboLines,
    PrivateNote: cleanText(
      `Clio bill ${bill.id}${matters ? `; matter ${matters}` : ""}`,
      "PrivateNote",
      notes,
      QBO_LIMITS.PrivateNote,
    ),
  };
  if (bill.due_at) body.DueDate = bill.due_at;
  if (model === "global") body.GlobalTaxCalculation = "TaxExcluded";
  if (model === "ast" && clioTax !== 0)
    body.TxnTaxDetail = {
      TxnTaxCodeRef: { value: ctx.tax!.company.astCodeId },
      TotalTax: toDecimalNumber(clioTax),
    };
  return { value: body, notes };
}

function discountDescription(bill: ClioBillView): string {
  const d = bill.discount;
  if (!d?.rate) return "Discount";
  return d.type === "percentage" ? `Discount ${d.rate}%` : "Discount";
}

/**
 * QBO rejects a line whose Amount ≠ Qty × UnitPrice (6070). Qty and UnitPrice are sent only when
 * they multiply to the Clio line total exactly; otherwise the line carries its amount alone and
 * the quantity and rate go into the description, so nothing is rounded to fit.
 */
function salesLine(
  line: ClioLineItemView,
  amount: Cents,
  itemId: string,
  notes: MappingNote[],
): Record<string, unknown> {
  const detail: Record<string, unknown> = { ItemRef: { value: itemId } };
  let description = line.description ?? "";
  const qty = line.quantity;
  const price = line.price;
  if (
    typeof qty === "number" &&
    typeof price === "number" &&
    Number.isFinite(qty) &&
    Number.isFinite(price)
  ) {
    const exact = exactProduct(qty, price);
    if (exact !== undefined && exact === amount) {
      detail.Qty = qty;
      detail.UnitPrice = price;
    } else {
      description = `${description}${description ? " " : ""}(${qty} × ${price})`;
    }
  }
  if (line.date) detail.ServiceDate = line.date;
  return {
    Amount: toDecimalNumber(amount),
    DetailType: "SalesItemLineDetail",
    Description: cleanText(description, `line ${line.id} description`, notes, QBO_LIMITS.Description),
    SalesItemLineDetail: detail,
  };
}

/** qty × price in cents when it is a whole number of cents, else undefined. */
function exactProduct(qty: number, price: number): number | undefined {
  const qtyText = String(qty);
  const decimals = qtyText.includes(".") ? qtyText.split(".")[1]!.length : 0;
  if (decimals > 6) return undefined;
  const scale = 10 ** decimals;
  const qtyScaled = Math.round(qty * scale);
  let priceCents: number;
  try {
    priceCents = parseMoney(price);
  } catch {
    return undefined;
  }
  const product = qtyScaled * priceCents;
  return product % scale === 0 ? product / scale : undefined;
}

function itemLine(
  description: string,
  amount: Cents,
  itemId: string,
  notes: MappingNote[],
): Record<string, unknown> {
  return {
    Amount: toDecimalNumber(amount),
    DetailType: "SalesItemLineDetail",
    Description: cleanText(description, "line description", notes, QBO_LIMITS.Description),
    SalesItemLineDetail: { ItemRef: { value: itemId } },
  };
}

/**
 * The total QBO will compute for an invoice body: sales lines minus discount lines, plus the tax —
 * an AST override as sent, or in a global company each coded line's tax as QBO rounds it.
 */
export function expectedInvoiceTotal(body: Record<string, unknown>, codes: TaxCodeView[] = []): string {
  let total = 0;
  const byId = new Map(codes.map((c) => [c.id, c]));
  for (const line of (body.Line as Record<string, unknown>[]) ?? []) {
    const amount = parseMoney(line.Amount as number);
    const detail = line[line.DetailType as string] as { TaxCodeRef?: { value: string } } | undefined;
    const code = body.GlobalTaxCalculation ? byId.get(detail?.TaxCodeRef?.value ?? "") : undefined;
    if (line.DetailType === "SalesItemLineDetail") total += amount + (code ? lineTax(amount, code) : 0);
    else if (line.DetailType === "DiscountLineDetail") total -= amount + (code ? lineTax(amount, code) : 0);
  }
  const override = (body.TxnTaxDetail as { TotalTax?: number } | undefined)?.TotalTax;
  if (override !== undefined) total += parseMoney(override);
  return formatMoney(total as Cents);
}
