/**
 * Validation of transactions (reference §10.5–10.10, §14 item 3): required fields (2020), lengths
 * (2050), Amount = Qty × UnitPrice (6070), US tax codes (6100), active references (610), balanced
 * journal entries with a customer on A/R lines, asset-only transfers, duplicate DocNumber (6140),
 * closed books (6210).
 */

import { preference } from "./company.ts";
import { productCents, type TaxRounding, toCents } from "./decimal.ts";
import { recordsWithDocNumber } from "./doc-number-index.ts";
import { fault, faults } from "./faults.ts";
import { customerRecords } from "./ledger.ts";
import { activeRef, checkLengths } from "./rules-names.ts";
import { validateSalesTax } from "./rules-tax.ts";
import { get, type Obj, type RealmState, table } from "./state.ts";
import { type LengthUnit, textLength } from "./text-length.ts";

export interface TxnRuleOptions {
  /** Reject transfers whose accounts are not both assets (docs say so; enforcement UNCONFIRMED). */
  transferAssetOnly: boolean;
  /** Reject payment lines that apply more than an invoice's open balance. */
  rejectOverApplication: boolean;
  /**
   * Refuse a DocNumber another transaction of the type already has (6140), unless the request
   * says `include=allowduplicatedocnum`. An emulator setting, not a Preferences field: the real
   * Preferences entity has no duplicate-number switch for sales forms (its OtherPrefs carry only
   * WarnDuplicateCheckNumber and WarnDuplicateBillNumber, for checks and bills).
   */
  rejectDuplicateDocNumber: boolean;
  /** What a maximum length counts (text-length.ts): UTF-16 code units by default. */
  lengthUnit: LengthUnit;
  /** How tax is rounded to cents per line and rate (QBO's tie-breaking is UNCONFIRMED, reference §3.7). */
  taxRounding: TaxRounding;
  /**
   * CA/UK/AU: whether a TotalTax supplied on create is kept (with OverrideDeltaAmount) or QBO's
   * own per-line computation replaces it (UNCONFIRMED, reference §3.4; default recompute).
   */
  globalSuppliedTax: "recompute" | "honour";
}

export const defaultTxnRules: TxnRuleOptions = {
  transferAssetOnly: true,
  rejectOverApplication: true,
  rejectDuplicateDocNumber: true,
  lengthUnit: "utf16",
  taxRounding: "half-up",
  globalSuppliedTax: "recompute",
};

const HEADER_LENGTHS = {
  DocNumber: 21,
  PrivateNote: 4000,
  "CustomerMemo.value": 1000,
  "BillEmail.Address": 100,
  PaymentRefNum: 21,
};

function accountType(realm: RealmState, id: string | undefined, element: string): Obj {
  return activeRef(realm, "Account", id, element);
}

export function checkClosedBooks(realm: RealmState, txnDate: unknown): void {
  const close = preference(realm, "BookCloseDate") as string | undefined;
  if (close && typeof txnDate === "string" && txnDate <= close) throw faults.closedPeriod(close);
}

export function checkDocNumber(
  realm: RealmState,
  type: string,
  data: Obj,
  selfId: string | undefined,
  include: Set<string>,
  rules: TxnRuleOptions,
): void {
  const doc = get.str(data, "DocNumber");
  if (!doc || include.has("allowduplicatedocnum") || !rules.rejectDuplicateDocNumber) return;
  for (const id of recordsWithDocNumber(realm, type, doc)) {
    if (id !== selfId) throw faults.duplicateDocNumber(doc, type, id);
  }
}

function checkLineText(line: Obj, i: number, unit: LengthUnit): void {
  const d = get.str(line, "Description");
  const length = d ? textLength(d, unit) : 0;
  if (length > 4000) throw faults.tooLong(`Line[${i}].Description`, 4000, length);
}

/**
 * Class and location (Department) references: an unknown or inactive one is refused like any list
 * reference. A transaction without them is accepted even when the company tracks classes or
 * locations (QBO files it unclassified; no API refusal is documented).
 */
function checkTracking(realm: RealmState, holder: Obj | undefined, where: string): void {
  const cls = get.ref(holder, "ClassRef");
  if (cls !== undefined) activeRef(realm, "Class", cls, `${where}ClassRef`);
  const dept = get.ref(holder, "DepartmentRef");
  if (dept !== undefined) activeRef(realm, "Department", dept, `${where}DepartmentRef`);
}

export function validateSalesTxn(realm: RealmState, _type: string, data: Obj, unit: LengthUnit): void {
  checkLengths(data, HEADER_LENGTHS, unit);
  checkTracking(realm, data, "");
  const customer = get.ref(data, "CustomerRef");
  if (customer === undefined) throw faults.required("CustomerRef");
  activeRef(realm, "Customer", customer, "CustomerRef");
  const lines = get.arr(data, "Line").filter((l) => l.DetailType !== "SubTotalLineDetail");
  if (lines.length === 0) throw faults.required("Line");
  lines.forEach((line, i) => {
    checkLineText(line, i, unit);
    const kind = get.str(line, "DetailType");
    if (!kind) throw faults.required("Line.DetailType");
    if (kind === "SalesItemLineDetail") {
      if (line.Amount === undefined || line.Amount === null) throw faults.required("Line.Amount");
      const d = get.obj(line, "SalesItemLineDetail") ?? {};
      const item = get.ref(d, "ItemRef");
      if (item !== undefined) activeRef(realm, "Item", item, "ItemRef");
      checkTracking(realm, d, "SalesItemLineDetail.");
      const qty = get.num(d, "Qty");
      const price = get.num(d, "UnitPrice");
      if (qty !== undefined && price !== undefined) {
        const expected = productCents(qty, price);
        if (expected !== toCents(line.Amount))
          throw faults.amountMismatch(Number(line.Amount), expected / 100);
      }
    } else if (kind === "DiscountLineDetail") {
      const acct = get.ref(get.obj(line, "DiscountLineDetail"), "DiscountAccountRef");
      if (acct !== undefined) accountType(realm, acct, "DiscountAccountRef");
    } else if (kind !== "DescriptionOnly" && kind !== "GroupLineDetail") {
      throw faults.invalidEnum("Line.DetailType", kind);
    }
  });
  validateSalesTax(realm, data, lines);
}

/** Open balance of an invoice or credit memo, ignoring what `paymentId` itself applies to it. */
function openExcluding(realm: RealmState, type: string, id: string, paymentId?: string): number {
  const target = table(realm, type)[id];
  if (!target) return 0;
  let open = toCents(target.data.TotalAmt);
  // A payment applies only to its own customer's documents: look at that customer's payments.
  const customer = get.ref(target.data, "CustomerRef");
  for (const pay of customer === undefined ? [] : customerRecords(realm, "Payment", customer)) {
    if (pay.id === paymentId) continue;
    for (const line of get.arr(pay.data, "Line")) {
      if (get.arr(line, "LinkedTxn").some((l) => l.TxnType === type && get.str(l, "TxnId") === id)) {
        open -= toCents(line.Amount);
      }
    }
  }
  return open;
}

export function validatePayment(
  realm: RealmState,
  data: Obj,
  selfId: string | undefined,
  rules: TxnRuleOptions,
): void {
  checkLengths(data, HEADER_LENGTHS, rules.lengthUnit);
  const customer = get.ref(data, "CustomerRef");
  if (customer === undefined) throw faults.required("CustomerRef");
  activeRef(realm, "Customer", customer, "CustomerRef");
  if (data.TotalAmt === undefined || data.TotalAmt === null) throw faults.required("TotalAmt");
  const deposit = get.ref(data, "DepositToAccountRef");
  if (deposit !== undefined) {
    const acct = accountType(realm, deposit, "DepositToAccountRef");
    if (acct.AccountType !== "Bank" && acct.AccountType !== "Other Current Asset") {
      throw faults.business(
        "Deposit to account must be a Bank or Other Current Asset account.",
        "DepositToAccountRef",
      );
    }
  }
  const method = get.ref(data, "PaymentMethodRef");
  if (method !== undefined) activeRef(realm, "PaymentMethod", method, "PaymentMethodRef");
  for (const line of get.arr(data, "Line")) {
    if (line.Amount === undefined) throw faults.required("Line.Amount");
    for (const link of get.arr(line, "LinkedTxn")) {
      const txnType = get.str(link, "TxnType") ?? "";
      const txnId = get.str(link, "TxnId");
      if (!["Invoice", "CreditMemo", "JournalEntry"].includes(txnType))
        throw faults.invalidEnum("LinkedTxn.TxnType", txnType);
      const target = txnId === undefined ? undefined : table(realm, txnType)[txnId];
      if (!target)
        throw faults.notFound(`Object Not Found : ${txnType} ${txnId ?? ""} does not exist.`, "LinkedTxn");
      if (txnType !== "JournalEntry" && get.ref(target.data, "CustomerRef") !== customer) {
        throw fault(
          "620",
          "Transaction can't be linked",
          `${txnType} ${txnId} belongs to another customer.`,
          "LinkedTxn",
        );
      }
      if (
        rules.rejectOverApplication &&
        txnType !== "JournalEntry" &&
        toCents(line.Amount) > openExcluding(realm, txnType, txnId!, selfId)
      ) {
        throw faults.business(
          `The amount applied to ${txnType} ${txnId} is more than its open balance.`,
          "Line.Amount",
        );
      }
    }
  }
  if (toCents(data.UnappliedAmt) < 0) {
    throw faults.business("The payment applies more than its total amount.", "TotalAmt");
  }
}

export function validateJournalEntry(realm: RealmState, data: Obj, unit: LengthUnit): void {
  checkLengths(data, HEADER_LENGTHS, unit);
  const lines = get.arr(data, "Line");
  if (lines.length === 0) throw faults.required("Line");
  let debit = 0;
  let credit = 0;
  lines.forEach((line, i) => {
    checkLineText(line, i, unit);
    if (line.DetailType === "DescriptionOnly") return;
    const d = get.obj(line, "JournalEntryLineDetail");
    if (!d) throw faults.required("JournalEntryLineDetail");
    checkTracking(realm, d, "JournalEntryLineDetail.");
    const posting = get.str(d, "PostingType");
    if (!posting) throw faults.required("PostingType");
    if (posting !== "Debit" && posting !== "Credit") throw faults.invalidEnum("PostingType", posting);
    const acctId = get.ref(d, "AccountRef");
    if (acctId === undefined) throw faults.required("AccountRef");
    const acct = accountType(realm, acctId, "AccountRef");
    if (line.Amount === undefined) throw faults.required("Line.Amount");
    const amount = toCents(line.Amount);
    if (amount < 0) throw faults.business("Journal entry line amounts must be positive.", "Line.Amount");
    if (posting === "Debit") debit += amount;
    else credit += amount;
    const entity = get.obj(d, "Entity");
    const entityType = get.str(entity, "Type");
    const entityId = get.ref(entity, "EntityRef");
    if (entityId !== undefined) {
      const t = entityType === "Vendor" || entityType === "Employee" ? entityType : "Customer";
      activeRef(realm, t, entityId, "Entity");
    }
    if (
      acct.AccountType === "Accounts Receivable" &&
      (entityId === undefined || (entityType && entityType !== "Customer"))
    ) {
      throw faults.business(
        "When you use Accounts Receivable, you must choose a customer in the Name field.",
        "Entity",
      );
    }
    if (acct.AccountType === "Accounts Payable" && (entityId === undefined || entityType !== "Vendor")) {
      throw faults.business(
        "When you use Accounts Payable, you must select a vendor in the Name field.",
        "Entity",
      );
    }
  });
  if (debit !== credit) {
    throw faults.business("Journal Entry must balance: total debits must equal total credits.", "Line");
  }
}

export function validateDeposit(
  realm: RealmState,
  data: Obj,
  selfId: string | undefined,
  unit: LengthUnit,
): void {
  checkLengths(data, HEADER_LENGTHS, unit);
  const to = get.ref(data, "DepositToAccountRef");
  if (to === undefined) throw faults.required("DepositToAccountRef");
  const acct = accountType(realm, to, "DepositToAccountRef");
  if (acct.AccountType !== "Bank" && acct.AccountType !== "Other Current Asset") {
    throw faults.business(
      "Deposit to account must be a Bank or Other Current Asset account.",
      "DepositToAccountRef",
    );
  }
  const lines = get.arr(data, "Line");
  if (lines.length === 0) throw faults.required("Line");
  for (const line of lines) {
    if (line.Amount === undefined) throw faults.required("Line.Amount");
    const links = get.arr(line, "LinkedTxn");
    if (links.length > 0) {
      for (const link of links) {
        const pay = table(realm, get.str(link, "TxnType") ?? "")[get.str(link, "TxnId") ?? ""];
        if (!pay)
          throw faults.notFound("Object Not Found : the linked transaction does not exist.", "LinkedTxn");
        if (pay.depositedIn && pay.depositedIn !== selfId)
          throw faults.business("This transaction is already deposited.", "LinkedTxn");
      }
      continue;
    }
    const d = get.obj(line, "DepositLineDetail");
    const acctId = get.ref(d, "AccountRef");
    if (acctId === undefined) throw faults.required("DepositLineDetail.AccountRef");
    accountType(realm, acctId, "AccountRef");
    const entity = get.ref(d, "Entity");
    if (entity !== undefined) activeRef(realm, "Customer", entity, "Entity");
  }
}

export function validateTransfer(realm: RealmState, data: Obj, rules: TxnRuleOptions): void {
  checkLengths(data, HEADER_LENGTHS, rules.lengthUnit);
  const from = get.ref(data, "FromAccountRef");
  const to = get.ref(data, "ToAccountRef");
  if (from === undefined) throw faults.required("FromAccountRef");
  if (to === undefined) throw faults.required("ToAccountRef");
  if (data.Amount === undefined) throw faults.required("Amount");
  const a = accountType(realm, from, "FromAccountRef");
  const b = accountType(realm, to, "ToAccountRef");
  if (from === to) throw faults.business("You can't transfer money to the same account.", "ToAccountRef");
  if (rules.transferAssetOnly && (a.Classification !== "Asset" || b.Classification !== "Asset")) {
    throw faults.business("Transfers must be between two asset accounts.", "ToAccountRef");
  }
}
