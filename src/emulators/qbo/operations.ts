/**
 * The entity operations every route, batch item and admin edit goes through: create, read, full
 * and sparse update, delete, void (reference §3). Each write validates, fills derived fields,
 * bumps SyncToken and LastUpdatedTime, refreshes linked balances and reports the change.
 */
import { insertRecord } from "./company.ts";
import { noteDocNumber } from "./doc-number-index.ts";
import { ENTITIES, entityName } from "./entities.ts";
import { faults } from "./faults.ts";
import {
  addPresentedFields,
  type ChangeSink,
  customerBalanceCents,
  noteLinkedRecord,
  refreshLinks,
} from "./ledger.ts";
import {
  normaliseAccount,
  normaliseCustomer,
  normaliseDeposit,
  normaliseItem,
  normaliseJournalEntry,
  normalisePayment,
  normalisePerson,
  normaliseSalesTxn,
  normaliseTransfer,
} from "./normalise.ts";
import {
  validateAccount,
  validateItem,
  validatePaymentMethod,
  validatePerson,
  validateTrackingName,
} from "./rules-names.ts";
import { validateCustomerCurrency } from "./rules-tax.ts";
import {
  checkClosedBooks,
  checkDocNumber,
  type TxnRuleOptions,
  validateDeposit,
  validateJournalEntry,
  validatePayment,
  validateSalesTxn,
  validateTransfer,
} from "./rules-txns.ts";
import { clone, get, type Obj, type RealmState, type StoredRecord, table } from "./state.ts";
import { metaTime } from "./time.ts";

export interface OpContext {
  realm: RealmState;
  now: number;
  include: Set<string>;
  rules: TxnRuleOptions;
  changed: ChangeSink;
}

const SERVER_FIELDS = ["Id", "SyncToken", "MetaData", "domain", "sparse", "status", "time"];

export function requireEntity(text: string): string {
  const name = entityName(text);
  if (!name) throw faults.unsupported(`Unsupported entity: ${text}`);
  return name;
}

export function present(realm: RealmState, type: string, rec: StoredRecord): Obj {
  const out: Obj = { ...clone(rec.data) };
  addPresentedFields(realm, type, rec.id, out);
  return {
    ...out,
    domain: "QBO",
    sparse: false,
    Id: rec.id,
    SyncToken: String(rec.syncToken),
    MetaData: { CreateTime: metaTime(rec.created), LastUpdatedTime: metaTime(rec.updated) },
  };
}

function bodyData(body: Obj): Obj {
  const data = clone(body);
  for (const f of SERVER_FIELDS) delete data[f];
  return data;
}

/** Fills derived fields and validates `data` for `type`; `prev` is the stored record on update. */
function prepare(ctx: OpContext, type: string, data: Obj, prev?: StoredRecord): void {
  const { realm, now } = ctx;
  const prevLines = prev ? get.arr(prev.data, "Line") : [];
  switch (type) {
    case "Customer":
      normaliseCustomer(realm, data);
      validateCustomerCurrency(realm, data, prev?.data);
      validatePerson(realm, type, data, ctx.rules.lengthUnit, prev?.id);
      return;
    case "Vendor":
    case "Employee":
      normalisePerson(data);
      validatePerson(realm, type, data, ctx.rules.lengthUnit, prev?.id);
      return;
    case "Item":
      normaliseItem(realm, data);
      validateItem(realm, data, ctx.rules.lengthUnit, prev?.id);
      return;
    case "Account":
      normaliseAccount(realm, data);
      validateAccount(realm, data, ctx.rules.lengthUnit, prev?.id);
      return;
    case "PaymentMethod":
      if (data.Active === undefined) data.Active = true;
      validatePaymentMethod(realm, data, ctx.rules.lengthUnit, prev?.id);
      return;
    case "Class":
    case "Department":
      if (data.Active === undefined) data.Active = true;
      validateTrackingName(realm, type, data, prev?.id);
      return;
    case "Invoice":
    case "CreditMemo":
      validateSalesTxn(realm, type, data, ctx.rules.lengthUnit);
      normaliseSalesTxn(realm, type, data, now, prevLines, ctx.rules);
      break;
    case "Payment":
      normalisePayment(realm, data, now);
      validatePayment(realm, data, prev?.id, ctx.rules);
      break;
    case "JournalEntry":
      validateJournalEntry(realm, data, ctx.rules.lengthUnit);
      normaliseJournalEntry(realm, data, now, prevLines);
      break;
    case "Deposit":
      validateDeposit(realm, data, prev?.id, ctx.rules.lengthUnit);
      normaliseDeposit(realm, data, now, prevLines);
      break;
    case "Transfer":
      validateTransfer(realm, data, ctx.rules);
      normaliseTransfer(realm, data, now);
      break;
    case "Preferences":
    case "CompanyInfo":
      return;
    default:
      throw faults.unsupported(`Operation not supported for ${type}.`);
  }
  checkClosedBooks(realm, data.TxnDate);
  checkDocNumber(realm, type, data, prev?.id, ctx.include, ctx.rules);
}

function customersOf(type: string, ...datas: Array<Obj | undefined>): Set<string> {
  const set = new Set<string>();
  if (!["Invoice", "CreditMemo", "Payment"].includes(type)) return set;
  for (const d of datas) {
    const c = get.ref(d, "CustomerRef");
    if (c !== undefined) set.add(c);
  }
  return set;
}

/** Marks payments held by a deposit (6540) from the deposit's linked lines. */
function syncDepositLinks(realm: RealmState, depositId: string, data: Obj | undefined): void {
  for (const pay of Object.values(table(realm, "Payment")))
    if (pay.depositedIn === depositId) delete pay.depositedIn;
  for (const line of get.arr(data, "Line")) {
    for (const link of get.arr(line, "LinkedTxn")) {
      const pay = table(realm, "Payment")[get.str(link, "TxnId") ?? ""];
      if (pay && link.TxnType === "Payment") pay.depositedIn = depositId;
    }
  }
}

function afterWrite(
  ctx: OpContext,
  type: string,
  rec: StoredRecord | undefined,
  customers: Set<string>,
  id: string,
  data?: Obj,
): void {
  ctx.realm.version += 1;
  noteLinkedRecord(ctx.realm, type, rec);
  noteDocNumber(ctx.realm, type, rec);
  if (type === "Deposit") syncDepositLinks(ctx.realm, id, data);
  if (customers.size > 0) refreshLinks(ctx.realm, customers, ctx.now, ctx.changed);
  if (rec) ctx.realm.version += 1;
}

export function createEntity(ctx: OpContext, type: string, body: Obj): Obj {
  const meta = ENTITIES[type];
  if (!meta?.creatable) throw faults.unsupported(`Create is not supported for ${type}.`);
  const data = bodyData(body);
  prepare(ctx, type, data);
  const rec = insertRecord(ctx.realm, type, data, ctx.now);
  afterWrite(ctx, type, rec, customersOf(type, data), rec.id, data);
  ctx.changed(type, rec, "Create");
  return present(ctx.realm, type, rec);
}

export function readEntity(realm: RealmState, type: string, id: string): Obj {
  const rec = table(realm, type)[id];
  if (!rec) throw faults.notFound();
  return present(realm, type, rec);
}

function current(ctx: OpContext, type: string, body: Obj, checkToken: boolean): StoredRecord {
  const id = get.str(body, "Id");
  if (id === undefined) throw faults.required("Id");
  const rec = table(ctx.realm, type)[id];
  if (!rec) throw faults.notFound();
  if (checkToken) {
    const token = get.str(body, "SyncToken");
    if (token === undefined) throw faults.required("SyncToken");
    if (token !== String(rec.syncToken)) throw faults.stale();
  }
  if (rec.depositedIn) throw faults.deposited();
  return rec;
}

export interface UpdateOptions {
  sparse: boolean;
  /** Admin "edit as a user would": no SyncToken needed. */
  checkToken?: boolean;
}

export function updateEntity(ctx: OpContext, type: string, body: Obj, opts: UpdateOptions): Obj {
  if (!ENTITIES[type] || type === "TaxCode") throw faults.unsupported(`Update is not supported for ${type}.`);
  const rec = current(ctx, type, body, opts.checkToken !== false);
  const incoming = bodyData(body);
  if (opts.sparse && type === "Customer") {
    for (const f of ["DisplayName", "PrintOnCheckName"]) {
      if (f in incoming && (incoming[f] === null || incoming[f] === "")) {
        throw faults.business(`${f} cannot be removed with sparse update.`, f);
      }
    }
  }
  const data: Obj = opts.sparse ? { ...clone(rec.data), ...incoming } : incoming;
  for (const [k, v] of Object.entries(data)) if (v === null) delete data[k];
  if (ENTITIES[type]?.kind === "txn") checkClosedBooks(ctx.realm, rec.data.TxnDate);
  if (type === "Customer" && data.Active === false && rec.data.Active !== false) {
    if (customerBalanceCents(ctx.realm, rec.id) !== 0) {
      throw faults.business(
        "Delete List Has Balance Error: you can't make a customer with an open balance inactive.",
        "Active",
      );
    }
  }
  prepare(ctx, type, data, rec);
  const customers = customersOf(type, rec.data, data);
  rec.data = data;
  rec.syncToken += 1;
  rec.updated = ctx.now;
  afterWrite(ctx, type, rec, customers, rec.id, data);
  ctx.changed(type, rec, "Update");
  return present(ctx.realm, type, rec);
}

export function deleteEntity(ctx: OpContext, type: string, body: Obj): Obj {
  if (!ENTITIES[type]?.deletable) {
    throw faults.unsupported(`Operation Delete is not supported for ${type}; make it inactive instead.`);
  }
  const rec = current(ctx, type, body, true);
  checkClosedBooks(ctx.realm, rec.data.TxnDate);
  if (type === "Invoice" || type === "CreditMemo") {
    if (
      get.arr(rec.data, "LinkedTxn").length > 0 ||
      (type === "CreditMemo" && rec.data.RemainingCredit !== rec.data.TotalAmt)
    ) {
      throw faults.business(`This ${type} has linked transactions; unlink them before deleting it.`);
    }
  }
  delete table(ctx.realm, type)[rec.id];
  ctx.realm.tombstones.push({ type, id: rec.id, at: ctx.now });
  afterWrite(ctx, type, undefined, customersOf(type, rec.data), rec.id, undefined);
  ctx.changed(type, { ...rec, updated: ctx.now }, "Delete");
  return { status: "Deleted", domain: "QBO", Id: rec.id };
}

export function voidEntity(ctx: OpContext, type: string, body: Obj): Obj {
  if (!ENTITIES[type]?.voidable) throw faults.unsupported(`Operation Void is not supported for ${type}.`);
  const rec = current(ctx, type, body, true);
  checkClosedBooks(ctx.realm, rec.data.TxnDate);
  const data = clone(rec.data);
  const note = get.str(data, "PrivateNote");
  data.PrivateNote = note ? `Voided - ${note}` : "Voided";
  if (type === "Invoice") {
    if (get.arr(data, "LinkedTxn").length > 0) {
      throw faults.business("This invoice has payments applied; remove them before voiding it.");
    }
    for (const line of get.arr(data, "Line")) {
      line.Amount = 0;
      const d = get.obj(line, "SalesItemLineDetail");
      if (d) {
        d.Qty = 0;
        if (d.UnitPrice !== undefined) d.UnitPrice = 0;
      }
    }
    data.TotalAmt = 0;
    data.Balance = 0;
  } else {
    data.TotalAmt = 0;
    data.UnappliedAmt = 0;
    data.Line = [];
  }
  const customers = customersOf(type, rec.data);
  rec.data = data;
  rec.syncToken += 1;
  rec.updated = ctx.now;
  afterWrite(ctx, type, rec, customers, rec.id, data);
  ctx.changed(type, rec, "Void");
  return present(ctx.realm, type, rec);
}

/** Dispatches a write the way the URL (or batch item) names it. */
export function write(ctx: OpContext, type: string, operation: string, body: Obj): Obj {
  const op = operation.toLowerCase();
  if (op === "delete") return deleteEntity(ctx, type, body);
  if (op === "void") return voidEntity(ctx, type, body);
  if (op === "update" && ctx.include.has("void")) return voidEntity(ctx, type, body);
  const hasId = get.str(body, "Id") !== undefined;
  if (op === "update" || (op === "create" && hasId && type !== "Preferences") || type === "Preferences") {
    if (!hasId && type === "Preferences") body = { ...body, Id: "1" };
    return updateEntity(ctx, type, body, { sparse: body.sparse === true || body.sparse === "true" });
  }
  return createEntity(ctx, type, body);
}
