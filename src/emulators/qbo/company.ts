/**
 * A new company as QBO creates it for a US small business: a chart of accounts with the accounts
 * every integration relies on (Accounts Receivable, Undeposited Funds, a checking account,
 * service income), CompanyInfo, Preferences, the US tax codes TAX/NON and payment methods.
 */

import { type CompanyProfileId, PROFILES } from "./company-profiles.ts";
import { seedCompanyTax } from "./company-tax.ts";
import { allocateId, emptyRealm, type Obj, type RealmState, type StoredRecord, table } from "./state.ts";
import { companyDate } from "./time.ts";

export const CLASSIFICATION: Record<string, string> = {
  Bank: "Asset",
  "Accounts Receivable": "Asset",
  "Other Current Asset": "Asset",
  "Fixed Asset": "Asset",
  "Other Asset": "Asset",
  "Accounts Payable": "Liability",
  "Credit Card": "Liability",
  "Other Current Liability": "Liability",
  "Long Term Liability": "Liability",
  Equity: "Equity",
  Income: "Revenue",
  "Other Income": "Revenue",
  "Cost of Goods Sold": "Expense",
  Expense: "Expense",
  "Other Expense": "Expense",
};

export const DEFAULT_SUBTYPE: Record<string, string> = {
  Bank: "CashOnHand",
  "Accounts Receivable": "AccountsReceivable",
  "Other Current Asset": "EmployeeCashAdvances",
  "Fixed Asset": "OtherFixedAssets",
  "Other Asset": "OtherLongTermAssets",
  "Accounts Payable": "AccountsPayable",
  "Credit Card": "CreditCard",
  "Other Current Liability": "OtherCurrentLiabilities",
  "Long Term Liability": "OtherLongTermLiabilities",
  Equity: "OwnersEquity",
  Income: "OtherPrimaryIncome",
  "Other Income": "OtherInvestmentIncome",
  "Cost of Goods Sold": "SuppliesMaterialsCogs",
  Expense: "Travel",
  "Other Expense": "OtherMiscellaneousExpense",
};

const CHART: Array<[name: string, type: string, subType: string]> = [
  ["Checking", "Bank", "Checking"],
  ["Savings", "Bank", "Savings"],
  ["Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"],
  ["Undeposited Funds", "Other Current Asset", "UndepositedFunds"],
  ["Prepaid Expenses", "Other Current Asset", "PrepaidExpenses"],
  ["Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"],
  ["Opening Balance Equity", "Equity", "OpeningBalanceEquity"],
  ["Retained Earnings", "Equity", "RetainedEarnings"],
  ["Services", "Income", "ServiceFeeIncome"],
  ["Sales of Product Income", "Income", "SalesOfProductIncome"],
  ["Discounts given", "Income", "DiscountsRefundsGiven"],
  ["Billable Expense Income", "Income", "OtherPrimaryIncome"],
  ["Uncategorized Income", "Income", "OtherPrimaryIncome"],
  ["Interest Earned", "Other Income", "InterestEarned"],
  ["Bank Charges", "Expense", "BankCharges"],
  ["Legal & Professional Fees", "Expense", "LegalProfessionalFees"],
  ["Office Supplies & Software", "Expense", "OfficeGeneralAdministrativeExpenses"],
  ["Uncategorized Expense", "Expense", "OtherMiscellaneousServiceCost"],
];

/** Inserts a record without validation (company bootstrap and admin import only). */
export function insertRecord(
  realm: RealmState,
  type: string,
  data: Obj,
  now: number,
  id?: string,
): StoredRecord {
  const rid = id ?? allocateId(realm);
  const rec: StoredRecord = { id: rid, syncToken: 0, created: now, updated: now, data };
  table(realm, type)[rid] = rec;
  realm.version += 1;
  return rec;
}

export function accountData(name: string, type: string, subType?: string, currency = USD): Obj {
  return {
    Name: name,
    FullyQualifiedName: name,
    SubAccount: false,
    Active: true,
    AccountType: type,
    AccountSubType: subType ?? DEFAULT_SUBTYPE[type] ?? "",
    Classification: CLASSIFICATION[type] ?? "Asset",
    CurrencyRef: currency,
  };
}

const USD = { value: "USD", name: "United States Dollar" };

/** What kind of company to create (company-profiles.ts); the default is a US company without sales tax. */
export interface CompanyOptions {
  profile?: CompanyProfileId;
  multiCurrency?: boolean;
}

export function defaultPreferences(): Obj {
  return {
    AccountingInfoPrefs: {
      TrackDepartments: false,
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: false,
      CustomerTerminology: "Customers",
    },
    SalesFormsPrefs: {
      CustomTxnNumbers: false,
      AllowDeposit: true,
      AllowDiscount: true,
      AllowShipping: false,
      AutoApplyCredit: true,
      AutoApplyPayments: true,
      DefaultTerms: { value: "3" },
    },
    TaxPrefs: { UsingSalesTax: false, PartnerTaxEnabled: false },
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: "USD" } },
    OtherPrefs: {
      NameValue: [
        // Names seen in real answers (python-quickbooks' Preferences fixture); the duplicate
        // DocNumber rule of sales forms is an emulator setting (rules.rejectDuplicateDocNumber).
        { Name: "SalesFormsPrefs.DefaultCustomerMessage", Value: "" },
        { Name: "SalesFormsPrefs.DefaultItem", Value: "1" },
        { Name: "WarnDuplicateCheckNumber", Value: "true" },
        { Name: "WarnDuplicateBillNumber", Value: "false" },
      ],
    },
  };
}

export function createCompany(
  realmId: string,
  name: string,
  now: number,
  options: CompanyOptions = {},
): RealmState {
  const profile = PROFILES[options.profile ?? "us"];
  const currency = { value: profile.homeCurrency, name: profile.currencyName };
  const realm = emptyRealm(realmId);
  for (const [n, type, sub] of CHART)
    insertRecord(realm, "Account", accountData(n, type, sub, currency), now);
  const services = Object.values(table(realm, "Account")).find((r) => r.data.Name === "Services")!;
  for (const itemName of ["Services", "Hours"]) {
    insertRecord(
      realm,
      "Item",
      {
        Name: itemName,
        FullyQualifiedName: itemName,
        Active: true,
        Type: "Service",
        Taxable: false,
        UnitPrice: 0,
        IncomeAccountRef: { value: services.id, name: "Services" },
      },
      now,
    );
  }
  for (const [pm, type] of [
    ["Cash", "NON_CREDIT_CARD"],
    ["Check", "NON_CREDIT_CARD"],
    ["Credit Card", "CREDIT_CARD"],
  ] as const) {
    insertRecord(realm, "PaymentMethod", { Name: pm, Active: true, Type: type }, now);
  }
  // The US pseudo codes; global companies have only real codes (reference §2.1, §3.1).
  if (profile.country === "US") {
    insertRecord(
      realm,
      "TaxCode",
      { Name: "TAX", Description: "TAX", Active: true, Taxable: true, TaxGroup: true, Hidden: false },
      now,
      "TAX",
    );
    insertRecord(
      realm,
      "TaxCode",
      { Name: "NON", Description: "NON", Active: true, Taxable: false, TaxGroup: false, Hidden: false },
      now,
      "NON",
    );
  }
  const addr = { Id: "1", ...profile.address };
  insertRecord(
    realm,
    "CompanyInfo",
    {
      CompanyName: name,
      LegalName: name,
      CompanyAddr: addr,
      CustomerCommunicationAddr: addr,
      LegalAddr: addr,
      CompanyEmailAddr: { Address: "books@example.test" },
      PrimaryPhone: { FreeFormNumber: "(555) 010-0000" },
      Country: profile.country,
      FiscalYearStartMonth: "January",
      CompanyStartDate: companyDate(now),
      SupportedLanguages: "en",
      DefaultTimeZone: "America/Los_Angeles",
      NameValue: [
        { Name: "NeoEnabled", Value: "true" },
        { Name: "IndustryType", Value: "Legal Services" },
        { Name: "OfferingSku", Value: "QuickBooks Online Plus" },
      ],
    },
    now,
    "1",
  );
  insertRecord(realm, "Preferences", defaultPreferences(), now, "1");
  seedCompanyTax(realm, profile, options.multiCurrency ?? false, now);
  return realm;
}

/** Reads a Preferences value the rules depend on (fields of the real Preferences entity only). */
export function preference(realm: RealmState, path: "CustomTxnNumbers" | "BookCloseDate") {
  const prefs = table(realm, "Preferences")["1"]?.data ?? {};
  if (path === "CustomTxnNumbers")
    return (prefs.SalesFormsPrefs as Obj | undefined)?.CustomTxnNumbers === true;
  const v = (prefs.AccountingInfoPrefs as Obj | undefined)?.BookCloseDate;
  return typeof v === "string" ? v : undefined;
}
