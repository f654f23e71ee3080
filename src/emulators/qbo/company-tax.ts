/**
 * Seeds a company's tax setup from its profile (agencies, their liability accounts, rates, codes,
 * TaxPrefs, CurrencyPrefs) and answers what the rules need to know about it: the tax model, the
 * home currency, the rates of a code.
 */

import { accountData, insertRecord } from "./company.ts";
import { type CompanyProfile, DEFAULT_EXCHANGE_RATES, PROFILES } from "./company-profiles.ts";
import { get, type Obj, type RealmState, table } from "./state.ts";
import { companyDate } from "./time.ts";

export function seedCompanyTax(
  realm: RealmState,
  profile: CompanyProfile,
  multiCurrency: boolean,
  now: number,
) {
  const currency = { value: profile.homeCurrency, name: profile.currencyName };
  const taxAccounts: Record<string, string> = {};
  const agencyIds = new Map<string, string>();
  for (const agency of profile.agencies) {
    const a = insertRecord(
      realm,
      "TaxAgency",
      {
        DisplayName: agency.name,
        TaxTrackedOnSales: true,
        TaxTrackedOnPurchases: profile.salesTax === "global",
      },
      now,
    );
    const acct = insertRecord(
      realm,
      "Account",
      accountData(agency.account, "Other Current Liability", agency.subType, currency),
      now,
    );
    agencyIds.set(agency.name, a.id);
    taxAccounts[a.id] = acct.id;
  }
  const rateIds = new Map<string, string>();
  for (const rate of profile.rates) {
    const r = insertRecord(
      realm,
      "TaxRate",
      {
        Name: rate.name,
        Description: rate.name,
        Active: true,
        RateValue: rate.percent,
        AgencyRef: { value: agencyIds.get(rate.agency) },
        SpecialTaxType: "NONE",
        DisplayType: "ReadOnly",
        EffectiveTaxRate: (rate.history ?? [{ percent: rate.percent, from: "2000-01-01" }]).map((h) => ({
          RateValue: h.percent,
          EffectiveDate: `${h.from}T00:00:00Z`,
          ...(h.to ? { EndDate: `${h.to}T00:00:00Z` } : {}),
        })),
      },
      now,
    );
    rateIds.set(rate.name, r.id);
  }
  let astCodeId: string | undefined;
  for (const code of profile.codes) {
    const c = insertRecord(
      realm,
      "TaxCode",
      {
        Name: code.name,
        Description: code.name,
        Active: true,
        Hidden: false,
        Taxable: code.taxable,
        TaxGroup: code.rates.length > 1,
        SalesTaxRateList: {
          TaxRateDetail: code.rates.map((name, i) => ({
            TaxRateRef: { value: rateIds.get(name), name },
            TaxTypeApplicable: "TaxOnAmount",
            TaxOrder: i,
          })),
        },
        PurchaseTaxRateList: { TaxRateDetail: [] },
        ...(profile.salesTax === "ast" ? { TaxCodeConfigType: "SYSTEM_GENERATED" } : {}),
      },
      now,
    );
    if (code.name === profile.astCode) astCodeId = c.id;
  }
  const prefs = table(realm, "Preferences")["1"]!.data;
  prefs.TaxPrefs =
    profile.salesTax === "ast"
      ? { UsingSalesTax: true, PartnerTaxEnabled: true, TaxGroupCodeRef: { value: astCodeId } }
      : profile.salesTax === "global"
        ? { UsingSalesTax: true }
        : { UsingSalesTax: false, PartnerTaxEnabled: false };
  prefs.CurrencyPrefs = {
    MultiCurrencyEnabled: multiCurrency,
    HomeCurrency: { value: profile.homeCurrency },
  };
  realm.company = { profile: profile.id, taxAccounts };
  if (!multiCurrency) return;
  // Today's market rate per foreign currency, as QBO refreshes them (reference §6.1).
  for (const [source, rate] of Object.entries(DEFAULT_EXCHANGE_RATES[profile.homeCurrency] ?? {})) {
    insertRecord(
      realm,
      "ExchangeRate",
      {
        SourceCurrencyCode: source,
        TargetCurrencyCode: profile.homeCurrency,
        Rate: rate,
        AsOfDate: companyDate(now),
      },
      now,
    );
  }
}

export type TaxModel = "none" | "ast" | "global";

export function profileOf(realm: RealmState): CompanyProfile {
  return PROFILES[(realm.company?.profile ?? "us") as keyof typeof PROFILES] ?? PROFILES.us;
}

function prefs(realm: RealmState): Obj {
  return table(realm, "Preferences")["1"]?.data ?? {};
}

/** The tax model from Preferences, as an integration would classify it (reference §1.2). */
export function taxModel(realm: RealmState): TaxModel {
  const tax = get.obj(prefs(realm), "TaxPrefs");
  if (get.bool(tax, "UsingSalesTax") !== true) return "none";
  return profileOf(realm).country === "US" ? "ast" : "global";
}

export function homeCurrency(realm: RealmState): string {
  return get.ref(get.obj(prefs(realm), "CurrencyPrefs"), "HomeCurrency") ?? "USD";
}

export function multiCurrencyEnabled(realm: RealmState): boolean {
  return get.bool(get.obj(prefs(realm), "CurrencyPrefs"), "MultiCurrencyEnabled") === true;
}

export interface CodeRate {
  rateId: string;
  name: string;
  percent: number;
  agencyId: string | undefined;
}

/**
 * A rate's percent on a transaction date: the `EffectiveTaxRate` entry whose period holds the date
 * (reference E15 [TR]), else `RateValue` (today's rate).
 */
function percentOn(rate: Obj, date: string | undefined): number {
  const current = get.num(rate, "RateValue") ?? 0;
  if (!date) return current;
  for (const e of get.arr(rate, "EffectiveTaxRate")) {
    const from = (get.str(e, "EffectiveDate") ?? "").slice(0, 10);
    const to = (get.str(e, "EndDate") ?? "").slice(0, 10);
    if (from <= date && (to === "" || date <= to)) return get.num(e, "RateValue") ?? current;
  }
  return current;
}

/** The sales rates of a tax code on a transaction date (today's when none is given), in order. */
export function salesRatesOf(realm: RealmState, codeId: string, date?: string): CodeRate[] {
  const code = table(realm, "TaxCode")[codeId];
  const details = get.arr(get.obj(code?.data, "SalesTaxRateList"), "TaxRateDetail");
  return details.flatMap((d) => {
    const rateId = get.ref(d, "TaxRateRef");
    const rate = rateId === undefined ? undefined : table(realm, "TaxRate")[rateId];
    if (!rate) return [];
    return [
      {
        rateId: rate.id,
        name: get.str(rate.data, "Name") ?? "",
        percent: percentOn(rate.data, date),
        agencyId: get.ref(rate.data, "AgencyRef"),
      },
    ];
  });
}

/** The liability account a rate's tax is booked to. */
export function taxAccountOf(realm: RealmState, rateId: string): string | undefined {
  const agency = get.ref(table(realm, "TaxRate")[rateId]?.data, "AgencyRef");
  return agency === undefined ? undefined : realm.company?.taxAccounts[agency];
}
