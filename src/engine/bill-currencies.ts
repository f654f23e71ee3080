/**
 * The currencies of each client's bills, noted as bills are read in a pass, so that a client's
 * new QBO customer is created in its bills' currency when the company has multicurrency on (a
 * customer's currency is set at creation and never changes in QBO, qbo-tax-and-currency.md §6).
 */
import { billCurrency } from "../mapping/bill-currency.ts";
import type { ClioBillView } from "../mapping/clio-billing-views.ts";
import type { CompanyTax } from "../mapping/company-tax.ts";

/**
 * Client → its bills' one currency, or `null` once they have shown two. One string per client, not
 * a set: an initial sync notes every client with bills (with a set each the map held 2.4 MB at
 * the xlarge firm, measured), and a new customer needs only "one currency, which" or "several".
 */
export type BillCurrencies = Map<string, string | null>;

/** Notes a bill's currency in the pass's `billCurrencies` (made on first use). */
export function noteBillCurrency(
  ctx: { billCurrencies?: BillCurrencies },
  client: string,
  bill: ClioBillView,
): void {
  const code = billCurrency(bill);
  if (code === undefined) return;
  ctx.billCurrencies ??= new Map();
  const noted = ctx.billCurrencies.get(client);
  if (noted === undefined) ctx.billCurrencies.set(client, code);
  else if (noted !== null && noted !== code) ctx.billCurrencies.set(client, null);
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
  const code = notes?.get(client);
  if (code === undefined || code === null) return undefined;
  return code === company.homeCurrency ? undefined : code;
}
