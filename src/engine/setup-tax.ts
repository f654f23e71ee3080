/**
 * Reads the QuickBooks company's tax and currency setup at the start of a pass (four reads:
 * CompanyInfo, Preferences, the TaxCode and TaxRate lists) and classifies it as
 * qbo-tax-and-currency.md §1.2 does: a US company with sales tax on is AST (or legacy US, which
 * takes the same TxnTaxCodeRef + TotalTax override); any other country with sales tax on is global.
 */
import { type CompanyTax, milliPercent, type RatePeriod, type TaxCodeView } from "../mapping/company-tax.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { EngineDeps } from "./ports.ts";

export async function readCompanyTax(deps: EngineDeps): Promise<CompanyTax> {
  const [info, prefs] = await Promise.all([
    deps.qbo.read("CompanyInfo", deps.qbo.realmId),
    deps.qbo.read("Preferences", ""),
  ]);
  // A failed read stops the pass with its own error (an expired connection is a reconnect item).
  if (!info.ok) throw info.error;
  if (!prefs.ok) throw prefs.error;
  const taxPrefs = prefs.value.TaxPrefs ?? {};
  const currency = prefs.value.CurrencyPrefs ?? {};
  const us = (info.value.Country ?? "US") === "US";
  const model: CompanyTax["model"] = taxPrefs.UsingSalesTax !== true ? "none" : us ? "ast" : "global";
  const tax: CompanyTax = {
    model,
    homeCurrency: currency.HomeCurrency?.value ?? "USD",
    multiCurrency: currency.MultiCurrencyEnabled === true,
    codes: [],
  };
  const accounting = prefs.value.AccountingInfoPrefs ?? {};
  const closed = accounting.BookCloseDate;
  if (closed) tax.bookCloseDate = closed.slice(0, 10);
  if (accounting.ClassTrackingPerTxnLine === true) tax.classTracking = "line";
  else if (accounting.ClassTrackingPerTxn === true) tax.classTracking = "txn";
  if (accounting.TrackDepartments === true) tax.trackLocations = true;
  if (model === "none") return tax;
  const rates = new Map<string, number>();
  const periods = new Map<string, RatePeriod[]>();
  for await (const rate of deps.qbo.queryAll<"TaxRate">(qboQuery("TaxRate"))) {
    rates.set(String(rate.Id), milliPercent(String(rate.RateValue ?? 0)) ?? 0);
    const dated = ratePeriods(rate.EffectiveTaxRate);
    if (dated.length > 1) periods.set(String(rate.Id), dated);
  }
  for await (const code of deps.qbo.queryAll<"TaxCode">(qboQuery("TaxCode"))) {
    if (code.Active === false || code.Id === "TAX" || code.Id === "NON") continue;
    const ids = (code.SalesTaxRateList?.TaxRateDetail ?? []).map((d) => d.TaxRateRef?.value ?? "");
    tax.codes.push({
      id: String(code.Id),
      name: code.Name,
      rates: ids.map((id) => rates.get(id) ?? 0),
      ...(ids.some((id) => periods.has(id)) ? { dated: ids.map((id) => periods.get(id) ?? []) } : {}),
    });
  }
  if (model === "ast") {
    const taxable = tax.codes.filter((c: TaxCodeView) => c.rates.length > 0);
    const id = taxPrefs.TaxGroupCodeRef?.value ?? (taxable.length === 1 ? taxable[0]!.id : undefined);
    if (id !== undefined) tax.astCodeId = id;
  }
  return tax;
}

/** A TaxRate's `EffectiveTaxRate` list as periods (dates only; a rate without an end date is current). */
function ratePeriods(list: unknown): RatePeriod[] {
  if (!Array.isArray(list)) return [];
  const out: RatePeriod[] = [];
  for (const e of list as Array<Record<string, unknown>>) {
    const from = String(e.EffectiveDate ?? "").slice(0, 10);
    const milli = milliPercent(String(e.RateValue ?? ""));
    if (!from || milli === undefined) continue;
    const to = typeof e.EndDate === "string" ? e.EndDate.slice(0, 10) : undefined;
    out.push({ from, milli, ...(to ? { to } : {}) });
  }
  return out;
}
