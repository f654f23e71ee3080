/**
 * A QuickBooks company's tax and currency setup as lexbridge needs it, and the pure rules that map
 * Clio's tax rates to its tax codes (qbo-tax-and-currency.md §0–§3; docs/accounting.md):
 * - `none`: sales tax off — Clio's tax stays an item line, as before;
 * - `ast`: a US company on automated sales tax — lines TAX/NON, Clio's tax amount as an override;
 * - `global`: CA, UK, AU — every line carries the code whose rates add up to the line's Clio rate.
 * Rates are compared in thousandths of a percent (9.975 % = 9975), never as floats.
 */
import type { Cents } from "../core/money.ts";

export interface TaxCodeView {
  id: string;
  name: string;
  /** The code's sales rates in thousandths of a percent (today's). */
  rates: number[];
  /**
   * Each rate's periods (TaxRate.EffectiveTaxRate: from, to inclusive, rate), when QBO lists them;
   * QBO taxes a transaction at the rate of its date (companyTaxOn).
   */
  dated?: RatePeriod[][];
}

export interface RatePeriod {
  from: string;
  to?: string;
  milli: number;
}

/**
 * The company's codes with the rates in force on a date (a transaction's TxnDate): a bill dated
 * before a rate changed is matched and totalled at the old rate, as QBO computes it.
 */
export function companyTaxOn(company: CompanyTax, date: string | undefined): CompanyTax {
  const day = date?.slice(0, 10);
  if (!day || !company.codes.some((c) => c.dated)) return company;
  const on = (periods: RatePeriod[] | undefined, today: number) =>
    periods?.find((p) => p.from <= day && (p.to === undefined || day <= p.to))?.milli ?? today;
  return {
    ...company,
    codes: company.codes.map((c) =>
      c.dated ? { ...c, rates: c.rates.map((r, i) => on(c.dated![i], r)) } : c,
    ),
  };
}

export interface CompanyTax {
  model: "none" | "ast" | "global";
  homeCurrency: string;
  multiCurrency: boolean;
  /** Active codes other than the US pseudo codes TAX and NON. */
  codes: TaxCodeView[];
  /** AST: the code sent as TxnTaxCodeRef with an override (Preferences.TaxPrefs.TaxGroupCodeRef). */
  astCodeId?: string;
  /** Preferences.AccountingInfoPrefs.BookCloseDate: QBO refuses writes dated on or before it (6210). */
  bookCloseDate?: string;
  /** Class tracking (AccountingInfoPrefs ClassTrackingPerTxn / ClassTrackingPerTxnLine), if on. */
  classTracking?: "txn" | "line";
  /** Location tracking (AccountingInfoPrefs TrackDepartments) is on. */
  trackLocations?: boolean;
}

/** Setting `qboTaxCodes`: Clio rate (as written, e.g. "14.975"; "0" for untaxed lines) → code name or id. */
export type TaxCodeSetting = Readonly<Record<string, string>>;

/** How a company's codes answer one Clio rate: a code, or what is missing. */
export type CodeChoice = { id: string } | { missing: string; candidates: string[] };

/** A percent as written ("14.975", 13) → thousandths of a percent; undefined when not a rate. */
export function milliPercent(rate: string | number | null | undefined): number | undefined {
  if (rate === null || rate === undefined || rate === "") return 0;
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(String(rate).trim());
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Number((m[2] ?? "").padEnd(3, "0"));
}

/** Thousandths of a percent → the shortest percent text ("14.975", "5", "0"). */
export function percentText(milli: number): string {
  return String(milli / 1000);
}

export function codeRate(code: TaxCodeView): number {
  return code.rates.reduce((s, r) => s + r, 0);
}

/**
 * The code for a Clio rate: the setting's when it names one (by id or name), else the only active
 * code whose rates add up to it; otherwise what is missing and which codes would fit.
 */
export function chooseCode(tax: CompanyTax, milli: number, setting: TaxCodeSetting): CodeChoice {
  const wanted = percentText(milli);
  const configured = Object.entries(setting).find(([rate]) => milliPercent(rate) === milli)?.[1];
  if (configured !== undefined) {
    const code = tax.codes.find((c) => c.id === configured || c.name === configured);
    return code
      ? { id: code.id }
      : { missing: `the code "${configured}" set for ${wanted}%`, candidates: [] };
  }
  const fits = tax.codes.filter((c) => codeRate(c) === milli);
  if (fits.length === 1) return { id: fits[0]!.id };
  return { missing: `a tax code for ${wanted}%`, candidates: fits.map((c) => c.name) };
}

/** The tax QBO computes on a line of a code: each rate on the line, rounded half-up to the cent. */
export function lineTax(amount: Cents, code: TaxCodeView): number {
  let tax = 0;
  for (const milli of code.rates) {
    const num = Math.abs(amount) * milli;
    const q = Math.floor(num / 100_000) + (num % 100_000 >= 50_000 ? 1 : 0);
    tax += amount < 0 ? -q : q;
  }
  return tax;
}
