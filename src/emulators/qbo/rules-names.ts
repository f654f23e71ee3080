/**
 * Validation of name-list entities (reference §10.2–10.4, §10.13): required names, forbidden
 * characters, maximum lengths (2050 with `element`), the shared DisplayName namespace (6240),
 * and references that must exist and be active (610).
 */
import { CLASSIFICATION } from "./company.ts";
import { DISPLAY_NAME_TYPES } from "./entities.ts";
import { fault, faults } from "./faults.ts";
import { get, type Obj, type RealmState, table } from "./state.ts";
import { type LengthUnit, textLength } from "./text-length.ts";

const FORBIDDEN = /[:\t\n\r]/;

/** Max length per dotted path, per entity (official reference values). */
const LENGTHS: Record<string, Record<string, number>> = {
  person: {
    DisplayName: 500,
    Title: 16,
    Suffix: 16,
    GivenName: 100,
    MiddleName: 100,
    FamilyName: 100,
    CompanyName: 100,
    PrintOnCheckName: 110,
    "PrimaryEmailAddr.Address": 100,
    "PrimaryPhone.FreeFormNumber": 30,
    "Mobile.FreeFormNumber": 30,
    "AlternatePhone.FreeFormNumber": 30,
    "Fax.FreeFormNumber": 30,
    "WebAddr.URI": 1000,
    Notes: 2000,
    ResaleNum: 16,
    AcctNum: 100,
  },
  Item: { Name: 100, Description: 4000, Sku: 100 },
  Account: { Name: 100, AcctNum: 20, Description: 100 },
  PaymentMethod: { Name: 31 },
};
const ADDRESS = {
  Line1: 500,
  Line2: 500,
  Line3: 500,
  Line4: 500,
  Line5: 500,
  City: 255,
  Country: 255,
  CountrySubDivisionCode: 255,
  PostalCode: 30,
};

function at(o: Obj, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split(".")) cur = (cur as Obj | undefined)?.[part];
  return cur;
}

/** 2050 for the first string over its maximum, measured in `unit` (text-length.ts). */
export function checkLengths(o: Obj, lengths: Record<string, number>, unit: LengthUnit, prefix = ""): void {
  for (const [path, max] of Object.entries(lengths)) {
    const v = at(o, path);
    if (typeof v !== "string") continue;
    const length = textLength(v, unit);
    if (length > max) throw faults.tooLong(prefix + path, max, length);
  }
}

function checkAddresses(o: Obj, unit: LengthUnit): void {
  for (const key of ["BillAddr", "ShipAddr"]) {
    const a = get.obj(o, key);
    if (a) checkLengths(a, ADDRESS, unit, `${key}.`);
  }
}

/** A reference that must point at an existing, active record of `type` (610 otherwise). */
export function activeRef(realm: RealmState, type: string, id: string | undefined, element: string): Obj {
  const rec = id === undefined ? undefined : table(realm, type)[id];
  if (!rec)
    throw faults.notFound(
      `Object Not Found : Something you're trying to use has been made inactive or does not exist. ${element}=${id ?? ""}`,
      element,
    );
  if (rec.data.Active === false) throw faults.inactiveRef(element);
  return rec.data;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function validatePerson(
  realm: RealmState,
  type: string,
  data: Obj,
  unit: LengthUnit,
  selfId?: string,
): void {
  const name = get.str(data, "DisplayName");
  if (!name || name.trim() === "") {
    throw fault(
      "6080",
      "No name provided",
      "Either Title, GivenName, MiddleName, FamilyName, DisplayName or Suffix must be provided.",
      "DisplayName",
    );
  }
  for (const field of [
    "DisplayName",
    "Title",
    "GivenName",
    "MiddleName",
    "FamilyName",
    "Suffix",
    "PrintOnCheckName",
  ]) {
    const v = get.str(data, field);
    if (v && FORBIDDEN.test(v)) throw faults.invalidName(field);
  }
  checkLengths(data, LENGTHS.person!, unit);
  checkAddresses(data, unit);
  const email = get.str(get.obj(data, "PrimaryEmailAddr"), "Address");
  if (email && !(email.includes("@") && email.includes("."))) {
    throw fault(
      "6000",
      "A business validation error has occurred while processing your request",
      "Business Validation Error: Invalid email address format.",
      "PrimaryEmailAddr",
    );
  }
  for (const t of DISPLAY_NAME_TYPES) {
    for (const rec of Object.values(table(realm, t))) {
      if (t === type && rec.id === selfId) continue;
      const other = get.str(rec.data, "DisplayName");
      if (other !== undefined && sameName(other, name)) throw faults.duplicateName(rec.id);
    }
  }
  if (type === "Customer") {
    const parent = get.ref(data, "ParentRef");
    if (parent !== undefined) {
      if (parent === selfId) throw faults.business("A customer can't be its own parent.", "ParentRef");
      activeRef(realm, "Customer", parent, "ParentRef");
    }
  }
}

function uniqueName(realm: RealmState, type: string, name: string, selfId?: string): void {
  for (const rec of Object.values(table(realm, type))) {
    if (rec.id !== selfId && sameName(get.str(rec.data, "Name") ?? "", name))
      throw faults.duplicateName(rec.id);
  }
}

const ITEM_TYPES = ["Service", "NonInventory", "Inventory", "Category", "Group", "Bundle"];

export function validateItem(realm: RealmState, data: Obj, unit: LengthUnit, selfId?: string): void {
  const name = get.str(data, "Name");
  if (!name) throw faults.required("Name");
  if (FORBIDDEN.test(name)) throw faults.invalidName("Name");
  checkLengths(data, LENGTHS.Item!, unit);
  const type = get.str(data, "Type");
  if (!type) throw faults.required("Type");
  if (!ITEM_TYPES.includes(type)) throw faults.invalidEnum("Type", type);
  if (type === "Group") throw faults.unsupported("Group items can't be created through the API.");
  if (type === "Service" || type === "Inventory") {
    const income = get.ref(data, "IncomeAccountRef");
    if (income === undefined) throw faults.required("IncomeAccountRef");
    activeRef(realm, "Account", income, "IncomeAccountRef");
  }
  const expense = get.ref(data, "ExpenseAccountRef");
  if (expense !== undefined) activeRef(realm, "Account", expense, "ExpenseAccountRef");
  uniqueName(realm, "Item", name, selfId);
}

export function validateAccount(realm: RealmState, data: Obj, unit: LengthUnit, selfId?: string): void {
  const name = get.str(data, "Name");
  if (!name) throw faults.required("Name");
  if (/[":]/.test(name)) {
    throw faults.business("Account name can't contain a double quote (\") or a colon (:).", "Name");
  }
  checkLengths(data, LENGTHS.Account!, unit);
  const acctNum = get.str(data, "AcctNum");
  if (acctNum?.includes(":")) throw faults.business("Account number can't contain a colon (:).", "AcctNum");
  const type = get.str(data, "AccountType");
  if (!type) throw faults.required("AccountType");
  if (!(type in CLASSIFICATION) && type !== "Non-Posting") throw faults.invalidEnum("AccountType", type);
  const parent = get.ref(data, "ParentRef");
  if (parent !== undefined) activeRef(realm, "Account", parent, "ParentRef");
  uniqueName(realm, "Account", name, selfId);
}

/** A Class or Department (location): a Name, unique in its list (like the other name lists). */
export function validateTrackingName(realm: RealmState, type: string, data: Obj, selfId?: string): void {
  const name = get.str(data, "Name");
  if (!name) throw faults.required("Name");
  uniqueName(realm, type, name, selfId);
  if (data.FullyQualifiedName === undefined) data.FullyQualifiedName = name;
}

export function validatePaymentMethod(realm: RealmState, data: Obj, unit: LengthUnit, selfId?: string): void {
  const name = get.str(data, "Name");
  if (!name) throw faults.required("Name");
  checkLengths(data, LENGTHS.PaymentMethod!, unit);
  uniqueName(realm, "PaymentMethod", name, selfId);
}
