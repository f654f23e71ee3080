/**
 * What the emulator knows about each entity: its URL segment, family, what may be filtered in a
 * query (reference §4.2) and how it is removed (reference §3.4 matrix).
 */
export type FieldType = "string" | "id" | "ref" | "bool" | "decimal" | "date" | "datetime" | "email";

export type EntityKind = "name" | "txn" | "singleton";

export interface EntityMeta {
  name: string;
  kind: EntityKind;
  /** Whether `operation=delete` is allowed (transactions). */
  deletable: boolean;
  /** `operation=void` (Invoice) or `operation=update&include=void` (Payment). */
  voidable: boolean;
  /** Creates allowed through the API (TaxCode, CompanyInfo are read-only here). */
  creatable: boolean;
  filterable: Record<string, FieldType>;
}

const meta = { "MetaData.CreateTime": "datetime", "MetaData.LastUpdatedTime": "datetime" } as const;
const person = {
  Id: "id",
  DisplayName: "string",
  GivenName: "string",
  MiddleName: "string",
  FamilyName: "string",
  CompanyName: "string",
  PrintOnCheckName: "string",
  PrimaryEmailAddr: "email",
  Active: "bool",
  ...meta,
} as const;
const txn = { Id: "id", TxnDate: "date", DocNumber: "string", TotalAmt: "decimal", ...meta } as const;

function entity(
  name: string,
  kind: EntityKind,
  filterable: Record<string, FieldType>,
  extra: Partial<EntityMeta> = {},
) {
  const m: EntityMeta = {
    name,
    kind,
    deletable: kind === "txn",
    voidable: false,
    creatable: true,
    filterable,
    ...extra,
  };
  return m;
}

export const ENTITIES: Record<string, EntityMeta> = {
  Customer: entity("Customer", "name", {
    ...person,
    FullyQualifiedName: "string",
    Balance: "decimal",
    Job: "bool",
    ParentRef: "ref",
  }),
  Vendor: entity("Vendor", "name", { ...person, Balance: "decimal" }),
  Employee: entity("Employee", "name", { ...person }),
  Item: entity("Item", "name", {
    Id: "id",
    Name: "string",
    Sku: "string",
    Type: "string",
    Active: "bool",
    FullyQualifiedName: "string",
    ...meta,
  }),
  Account: entity("Account", "name", {
    Id: "id",
    Name: "string",
    AccountType: "string",
    AccountSubType: "string",
    Classification: "string",
    Active: "bool",
    SubAccount: "bool",
    FullyQualifiedName: "string",
    CurrentBalance: "decimal",
    CurrentBalanceWithSubAccounts: "decimal",
    ParentRef: "ref",
    ...meta,
  }),
  // Class and location (Department) lists, for companies that track them (Preferences
  // AccountingInfoPrefs.ClassTrackingPerTxn / ClassTrackingPerTxnLine / TrackDepartments).
  Class: entity("Class", "name", { Id: "id", Name: "string", Active: "bool", ...meta }),
  Department: entity("Department", "name", { Id: "id", Name: "string", Active: "bool", ...meta }),
  PaymentMethod: entity("PaymentMethod", "name", {
    Id: "id",
    Name: "string",
    Type: "string",
    Active: "bool",
    ...meta,
  }),
  TaxCode: entity(
    "TaxCode",
    "name",
    { Id: "id", Name: "string", Active: "bool", Taxable: "bool", ...meta },
    { creatable: false },
  ),
  // Read-only lists: codes and rates are made by QBO or its TaxService (reference §3.6).
  TaxRate: entity(
    "TaxRate",
    "name",
    { Id: "id", Name: "string", Active: "bool", ...meta },
    { creatable: false },
  ),
  TaxAgency: entity("TaxAgency", "name", { Id: "id", DisplayName: "string", ...meta }, { creatable: false }),
  // QBO's market rates (multicurrency companies); reference §6.2. Queried, not created here.
  ExchangeRate: entity(
    "ExchangeRate",
    "singleton",
    {
      SourceCurrencyCode: "string",
      TargetCurrencyCode: "string",
      AsOfDate: "date",
      Rate: "decimal",
      ...meta,
    },
    { creatable: false },
  ),
  Invoice: entity(
    "Invoice",
    "txn",
    { ...txn, DueDate: "date", CustomerRef: "ref", Balance: "decimal" },
    { voidable: true },
  ),
  CreditMemo: entity("CreditMemo", "txn", {
    ...txn,
    CustomerRef: "ref",
    Balance: "decimal",
    RemainingCredit: "decimal",
  }),
  Payment: entity(
    "Payment",
    "txn",
    { Id: "id", CustomerRef: "ref", TxnDate: "date", PaymentRefNum: "string", ProjectRef: "ref", ...meta },
    { voidable: true },
  ),
  JournalEntry: entity("JournalEntry", "txn", { ...txn }),
  Deposit: entity("Deposit", "txn", { Id: "id", TxnDate: "date", TotalAmt: "decimal", ...meta }),
  Transfer: entity("Transfer", "txn", { Id: "id", TxnDate: "date", Amount: "decimal", ...meta }),
  CompanyInfo: entity(
    "CompanyInfo",
    "singleton",
    { Id: "id", CompanyName: "string", ...meta },
    { creatable: false },
  ),
  Preferences: entity("Preferences", "singleton", { Id: "id", ...meta }, { creatable: false }),
};

const byLower = new Map(Object.keys(ENTITIES).map((k) => [k.toLowerCase(), k]));

/** Resolves a URL segment or query entity name (any case) to the canonical PascalCase name. */
export function entityName(text: string): string | undefined {
  return byLower.get(text.toLowerCase());
}

/** The entities whose DisplayName share one namespace (6240). */
export const DISPLAY_NAME_TYPES = ["Customer", "Vendor", "Employee"] as const;

/** Entities that CDC accepts (reference §6: not TaxCode/TaxRate). */
export function cdcSupported(name: string): boolean {
  return name !== "TaxCode" && name !== "TaxRate" && name !== "ExchangeRate";
}
