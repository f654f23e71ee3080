/**
 * Derived fields that depend on other records: invoice Balance/LinkedTxn and credit memo
 * RemainingCredit (refreshed eagerly after each write, bumping SyncToken when they change, as
 * applying a payment changes the invoice), customer Balance (from the customer's own records when
 * presented) and account CurrentBalance (computed when presented, cached per realm version).
 * Integer cents throughout.
 */
import { taxAccountOf } from "./company-tax.ts";
import { fromCents, toCents } from "./decimal.ts";
import { get, type Obj, type RealmState, type StoredRecord } from "./state.ts";

/**
 * A type's records for reading: what is derived when presenting a record must not change what an
 * export shows, and `table` makes a missing table (an empty `Deposit` list, say) as it reads it.
 */
function rows(realm: RealmState, type: string): Readonly<Record<string, StoredRecord>> {
  return realm.records[type] ?? {};
}

export type ChangeSink = (
  type: string,
  rec: StoredRecord,
  operation: "Create" | "Update" | "Delete" | "Void",
) => void;

const LINKED_TYPES = ["Payment", "Invoice", "CreditMemo"] as const;

/**
 * Which payments, invoices and credit memos belong to each customer, so a write recomputes only its
 * own customer's documents (a full scan per write made large companies quadratic). Built on first
 * use per realm object (an import or reset makes a new one); every write adds its record through
 * `noteLinkedRecord`. Entries whose record was deleted or moved to another customer are skipped when read.
 */
const customerIndexes = new WeakMap<RealmState, Map<string, Set<string>>>();

function customerIndex(realm: RealmState): Map<string, Set<string>> {
  let index = customerIndexes.get(realm);
  if (!index) {
    index = new Map();
    for (const type of LINKED_TYPES)
      for (const rec of Object.values(rows(realm, type))) addToIndex(index, type, rec);
    customerIndexes.set(realm, index);
  }
  return index;
}

function addToIndex(index: Map<string, Set<string>>, type: string, rec: StoredRecord): void {
  const customer = get.ref(rec.data, "CustomerRef");
  if (customer === undefined) return;
  let set = index.get(customer);
  if (!set) {
    set = new Set();
    index.set(customer, set);
  }
  set.add(`${type}:${rec.id}`);
}

export function noteLinkedRecord(realm: RealmState, type: string, rec: StoredRecord | undefined): void {
  const index = customerIndexes.get(realm);
  if (index && rec && (LINKED_TYPES as readonly string[]).includes(type)) addToIndex(index, type, rec);
}

/** The customers' current records of a type (all records when `customers` is empty). */
function recordsOf(realm: RealmState, type: string, customers: Set<string>): StoredRecord[] {
  if (customers.size === 0) return Object.values(rows(realm, type));
  const index = customerIndex(realm);
  const out: StoredRecord[] = [];
  const records = rows(realm, type);
  for (const customer of customers) {
    for (const key of index.get(customer) ?? []) {
      const [t, id] = key.split(":") as [string, string];
      const rec = t === type ? records[id] : undefined;
      if (rec && get.ref(rec.data, "CustomerRef") === customer) out.push(rec);
    }
  }
  return out;
}

/** One customer's current records of a type. */
export function customerRecords(realm: RealmState, type: string, customer: string): StoredRecord[] {
  return recordsOf(realm, type, new Set([customer]));
}

/** Recomputes invoices and credit memos of the given customers (all when `customers` is empty). */
export function refreshLinks(
  realm: RealmState,
  customers: Set<string>,
  now: number,
  changed: ChangeSink,
): void {
  const applied = new Map<string, { cents: number; links: Obj[] }>();
  for (const pay of recordsOf(realm, "Payment", customers).sort((a, b) => Number(a.id) - Number(b.id))) {
    for (const line of get.arr(pay.data, "Line")) {
      for (const link of get.arr(line, "LinkedTxn")) {
        const key = `${get.str(link, "TxnType")}:${get.str(link, "TxnId")}`;
        const entry = applied.get(key) ?? { cents: 0, links: [] };
        entry.cents += toCents(line.Amount);
        if (!entry.links.some((l) => l.TxnId === pay.id))
          entry.links.push({ TxnId: pay.id, TxnType: "Payment" });
        applied.set(key, entry);
      }
    }
  }
  for (const type of ["Invoice", "CreditMemo"]) {
    for (const rec of recordsOf(realm, type, customers)) {
      const entry = applied.get(`${type}:${rec.id}`);
      const open = fromCents(toCents(rec.data.TotalAmt) - (entry?.cents ?? 0));
      const before = JSON.stringify([rec.data.Balance, rec.data.LinkedTxn, rec.data.RemainingCredit]);
      if (type === "Invoice") {
        rec.data.Balance = open;
        rec.data.LinkedTxn = entry?.links ?? [];
      } else {
        rec.data.RemainingCredit = open;
        rec.data.Balance = open;
      }
      if (JSON.stringify([rec.data.Balance, rec.data.LinkedTxn, rec.data.RemainingCredit]) !== before) {
        rec.syncToken += 1;
        rec.updated = now;
        changed(type, rec, "Update");
      }
    }
  }
}

interface Derived {
  version: number;
  account: Map<string, number>;
}

const cache = new WeakMap<RealmState, Derived>();

function post(map: Map<string, number>, id: string | undefined, cents: number): void {
  if (id === undefined) return;
  map.set(id, (map.get(id) ?? 0) + cents);
}

function firstAccount(realm: RealmState, type: string): string | undefined {
  return Object.values(rows(realm, type === "AR" ? "Account" : "Account")).find((r) =>
    type === "AR"
      ? r.data.AccountType === "Accounts Receivable"
      : r.data.AccountSubType === "UndepositedFunds",
  )?.id;
}

/** Debit-positive postings per account id. */
function ledger(realm: RealmState): Map<string, number> {
  const dr = new Map<string, number>();
  const ar = firstAccount(realm, "AR");
  const items = rows(realm, "Item");
  const salesPost = (data: Obj, sign: number) => {
    post(dr, ar, sign * toCents(data.TotalAmt));
    for (const line of get.arr(data, "Line")) {
      if (line.DetailType === "SalesItemLineDetail") {
        const item = items[get.ref(get.obj(line, "SalesItemLineDetail"), "ItemRef") ?? ""];
        const income = get.ref(item?.data, "IncomeAccountRef");
        post(dr, income, -sign * toCents(line.Amount));
      } else if (line.DetailType === "DiscountLineDetail") {
        post(
          dr,
          get.ref(get.obj(line, "DiscountLineDetail"), "DiscountAccountRef"),
          sign * toCents(line.Amount),
        );
      }
    }
    // Collected tax is a liability to the rate's agency, never income (reference §4).
    for (const line of get.arr(get.obj(data, "TxnTaxDetail"), "TaxLine")) {
      const rate = get.ref(get.obj(line, "TaxLineDetail"), "TaxRateRef");
      post(dr, rate === undefined ? undefined : taxAccountOf(realm, rate), -sign * toCents(line.Amount));
    }
  };
  for (const rec of Object.values(rows(realm, "Invoice"))) salesPost(rec.data, 1);
  for (const rec of Object.values(rows(realm, "CreditMemo"))) salesPost(rec.data, -1);
  for (const rec of Object.values(rows(realm, "Payment"))) {
    post(dr, get.ref(rec.data, "DepositToAccountRef"), toCents(rec.data.TotalAmt));
    post(dr, ar, -toCents(rec.data.TotalAmt));
  }
  for (const rec of Object.values(rows(realm, "Deposit"))) {
    post(dr, get.ref(rec.data, "DepositToAccountRef"), toCents(rec.data.TotalAmt));
    for (const line of get.arr(rec.data, "Line")) {
      const link = get.arr(line, "LinkedTxn")[0];
      if (link) {
        const pay = rows(realm, get.str(link, "TxnType") ?? "")[get.str(link, "TxnId") ?? ""];
        post(
          dr,
          get.ref(pay?.data, "DepositToAccountRef") ?? firstAccount(realm, "UF"),
          -toCents(line.Amount),
        );
      } else {
        post(dr, get.ref(get.obj(line, "DepositLineDetail"), "AccountRef"), -toCents(line.Amount));
      }
    }
  }
  for (const rec of Object.values(rows(realm, "JournalEntry"))) {
    for (const line of get.arr(rec.data, "Line")) {
      const d = get.obj(line, "JournalEntryLineDetail");
      const sign = d?.PostingType === "Credit" ? -1 : 1;
      post(dr, get.ref(d, "AccountRef"), sign * toCents(line.Amount));
    }
  }
  for (const rec of Object.values(rows(realm, "Transfer"))) {
    post(dr, get.ref(rec.data, "ToAccountRef"), toCents(rec.data.Amount));
    post(dr, get.ref(rec.data, "FromAccountRef"), -toCents(rec.data.Amount));
  }
  return dr;
}

function compute(realm: RealmState): Derived {
  const dr = ledger(realm);
  const account = new Map<string, number>();
  for (const rec of Object.values(rows(realm, "Account"))) {
    const debitNormal = rec.data.Classification === "Asset" || rec.data.Classification === "Expense";
    const cents = dr.get(rec.id) ?? 0;
    account.set(rec.id, debitNormal ? cents : -cents);
  }
  return { version: realm.version, account };
}

export function derived(realm: RealmState): Derived {
  const hit = cache.get(realm);
  if (hit && hit.version === realm.version) return hit;
  const fresh = compute(realm);
  cache.set(realm, fresh);
  return fresh;
}

/**
 * A customer's open balance in cents (used by the inactivate rule and presentation): its open
 * invoices less its unused credits and unapplied payments, from its own records (the customer
 * index) — presenting a customer after each write must not recompute the whole ledger, which made
 * a batch of customer creates take seconds in a company with many transactions.
 */
export function customerBalanceCents(realm: RealmState, id: string): number {
  let cents = 0;
  for (const rec of customerRecords(realm, "Invoice", id)) cents += toCents(rec.data.Balance);
  for (const rec of customerRecords(realm, "CreditMemo", id)) cents -= toCents(rec.data.RemainingCredit);
  for (const rec of customerRecords(realm, "Payment", id)) cents -= toCents(rec.data.UnappliedAmt);
  return cents;
}

/** Adds the presented derived fields to a copy of a record's data. */
export function addPresentedFields(realm: RealmState, type: string, id: string, out: Obj): void {
  if (type === "Customer") {
    const own = customerBalanceCents(realm, id);
    let withJobs = own;
    for (const child of Object.values(rows(realm, "Customer"))) {
      if (get.ref(child.data, "ParentRef") === id) withJobs += customerBalanceCents(realm, child.id);
    }
    out.Balance = fromCents(own);
    out.BalanceWithJobs = fromCents(withJobs);
  } else if (type === "Vendor") {
    out.Balance = 0;
  } else if (type === "Account") {
    const cents = derived(realm).account.get(id) ?? 0;
    out.CurrentBalance = fromCents(cents);
    let withSubs = cents;
    for (const sub of Object.values(rows(realm, "Account"))) {
      if (get.ref(sub.data, "ParentRef") === id) withSubs += derived(realm).account.get(sub.id) ?? 0;
    }
    out.CurrentBalanceWithSubAccounts = fromCents(withSubs);
  }
}
