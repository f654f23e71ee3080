import { invalid } from "../http.ts";
import type { AddressRec, ContactRec, EmailRec, PhoneRec, Stamp } from "../records.ts";
import type { ClioState } from "../state.ts";

/**
 * Contact writes (clio-api.md §5.1): writes name the primary child `default_email` /
 * `default_number`; reads show `primary`. Nested arrays are merged item by item: `{id,…}` updates,
 * no id creates, `{id,_destroy:true}` deletes, omitted children are kept.
 */
type Input = Record<string, unknown>;

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

export function createContact(state: ClioState, data: Input): ContactRec {
  const type = data.type;
  if (type !== "Person" && type !== "Company") throw invalid("Type must be Person or Company");
  const names = resolveNames(type, data, undefined);
  const id = state.allocateId();
  const contact = state.insert("contacts", {
    id,
    type,
    ...names,
    prefix: str(data.prefix),
    title: str(data.title),
    company_id: companyId(state, data.company),
    date_of_birth: str(data.date_of_birth),
    sales_tax_number: str(data.sales_tax_number),
    ledes_client_id: str(data.ledes_client_id),
    clio_connect_email: str(data.clio_connect_email),
    email_addresses: [],
    phone_numbers: [],
    addresses: [],
  });
  try {
    applyNested(state, contact, data);
  } catch (e) {
    state.remove("contacts", contact.id);
    throw e;
  }
  return contact;
}

export function updateContact(state: ClioState, contact: ContactRec, data: Input): ContactRec {
  const before = structuredClone(contact);
  try {
    return applyUpdate(state, contact, data, before);
  } catch (e) {
    Object.assign(contact, before);
    throw e;
  }
}

function applyUpdate(state: ClioState, contact: ContactRec, data: Input, before: ContactRec): ContactRec {
  if (data.type !== undefined && data.type !== contact.type) throw invalid("Type cannot be changed");
  const names = resolveNames(contact.type, { ...pickNames(contact), ...data }, data);
  Object.assign(contact, names);
  for (const k of [
    "prefix",
    "title",
    "date_of_birth",
    "sales_tax_number",
    "ledes_client_id",
    "clio_connect_email",
  ] as const) {
    if (k in data) contact[k] = str(data[k]);
  }
  if ("company" in data) contact.company_id = companyId(state, data.company);
  applyNested(state, contact, data);
  return state.touch("contacts", contact.id, before);
}

function pickNames(c: ContactRec): Input {
  return { first_name: c.first_name, middle_name: c.middle_name, last_name: c.last_name, name: c.name };
}

function resolveNames(type: "Person" | "Company", merged: Input, patch: Input | undefined) {
  if (type === "Company") {
    const name = str(merged.name)?.trim();
    if (!name) throw invalid("Name can't be blank");
    return { name, first_name: null, middle_name: null, last_name: null };
  }
  let first = str(merged.first_name);
  let middle = str(merged.middle_name);
  let last = str(merged.last_name);
  const nameOnly = patch
    ? "name" in patch && !("first_name" in patch) && !("last_name" in patch)
    : !first && !last;
  if (nameOnly && merged.name) {
    // Clio splits a bare `name` into first/last; it fails when nothing is left to split.
    const parts = String(merged.name).trim().split(/\s+/).filter(Boolean);
    first = parts.length > 1 ? parts.slice(0, -1).join(" ") : null;
    last = parts.length > 0 ? parts[parts.length - 1]! : null;
    middle = null;
  }
  if (!first?.trim() && !last?.trim())
    throw invalid("At least one of first name or last name must be provided");
  const name = [first, middle, last].filter((p) => p?.trim()).join(" ");
  return { name, first_name: first, middle_name: middle, last_name: last };
}

function companyId(state: ClioState, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const id = Number((v as { id?: unknown }).id);
  const c = state.get("contacts", id);
  if (c?.type !== "Company") throw invalid("Company must be an existing Company contact");
  return id;
}

const EMAIL_NAMES = ["Work", "Home", "Other"];
const PHONE_NAMES = ["Work", "Home", "Mobile", "Fax", "Pager", "Skype", "Other"];
const ADDRESS_NAMES = ["Work", "Home", "Billing", "Other"];
/** Since 4.0.11 nested email and phone arrays hold at most 200 items (§1.2). */
export const NESTED_CAP = 200;

function applyNested(state: ClioState, contact: ContactRec, data: Input): void {
  if (data.email_addresses !== undefined) {
    mergeChildren<EmailRec>(
      state,
      contact.email_addresses,
      data.email_addresses,
      "default_email",
      (item, cur) => ({
        address: requireText(item.address ?? cur?.address, "Email address"),
        name: enumName(item.name ?? cur?.name, EMAIL_NAMES, true),
      }),
    );
  }
  if (data.phone_numbers !== undefined) {
    mergeChildren<PhoneRec>(
      state,
      contact.phone_numbers,
      data.phone_numbers,
      "default_number",
      (item, cur) => ({
        number: requireText(item.number ?? cur?.number, "Phone number"),
        name: enumName(item.name ?? cur?.name, PHONE_NAMES, false),
      }),
    );
  }
  if (data.addresses !== undefined) {
    mergeChildren<AddressRec>(state, contact.addresses, data.addresses, "primary", (item, cur) => ({
      street: String(item.street ?? cur?.street ?? ""),
      city: String(item.city ?? cur?.city ?? ""),
      province: String(item.province ?? cur?.province ?? ""),
      postal_code: String(item.postal_code ?? cur?.postal_code ?? ""),
      country: String(item.country ?? cur?.country ?? ""),
      name: enumName(item.name ?? cur?.name, ADDRESS_NAMES, false),
    }));
  }
}

type Child = Stamp & { primary: boolean };

function mergeChildren<T extends Child>(
  state: ClioState,
  list: T[],
  input: unknown,
  defaultKey: string,
  build: (item: Input, current: T | undefined) => Omit<T, keyof Stamp | "primary">,
): void {
  if (!Array.isArray(input)) throw invalid("Nested collections must be arrays");
  const now = state.now();
  for (const raw of input as Input[]) {
    const id = raw.id === undefined || raw.id === null ? undefined : Number(raw.id);
    const index = id === undefined ? -1 : list.findIndex((x) => x.id === id);
    if (id !== undefined && index < 0) throw invalid(`Nested record ${id} does not belong to this contact`);
    if (raw._destroy === true || raw._destroy === "true" || raw._destroy === 1) {
      if (index >= 0) list.splice(index, 1);
      continue;
    }
    const current = index >= 0 ? list[index] : undefined;
    const primary = raw[defaultKey] === undefined ? (current?.primary ?? false) : Boolean(raw[defaultKey]);
    if (primary) for (const other of list) other.primary = false;
    if (current) {
      Object.assign(current, build(raw, current), {
        primary,
        updated_at: now,
        etag: state.newEtag("child", current.id),
      });
    } else {
      const childId = state.allocateId();
      const child = {
        ...build(raw, undefined),
        primary,
        id: childId,
        etag: state.newEtag("child", childId),
        created_at: now,
        updated_at: now,
      } as T;
      list.push(child);
    }
  }
  if (list.length > NESTED_CAP && defaultKey !== "primary")
    throw invalid(`At most ${NESTED_CAP} items are allowed`);
}

function requireText(v: unknown, what: string): string {
  const s = v === undefined || v === null ? "" : String(v);
  if (!s.trim()) throw invalid(`${what} can't be blank`);
  return s;
}

/** Email names are an open string on read ("commonly" the UI choices); others are enums on write. */
function enumName(v: unknown, allowed: string[], open: boolean): string {
  if (v === undefined || v === null || v === "") return "Other";
  const s = String(v);
  if (!open && !allowed.includes(s)) throw invalid(`Name must be one of ${allowed.join(", ")}`);
  return s;
}

export function primaryOf<T extends { primary: boolean }>(list: T[]): T | undefined {
  return list.find((x) => x.primary);
}

export function secondaryOf<T extends { primary: boolean }>(list: T[]): T | undefined {
  return list.find((x) => !x.primary);
}
