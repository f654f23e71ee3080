/**
 * The companies the emulator can create, one per tax model QBO has (qbo-tax-and-currency.md §1–§4):
 * a US company without sales tax (the default, as before), a US company on automated sales tax,
 * and global-model companies in Canada, the UK and Australia with the codes, rates and agencies
 * QBO makes when sales tax is set up there. Only data lives here; company-tax.ts seeds it.
 */

export const COMPANY_PROFILES = ["us", "us-ast", "ca", "gb", "au"] as const;
export type CompanyProfileId = (typeof COMPANY_PROFILES)[number];

export interface TaxRateDef {
  name: string;
  /** The rate today (TaxRate.RateValue). */
  percent: number;
  agency: string;
  /** Its rates by date (TaxRate.EffectiveTaxRate), when it changed; oldest first. */
  history?: Array<{ percent: number; from: string; to?: string }>;
}

export interface TaxCodeDef {
  name: string;
  /** Names of the sales rates the code applies (none for exempt and out-of-scope codes). */
  rates: string[];
  taxable: boolean;
}

export interface CompanyProfile {
  id: CompanyProfileId;
  /** CompanyInfo.Country. Strings other than "US" are UNCONFIRMED (reference §1.2); ISO 3166 alpha-2 here. */
  country: string;
  homeCurrency: string;
  currencyName: string;
  address: {
    Line1: string;
    City: string;
    CountrySubDivisionCode: string;
    PostalCode: string;
    Country: string;
  };
  /** none: sales tax off; ast: US automated sales tax; global: a code on every line. */
  salesTax: "none" | "ast" | "global";
  /** Each agency's liability account (reference §4): name and AccountSubType. */
  agencies: Array<{ name: string; account: string; subType: string }>;
  rates: TaxRateDef[];
  codes: TaxCodeDef[];
  /** What the 6000 fault calls the rate a line lacks ("GST/HST", "VAT"; AU wording UNCONFIRMED). */
  missingRateWord?: string;
  /** AST: the code the engine assigns (one jurisdiction: the company's own address). */
  astCode?: string;
}

const US_ADDRESS = {
  Line1: "100 Main Street",
  City: "Springfield",
  CountrySubDivisionCode: "IL",
  PostalCode: "62701",
  Country: "USA",
};

export const PROFILES: Record<CompanyProfileId, CompanyProfile> = {
  us: {
    id: "us",
    country: "US",
    homeCurrency: "USD",
    currencyName: "United States Dollar",
    address: US_ADDRESS,
    salesTax: "none",
    agencies: [],
    rates: [],
    codes: [],
  },
  "us-ast": {
    id: "us-ast",
    country: "US",
    homeCurrency: "USD",
    currencyName: "United States Dollar",
    address: US_ADDRESS,
    salesTax: "ast",
    agencies: [
      { name: "Illinois Department of Revenue", account: "Sales Tax Payable", subType: "SalesTaxPayable" },
    ],
    // The rates of Intuit's AST credit memo sample (reference §2.2, [IAD-CM]).
    rates: [
      { name: "IL State", percent: 6.25, agency: "Illinois Department of Revenue" },
      { name: "Sangamon County", percent: 1, agency: "Illinois Department of Revenue" },
      { name: "Springfield City", percent: 1.75, agency: "Illinois Department of Revenue" },
    ],
    codes: [
      { name: "Springfield, IL", rates: ["IL State", "Sangamon County", "Springfield City"], taxable: true },
    ],
    astCode: "Springfield, IL",
  },
  ca: {
    id: "ca",
    country: "CA",
    homeCurrency: "CAD",
    currencyName: "Canadian Dollar",
    address: {
      Line1: "100 King Street West",
      City: "Toronto",
      CountrySubDivisionCode: "ON",
      PostalCode: "M5X 1A9",
      Country: "Canada",
    },
    salesTax: "global",
    agencies: [
      { name: "Canada Revenue Agency", account: "GST/HST Payable", subType: "GlobalTaxPayable" },
      { name: "Revenu Québec", account: "QST Payable", subType: "GlobalTaxPayable" },
    ],
    // [CACODES]
    rates: [
      { name: "GST", percent: 5, agency: "Canada Revenue Agency" },
      { name: "HST ON", percent: 13, agency: "Canada Revenue Agency" },
      { name: "QST QC", percent: 9.975, agency: "Revenu Québec" },
      { name: "GST/HST ZR", percent: 0, agency: "Canada Revenue Agency" },
      // Nova Scotia cut its HST from 15 % to 14 % on 2025-04-01 [CARATES]: a rate that changes by date [TR].
      {
        name: "HST NS",
        percent: 14,
        agency: "Canada Revenue Agency",
        history: [
          { percent: 15, from: "2010-07-01", to: "2025-03-31" },
          { percent: 14, from: "2025-04-01" },
        ],
      },
    ],
    codes: [
      { name: "GST", rates: ["GST"], taxable: true },
      { name: "HST ON", rates: ["HST ON"], taxable: true },
      { name: "HST NS", rates: ["HST NS"], taxable: true },
      { name: "GST/QST QC", rates: ["GST", "QST QC"], taxable: true },
      { name: "Zero-rated", rates: ["GST/HST ZR"], taxable: true },
      { name: "Exempt", rates: [], taxable: false },
      { name: "Out of scope", rates: [], taxable: false },
    ],
    missingRateWord: "GST/HST",
  },
  gb: {
    id: "gb",
    country: "GB",
    homeCurrency: "GBP",
    currencyName: "British Pound Sterling",
    address: {
      Line1: "1 Fleet Street",
      City: "London",
      CountrySubDivisionCode: "",
      PostalCode: "EC4Y 1AA",
      Country: "United Kingdom",
    },
    salesTax: "global",
    agencies: [{ name: "HM Revenue & Customs", account: "VAT Control", subType: "GlobalTaxPayable" }],
    // [UKCODES]
    rates: [
      { name: "20.0% S", percent: 20, agency: "HM Revenue & Customs" },
      { name: "5.0% R", percent: 5, agency: "HM Revenue & Customs" },
      { name: "0.0% Z", percent: 0, agency: "HM Revenue & Customs" },
    ],
    codes: [
      { name: "20.0% S", rates: ["20.0% S"], taxable: true },
      { name: "5.0% R", rates: ["5.0% R"], taxable: true },
      { name: "0.0% Z", rates: ["0.0% Z"], taxable: true },
      { name: "Exempt", rates: [], taxable: false },
      { name: "No VAT", rates: [], taxable: false },
    ],
    missingRateWord: "VAT",
  },
  au: {
    id: "au",
    country: "AU",
    homeCurrency: "AUD",
    currencyName: "Australian Dollar",
    address: {
      Line1: "1 George Street",
      City: "Sydney",
      CountrySubDivisionCode: "NSW",
      PostalCode: "2000",
      Country: "Australia",
    },
    salesTax: "global",
    agencies: [
      { name: "Australian Taxation Office", account: "GST Liabilities Payable", subType: "GlobalTaxPayable" },
    ],
    // [AUCODES][QBBS]
    rates: [
      { name: "GST (sales)", percent: 10, agency: "Australian Taxation Office" },
      { name: "GST free (sales)", percent: 0, agency: "Australian Taxation Office" },
    ],
    codes: [
      { name: "GST", rates: ["GST (sales)"], taxable: true },
      { name: "GST free", rates: ["GST free (sales)"], taxable: true },
      { name: "Out of Scope", rates: [], taxable: false },
    ],
    // The AU wording of the fault is UNCONFIRMED (reference §3.1); "GST" by analogy.
    missingRateWord: "GST",
  },
};

/** Units of home currency per unit of another currency, for companies with multicurrency on. */
export const DEFAULT_EXCHANGE_RATES: Record<string, Record<string, number>> = {
  USD: { CAD: 0.73, EUR: 1.08, GBP: 1.27, AUD: 0.66 },
  CAD: { USD: 1.37, EUR: 1.48, GBP: 1.74, AUD: 0.9 },
  GBP: { USD: 0.79, EUR: 0.85, CAD: 0.57, AUD: 0.52 },
  AUD: { USD: 1.52, EUR: 1.64, CAD: 1.11, GBP: 1.92 },
};
