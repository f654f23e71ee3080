/**
 * Tax on invoices and credit memos as QBO computes it (qbo-tax-and-currency.md §2–§3, §7):
 * - sales tax off: no tax, TxnTaxDetail dropped (E3);
 * - US automated sales tax: the taxable lines (TAX, or no code) at the rates of the company's AST
 *   code, rounded once per rate; an explicit TotalTax overrides the amount and is prorated over
 *   the rates, the remainder on the last (E5–E7; split UNCONFIRMED, Intuit's sample agrees);
 * - global (CA, UK, AU): per line, per rate of the line's code, rounded per line, summed per rate
 *   into TaxLines (E13). Tie-breaking is the `taxRounding` rule (UNCONFIRMED); whether a supplied
 *   TotalTax is honoured on create is the `globalSuppliedTax` rule (UNCONFIRMED, default recompute).
 * Returns the tax in cents; TxnTaxDetail is written on `data`.
 */
import { profileOf, salesRatesOf, taxModel } from "./company-tax.ts";
import { fromCents, percentOfCents, toCents } from "./decimal.ts";
import type { TxnRuleOptions } from "./rules-txns.ts";
import { get, type Obj, type RealmState, table } from "./state.ts";

interface RateTotal {
  rateId: string;
  percent: number;
  net: number;
  tax: number;
}

function taxLine(r: RateTotal): Obj {
  return {
    Amount: fromCents(r.tax),
    DetailType: "TaxLineDetail",
    TaxLineDetail: {
      TaxRateRef: { value: r.rateId },
      PercentBased: true,
      TaxPercent: r.percent,
      NetAmountTaxable: fromCents(r.net),
    },
  };
}

export function applySalesTax(realm: RealmState, data: Obj, lines: Obj[], rules: TxnRuleOptions): number {
  const model = taxModel(realm);
  if (model === "none") {
    data.TxnTaxDetail = { TotalTax: 0 };
    return 0;
  }
  return model === "ast" ? astTax(realm, data, lines) : globalTax(realm, data, lines, rules);
}

function suppliedTotalTax(data: Obj): number | undefined {
  const detail = get.obj(data, "TxnTaxDetail");
  const v = detail?.TotalTax;
  return typeof v === "number" || (typeof v === "string" && v.trim() !== "") ? toCents(v) : undefined;
}

function astTax(realm: RealmState, data: Obj, lines: Obj[]): number {
  const code = Object.values(table(realm, "TaxCode")).find((c) => c.data.Name === profileOf(realm).astCode);
  const rates = code ? salesRatesOf(realm, code.id) : [];
  let base = 0;
  for (const line of lines) {
    if (line.DetailType !== "SalesItemLineDetail") continue;
    const d = get.obj(line, "SalesItemLineDetail")!;
    // Since 2018 a line without a code is taxable [AST18].
    if (!d.TaxCodeRef) d.TaxCodeRef = { value: "TAX" };
    if (get.ref(d, "TaxCodeRef") === "TAX") base += toCents(line.Amount);
  }
  const totals: RateTotal[] = rates.map((r) => ({ rateId: r.rateId, percent: r.percent, net: base, tax: 0 }));
  const override = suppliedTotalTax(data);
  if (override !== undefined && get.ref(get.obj(data, "TxnTaxDetail"), "TxnTaxCodeRef") !== undefined) {
    const sum = rates.reduce((s, r) => s + r.percent, 0);
    let left = override;
    totals.forEach((t, i) => {
      t.tax = i === totals.length - 1 ? left : sum === 0 ? 0 : Math.round((override * t.percent) / sum);
      left -= t.tax;
    });
  } else {
    for (const t of totals) t.tax = percentOfCents(base, t.percent);
  }
  const total = totals.reduce((s, t) => s + t.tax, 0);
  data.TxnTaxDetail = {
    ...(code ? { TxnTaxCodeRef: { value: code.id } } : {}),
    TotalTax: fromCents(total),
    TaxLine: totals.map(taxLine),
  };
  return total;
}

function globalTax(realm: RealmState, data: Obj, lines: Obj[], rules: TxnRuleOptions): number {
  if (!data.GlobalTaxCalculation) data.GlobalTaxCalculation = "TaxExcluded";
  const mode = data.GlobalTaxCalculation;
  const byRate = new Map<string, RateTotal>();
  for (const line of lines) {
    const kind = get.str(line, "DetailType");
    if (kind !== "SalesItemLineDetail" && kind !== "DiscountLineDetail") continue;
    const codeId = get.ref(get.obj(line, kind), "TaxCodeRef");
    if (codeId === undefined || mode === "NotApplicable") continue;
    const sign = kind === "DiscountLineDetail" ? -1 : 1;
    const rates = salesRatesOf(realm, codeId, get.str(data, "TxnDate"));
    let amount = toCents(line.Amount);
    if (mode === "TaxInclusive" && kind === "SalesItemLineDetail") {
      // Response semantics [AUFIX]: the request amount is gross (UNCONFIRMED, reference §3.2).
      const pct = rates.reduce((s, r) => s + r.percent, 0);
      const net = Math.round((amount * 100) / (100 + pct));
      (line as Obj).TaxInclusiveAmt = fromCents(amount);
      line.Amount = fromCents(net);
      amount = net;
    }
    for (const r of rates) {
      const t = byRate.get(r.rateId) ?? { rateId: r.rateId, percent: r.percent, net: 0, tax: 0 };
      t.net += sign * amount;
      t.tax += sign * percentOfCents(amount, r.percent, rules.taxRounding);
      byRate.set(r.rateId, t);
    }
  }
  const totals = [...byRate.values()];
  const computed = totals.reduce((s, t) => s + t.tax, 0);
  const supplied = suppliedTotalTax(data);
  const honour = rules.globalSuppliedTax === "honour" && supplied !== undefined;
  const total = honour ? supplied : computed;
  data.TxnTaxDetail = {
    TotalTax: fromCents(total),
    TaxLine: totals.map(taxLine),
    ...(honour && supplied !== computed ? { OverrideDeltaAmount: fromCents(supplied - computed) } : {}),
  };
  return total;
}
