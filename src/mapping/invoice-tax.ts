/**
 * Tax codes on invoice and credit memo lines (qbo-tax-and-currency.md §2.1, §3.1): under AST a line
 * Clio taxes is TAX and every other line NON (a line without a code would be taxed, [AST18]); in a
 * global company every line — interest, discount and adjustment lines too — carries the code of
 * its Clio rate, 0 % meaning the untaxed code. A rate no code answers is an error naming it.
 */
import { parseMoney } from "../core/money.ts";
import type { ClioBillView, ClioLineItemView } from "./clio-billing-views.ts";
import { type CompanyTax, chooseCode, lineTax, milliPercent, type TaxCodeSetting } from "./company-tax.ts";
import type { MappingNote } from "./mapping-issue.ts";

export interface TaxedLine {
  line: Record<string, unknown>;
  /** The line's Clio rate in thousandths of a percent; 0 when Clio does not tax it. */
  milli: number;
}

/** A Clio line's rate: the bill's tax rate if the line is taxable, plus its secondary rate if that applies. */
export function linePercent(bill: ClioBillView, line: ClioLineItemView, notes: MappingNote[]): number {
  let milli = 0;
  for (const [applies, rate, field] of [
    [line.taxable, bill.tax_rate, "tax_rate"],
    [line.secondary_taxable, bill.secondary_tax_rate, "secondary_tax_rate"],
  ] as const) {
    if (!applies) continue;
    const m = milliPercent(rate);
    if (m === undefined)
      notes.push({
        severity: "error",
        code: "money_invalid",
        field,
        message: `${field} is not a rate: ${rate}`,
      });
    else milli += m;
  }
  return milli;
}

/** Sets each line's TaxCodeRef; returns the tax QBO will compute (global companies). */
export function codeInvoiceLines(
  lines: TaxedLine[],
  tax: { company: CompanyTax; setting: TaxCodeSetting },
  notes: MappingNote[],
): { tax: number } {
  let total = 0;
  const reported = new Set<number>();
  for (const { line, milli } of lines) {
    const kind = line.DetailType as string;
    if (line[kind] === undefined) line[kind] = {};
    const detail = line[kind] as Record<string, unknown>;
    if (tax.company.model === "ast") {
      if (kind === "SalesItemLineDetail") detail.TaxCodeRef = { value: milli > 0 ? "TAX" : "NON" };
      continue;
    }
    const choice = chooseCode(tax.company, milli, tax.setting);
    if ("missing" in choice) {
      if (!reported.has(milli)) {
        reported.add(milli);
        const fits = choice.candidates.length > 0 ? ` (${choice.candidates.join(", ")} fit; choose one)` : "";
        notes.push({
          severity: "error",
          code: "sync_tax_code_missing",
          field: "TaxCodeRef",
          message: `QuickBooks has no single tax code for this rate: ${choice.missing}${fits}`,
        });
      }
      continue;
    }
    detail.TaxCodeRef = { value: choice.id };
    const code = tax.company.codes.find((c) => c.id === choice.id)!;
    const amount = parseMoney(line.Amount as number);
    total += kind === "DiscountLineDetail" ? -lineTax(amount, code) : lineTax(amount, code);
  }
  return { tax: total };
}
