/**
 * A bill's currency on its invoice (qbo-tax-and-currency.md §6): a bill in the company's home
 * currency needs nothing; in another currency it needs multicurrency on, a customer in that
 * currency (a QBO customer's currency never changes) and an exchange rate — then the invoice
 * carries CurrencyRef and ExchangeRate. Anything missing is an error note, never a conversion at
 * face value.
 */
import type { ClioBillView } from "./clio-billing-views.ts";
import type { CompanyTax } from "./company-tax.ts";
import type { MappingNote } from "./mapping-issue.ts";

export interface BillCurrencyFacts {
  /** The linked QBO customer's currency (read only for bills in a foreign currency). */
  customerCurrency?: string;
  /** QBO's rate for the bill's currency: home-currency units per unit. */
  rate?: number;
}

export function billCurrency(bill: ClioBillView): string | undefined {
  return bill.currency?.code ?? undefined;
}

/** The invoice fields for the bill's currency, or the note that stops it. */
export function currencyFields(
  bill: ClioBillView,
  company: Pick<CompanyTax, "homeCurrency" | "multiCurrency">,
  facts: BillCurrencyFacts,
): { fields: Record<string, unknown> } | { note: MappingNote } {
  const code = billCurrency(bill);
  if (code === undefined || code === company.homeCurrency) return { fields: {} };
  const note = (message: string): { note: MappingNote } => ({
    note: { severity: "error", code: "sync_currency_mismatch", field: "CurrencyRef", message },
  });
  if (!company.multiCurrency)
    return note(
      `the bill is in ${code}, the QuickBooks company keeps its books in ${company.homeCurrency} and multicurrency is off`,
    );
  if ((facts.customerCurrency ?? company.homeCurrency) !== code)
    return note(
      `the bill is in ${code} but the client's QuickBooks customer is in ${facts.customerCurrency ?? company.homeCurrency}`,
    );
  if (facts.rate === undefined) return note(`QuickBooks has no exchange rate for ${code}`);
  return { fields: { CurrencyRef: { value: code }, ExchangeRate: facts.rate } };
}
