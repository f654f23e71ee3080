/**
 * Zod schemas of the QBO entities lexbridge reads (reference §10). They check the fields we rely
 * on and let every other field through (`looseObject`), so a new QBO field never breaks a read.
 */
import { z } from "zod";

export const qboRef = z.looseObject({ value: z.string(), name: z.string().optional() });
export type QboRef = z.infer<typeof qboRef>;

const money = z.number();
const metaData = z.looseObject({ CreateTime: z.string().optional(), LastUpdatedTime: z.string().optional() });

const base = {
  Id: z.string(),
  SyncToken: z.string(),
  domain: z.string().optional(),
  sparse: z.boolean().optional(),
  MetaData: metaData.optional(),
};

const email = z.looseObject({ Address: z.string().optional() });
const phone = z.looseObject({ FreeFormNumber: z.string().optional() });
const address = z.looseObject({
  Id: z.string().optional(),
  Line1: z.string().optional(),
  Line2: z.string().optional(),
  City: z.string().optional(),
  CountrySubDivisionCode: z.string().optional(),
  PostalCode: z.string().optional(),
  Country: z.string().optional(),
});

const person = {
  ...base,
  DisplayName: z.string(),
  GivenName: z.string().optional(),
  MiddleName: z.string().optional(),
  FamilyName: z.string().optional(),
  CompanyName: z.string().optional(),
  PrimaryEmailAddr: email.optional(),
  PrimaryPhone: phone.optional(),
  Mobile: phone.optional(),
  AlternatePhone: phone.optional(),
  Fax: phone.optional(),
  BillAddr: address.optional(),
  ShipAddr: address.optional(),
  Active: z.boolean().optional(),
};

export const qboCustomer = z.looseObject({
  ...person,
  Balance: money.optional(),
  ParentRef: qboRef.optional(),
});
export const qboVendor = z.looseObject({ ...person, Balance: money.optional() });
export const qboEmployee = z.looseObject(person);

export const qboAccount = z.looseObject({
  ...base,
  Name: z.string(),
  AccountType: z.string(),
  AccountSubType: z.string().optional(),
  Classification: z.string().optional(),
  Active: z.boolean().optional(),
  CurrentBalance: money.optional(),
});

export const qboItem = z.looseObject({
  ...base,
  Name: z.string(),
  Type: z.string().optional(),
  Active: z.boolean().optional(),
  IncomeAccountRef: qboRef.optional(),
});

const linkedTxn = z.looseObject({ TxnId: z.string(), TxnType: z.string(), TxnLineId: z.string().optional() });

export const qboLine = z.looseObject({
  Id: z.string().optional(),
  LineNum: z.number().optional(),
  Amount: money.optional(),
  Description: z.string().optional(),
  DetailType: z.string().optional(),
  LinkedTxn: z.array(linkedTxn).optional(),
});

const salesTxn = {
  ...base,
  CustomerRef: qboRef,
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  PrivateNote: z.string().optional(),
  Line: z.array(qboLine),
  TotalAmt: money,
  Balance: money.optional(),
};

export const qboInvoice = z.looseObject({
  ...salesTxn,
  DueDate: z.string().optional(),
  LinkedTxn: z.array(linkedTxn).optional(),
});
export const qboCreditMemo = z.looseObject({ ...salesTxn, RemainingCredit: money.optional() });

export const qboPayment = z.looseObject({
  ...base,
  CustomerRef: qboRef,
  TxnDate: z.string().optional(),
  TotalAmt: money,
  UnappliedAmt: money.optional(),
  DepositToAccountRef: qboRef.optional(),
  PaymentRefNum: z.string().optional(),
  PrivateNote: z.string().optional(),
  Line: z.array(qboLine).optional(),
});

export const qboJournalEntry = z.looseObject({
  ...base,
  TxnDate: z.string().optional(),
  DocNumber: z.string().optional(),
  PrivateNote: z.string().optional(),
  Line: z.array(qboLine),
  TotalAmt: money.optional(),
});

export const qboDeposit = z.looseObject({
  ...base,
  TxnDate: z.string().optional(),
  DepositToAccountRef: qboRef,
  Line: z.array(qboLine),
  TotalAmt: money.optional(),
});

export const qboTransfer = z.looseObject({
  ...base,
  TxnDate: z.string().optional(),
  FromAccountRef: qboRef,
  ToAccountRef: qboRef,
  Amount: money,
});

export const qboPaymentMethod = z.looseObject({ ...base, Name: z.string(), Active: z.boolean().optional() });
const rateList = z.looseObject({
  TaxRateDetail: z.array(z.looseObject({ TaxRateRef: qboRef.optional() })).optional(),
});
export const qboTaxCode = z.looseObject({
  ...base,
  Name: z.string(),
  Active: z.boolean().optional(),
  Taxable: z.boolean().optional(),
  SalesTaxRateList: rateList.optional(),
});
export const qboTaxRate = z.looseObject({
  ...base,
  Name: z.string(),
  Active: z.boolean().optional(),
  RateValue: money.optional(),
  AgencyRef: qboRef.optional(),
});
/** QBO's rate: home-currency units per unit of `SourceCurrencyCode` on `AsOfDate` (reference §6.2). */
export const qboExchangeRate = z.looseObject({
  SourceCurrencyCode: z.string(),
  TargetCurrencyCode: z.string().optional(),
  Rate: money,
  AsOfDate: z.string().optional(),
});
export const qboCompanyInfo = z.looseObject({
  ...base,
  CompanyName: z.string(),
  Country: z.string().optional(),
});
export const qboPreferences = z.looseObject({
  ...base,
  AccountingInfoPrefs: z
    .looseObject({
      BookCloseDate: z.string().optional(),
      ClassTrackingPerTxn: z.boolean().optional(),
      ClassTrackingPerTxnLine: z.boolean().optional(),
      TrackDepartments: z.boolean().optional(),
    })
    .optional(),
  SalesFormsPrefs: z.looseObject({ CustomTxnNumbers: z.boolean().optional() }).optional(),
  TaxPrefs: z
    .looseObject({
      UsingSalesTax: z.boolean().optional(),
      PartnerTaxEnabled: z.boolean().optional(),
      TaxGroupCodeRef: qboRef.optional(),
    })
    .optional(),
  CurrencyPrefs: z
    .looseObject({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: qboRef.optional() })
    .optional(),
});

/** A class or a location (Department): name lists a company may track transactions by. */
export const qboTrackingName = z.looseObject({
  ...base,
  Name: z.string(),
  Active: z.boolean().optional(),
  FullyQualifiedName: z.string().optional(),
});

/** Stub for a deleted record (CDC, delete responses). */
export const qboDeleted = z.looseObject({
  Id: z.string(),
  status: z.literal("Deleted"),
  domain: z.string().optional(),
});

export const qboSchemas = {
  Customer: qboCustomer,
  Vendor: qboVendor,
  Employee: qboEmployee,
  Account: qboAccount,
  Item: qboItem,
  Invoice: qboInvoice,
  CreditMemo: qboCreditMemo,
  Payment: qboPayment,
  JournalEntry: qboJournalEntry,
  Deposit: qboDeposit,
  Transfer: qboTransfer,
  PaymentMethod: qboPaymentMethod,
  TaxCode: qboTaxCode,
  TaxRate: qboTaxRate,
  ExchangeRate: qboExchangeRate,
  CompanyInfo: qboCompanyInfo,
  Preferences: qboPreferences,
  Class: qboTrackingName,
  Department: qboTrackingName,
} as const;

export type QboEntityName = keyof typeof qboSchemas;
export type QboEntity<N extends QboEntityName> = z.infer<(typeof qboSchemas)[N]>;
export type QboCustomer = QboEntity<"Customer">;
export type QboInvoice = QboEntity<"Invoice">;
export type QboPayment = QboEntity<"Payment">;
export type QboCreditMemo = QboEntity<"CreditMemo">;
export type QboJournalEntry = QboEntity<"JournalEntry">;
export type QboAccount = QboEntity<"Account">;
export type QboPreferences = QboEntity<"Preferences">;
