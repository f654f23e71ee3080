/**
 * Server-side filling of a body before it is stored: defaults, names on references, line ids and
 * numbers, and the totals QBO computes (TotalAmt, the automatic SubTotal line, UnappliedAmt).
 * All money is summed in integer cents.
 */
import { CLASSIFICATION, DEFAULT_SUBTYPE, preference } from "./company.ts";
import { homeCurrency, multiCurrencyEnabled, taxModel } from "./company-tax.ts";
import { fromCents, toCents } from "./decimal.ts";
import type { TxnRuleOptions } from "./rules-txns.ts";
import { applySalesTax } from "./sales-tax.ts";
import { get, type Obj, type RealmState, table } from "./state.ts";
import { companyDate } from "./time.ts";

function refName(realm: RealmState, type: string, ref: unknown, field = "Name"): void {
  if (!ref || typeof ref !== "object") return;
  const r = ref as Obj;
  const rec = typeof r.value === "string" ? table(realm, type)[r.value] : undefined;
  const name = rec ? get.str(rec.data, field) : undefined;
  if (name !== undefined) r.name = name;
}

function account(realm: RealmState, ref: unknown): void {
  refName(realm, "Account", ref);
}

export function normalisePerson(data: Obj): void {
  if (!get.str(data, "DisplayName")) {
    const parts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"]
      .map((k) => get.str(data, k))
      .filter((v): v is string => !!v && v.trim() !== "");
    if (parts.length > 0) data.DisplayName = parts.join(" ");
  }
  if (data.Active === undefined) data.Active = true;
  if (!get.str(data, "PrintOnCheckName") && get.str(data, "DisplayName"))
    data.PrintOnCheckName = data.DisplayName;
}

export function normaliseCustomer(realm: RealmState, data: Obj): void {
  normalisePerson(data);
  const parent = get.ref(data, "ParentRef");
  const parentRec = parent === undefined ? undefined : table(realm, "Customer")[parent];
  if (parentRec) {
    data.Job = data.Job ?? true;
    const pfq = get.str(parentRec.data, "FullyQualifiedName") ?? get.str(parentRec.data, "DisplayName");
    data.FullyQualifiedName = `${pfq}:${get.str(data, "DisplayName") ?? ""}`;
    data.Level = (Number(parentRec.data.Level ?? 0) || 0) + 1;
    refName(realm, "Customer", data.ParentRef, "DisplayName");
  } else {
    data.FullyQualifiedName = data.DisplayName;
    if (data.Job === undefined) data.Job = false;
  }
  if (data.BillWithParent === undefined) data.BillWithParent = false;
  if (data.Taxable === undefined) data.Taxable = false;
  if (!data.CurrencyRef) data.CurrencyRef = { value: homeCurrency(realm) };
  if (!data.PreferredDeliveryMethod) data.PreferredDeliveryMethod = "Print";
  // Balance is write-on-create only (opening balance) and otherwise derived.
  delete data.Balance;
  delete data.BalanceWithJobs;
}

export function normaliseItem(realm: RealmState, data: Obj): void {
  if (data.Active === undefined) data.Active = true;
  data.FullyQualifiedName = data.Name;
  account(realm, data.IncomeAccountRef);
  account(realm, data.ExpenseAccountRef);
}

export function normaliseAccount(realm: RealmState, data: Obj): void {
  const type = get.str(data, "AccountType") ?? "";
  data.Classification = CLASSIFICATION[type] ?? "Asset";
  if (!get.str(data, "AccountSubType")) data.AccountSubType = DEFAULT_SUBTYPE[type] ?? "";
  if (data.Active === undefined) data.Active = true;
  const parent = get.ref(data, "ParentRef");
  const parentRec = parent === undefined ? undefined : table(realm, "Account")[parent];
  data.SubAccount = !!parentRec;
  data.FullyQualifiedName = parentRec ? `${parentRec.data.FullyQualifiedName}:${data.Name}` : data.Name;
  if (!data.CurrencyRef) data.CurrencyRef = { value: homeCurrency(realm) };
  delete data.CurrentBalance;
  delete data.CurrentBalanceWithSubAccounts;
}

/** Gives each line an Id (kept when it names an existing line, new otherwise) and a LineNum. */
function numberLines(lines: Obj[], previous: Obj[]): void {
  const known = new Set(previous.map((l) => get.str(l, "Id")).filter((v) => v !== undefined));
  let next = Math.max(0, ...[...known].map((v) => Number(v)).filter(Number.isFinite)) + 1;
  lines.forEach((line, i) => {
    const id = get.str(line, "Id");
    if (id === undefined || Number(id) <= 0 || !known.has(id)) {
      line.Id = String(next);
      next += 1;
    }
    line.LineNum = i + 1;
  });
}

function commonTxn(realm: RealmState, type: string, data: Obj, now: number): void {
  if (!get.str(data, "TxnDate")) data.TxnDate = companyDate(now);
  if (!data.CurrencyRef) {
    // With multicurrency on a transaction takes its customer's currency (reference §6.2).
    const customer = table(realm, "Customer")[get.ref(data, "CustomerRef") ?? ""];
    const own = multiCurrencyEnabled(realm) ? get.ref(customer?.data, "CurrencyRef") : undefined;
    data.CurrencyRef = { value: own ?? homeCurrency(realm) };
  }
  const needsDoc = ["Invoice", "CreditMemo"].includes(type);
  if (needsDoc && !preference(realm, "CustomTxnNumbers")) {
    const doc = get.str(data, "DocNumber");
    if (!doc || doc === "AUTO_GENERATE") {
      const n = (realm.docNumbers[type] ?? 1000) + 1;
      realm.docNumbers[type] = n;
      data.DocNumber = String(n);
    }
  }
}

export function normaliseSalesTxn(
  realm: RealmState,
  type: string,
  data: Obj,
  now: number,
  previous: Obj[],
  rules: TxnRuleOptions,
): void {
  commonTxn(realm, type, data, now);
  const noSalesTax = taxModel(realm) === "none";
  refName(realm, "Customer", data.CustomerRef, "DisplayName");
  const lines = get.arr(data, "Line").filter((l) => l.DetailType !== "SubTotalLineDetail");
  let subtotal = 0;
  let discount = 0;
  for (const line of lines) {
    if (line.DetailType === "SalesItemLineDetail") {
      subtotal += toCents(line.Amount);
      const detail = get.obj(line, "SalesItemLineDetail");
      refName(realm, "Item", detail?.ItemRef);
      if (detail && !detail.TaxCodeRef && noSalesTax) detail.TaxCodeRef = { value: "NON" };
    }
  }
  for (const line of lines) {
    if (line.DetailType !== "DiscountLineDetail") continue;
    const d = get.obj(line, "DiscountLineDetail") ?? {};
    if (d.PercentBased === true && typeof d.DiscountPercent === "number") {
      line.Amount = fromCents(Math.round((subtotal * d.DiscountPercent) / 100));
    }
    discount += toCents(line.Amount);
  }
  numberLines(lines, previous);
  lines.push({ Amount: fromCents(subtotal), DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} });
  data.Line = lines;
  const total = subtotal - discount + applySalesTax(realm, data, lines, rules);
  data.TotalAmt = fromCents(total);
  if (multiCurrencyEnabled(realm)) {
    // ExchangeRate defaults to 1 when omitted (reference §6.2, E25; HomeTotalAmt rounding UNCONFIRMED).
    const rate = get.num(data, "ExchangeRate") ?? 1;
    data.ExchangeRate = rate;
    data.HomeTotalAmt = fromCents(Math.round(total * rate));
  }
  if (type === "Invoice") {
    if (!get.str(data, "DueDate")) {
      const due = new Date(`${get.str(data, "TxnDate")}T00:00:00Z`);
      due.setUTCDate(due.getUTCDate() + 30);
      data.DueDate = due.toISOString().slice(0, 10);
    }
    data.Balance = data.TotalAmt;
    data.EmailStatus = data.EmailStatus ?? "NotSet";
    data.PrintStatus = data.PrintStatus ?? "NotSet";
    data.LinkedTxn = [];
  } else {
    data.RemainingCredit = data.TotalAmt;
    data.Balance = data.RemainingCredit;
  }
}

export function undepositedFundsId(realm: RealmState): string | undefined {
  return Object.values(table(realm, "Account")).find((r) => r.data.AccountSubType === "UndepositedFunds")?.id;
}

export function normalisePayment(realm: RealmState, data: Obj, now: number): void {
  commonTxn(realm, "Payment", data, now);
  refName(realm, "Customer", data.CustomerRef, "DisplayName");
  if (!data.DepositToAccountRef) {
    const uf = undepositedFundsId(realm);
    if (uf) data.DepositToAccountRef = { value: uf };
  }
  account(realm, data.DepositToAccountRef);
  refName(realm, "PaymentMethod", data.PaymentMethodRef);
  let applied = 0;
  for (const line of get.arr(data, "Line")) {
    for (const link of get.arr(line, "LinkedTxn")) {
      if (link.TxnType === "Invoice") applied += toCents(line.Amount);
      if (link.TxnType === "CreditMemo") applied -= toCents(line.Amount);
    }
  }
  data.Line = get.arr(data, "Line");
  data.TotalAmt = fromCents(toCents(data.TotalAmt));
  data.UnappliedAmt = fromCents(toCents(data.TotalAmt) - applied);
  data.ProcessPayment = data.ProcessPayment ?? false;
}

export function normaliseJournalEntry(realm: RealmState, data: Obj, now: number, previous: Obj[]): void {
  commonTxn(realm, "JournalEntry", data, now);
  const lines = get.arr(data, "Line");
  let debits = 0;
  for (const line of lines) {
    const d = get.obj(line, "JournalEntryLineDetail");
    account(realm, d?.AccountRef);
    if (d?.PostingType === "Debit") debits += toCents(line.Amount);
  }
  numberLines(lines, previous);
  data.Line = lines;
  data.TotalAmt = fromCents(debits);
  data.Adjustment = data.Adjustment ?? false;
}

export function normaliseDeposit(realm: RealmState, data: Obj, now: number, previous: Obj[]): void {
  commonTxn(realm, "Deposit", data, now);
  account(realm, data.DepositToAccountRef);
  const lines = get.arr(data, "Line");
  let total = 0;
  for (const line of lines) {
    total += toCents(line.Amount);
    account(realm, get.obj(line, "DepositLineDetail")?.AccountRef);
  }
  numberLines(lines, previous);
  data.Line = lines;
  data.TotalAmt = fromCents(total);
}

export function normaliseTransfer(realm: RealmState, data: Obj, now: number): void {
  commonTxn(realm, "Transfer", data, now);
  account(realm, data.FromAccountRef);
  account(realm, data.ToAccountRef);
  data.Amount = fromCents(toCents(data.Amount));
}
