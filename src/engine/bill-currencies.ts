/**
 * The currencies of each client's bills, noted as bills are read in a pass, so that a client's
 * new QBO customer is created in its bills' currency when the company has multicurrency on (a
 * customer's currency is set at creation and never changes in QBO, qbo-tax-and-currency.md §6).
 */
import { billCurrency } from "../mapping/bill-currency.ts";
import type { ClioBillView } from "../mapping/clio-billing-views.ts";
import type { CompanyTax } from "../mapping/company-tax.ts";

export type BillCurrencies = Map<string, Set<string>>;

/** Notes a bill's currency in the pass's `billCurrencies` (made on first use). */
export function noteBillCurrency(
  ctx: { billCurrencies?: BillCurrencies },
  client: string,
  bill: ClioBillView,
): void {
  const code = billCurrency(bill);
  if (code === undefined) return;
  ctx.billCurrencies ??= new Map();
  const set = ctx.billCurrencies.get(client) ?? new Set<string>();
  set.add(code);
  ctx.billCurrencies.set(client, set);
}

/**
 * The currency a client's new customer is created in: its bills' one foreign currency when
 * multicurrency is on. Bills in several currencies (or none noted) leave the home currency, and
 * the bills in another currency wait with `sync_currency_mismatch` as before.
 */
export function newCustomerCurrency(
  notes: BillCurrencies | undefined,
  client: string,
  company: Pick<CompanyTax, "homeCurrency" | "multiCurrency"> | undefined,
): string | undefined {
  if (!company?.multiCurrency) return undefined;
  const codes = notes?.get(client);
  if (codes?.size !== 1) return undefined;
  const [code] = codes;
  return code === company.homeCurrency ? undefined : code;
}
