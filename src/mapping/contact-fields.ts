/**
 * The synced part of a contact, in one neutral shape that both sides map to and from
 * (PRODUCT.md §1.1's table). Only these fields sync; the three-way merge compares them one by one.
 * An absent value is `null` (so "cleared" and "unchanged" can be told apart).
 */
export interface PostalAddress {
  line1: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface ContactFields {
  givenName: string | null;
  familyName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  homePhone: string | null;
  fax: string | null;
  /** Clio address named Work ↔ QBO ShipAddr. */
  shipAddress: PostalAddress | null;
  /** Clio address named Billing ↔ QBO BillAddr. */
  billAddress: PostalAddress | null;
}

export type ContactFieldName = keyof ContactFields;

export const CONTACT_FIELD_NAMES: readonly ContactFieldName[] = [
  "givenName",
  "familyName",
  "companyName",
  "email",
  "phone",
  "mobile",
  "homePhone",
  "fax",
  "shipAddress",
  "billAddress",
];

export function emptyContactFields(): ContactFields {
  return {
    givenName: null,
    familyName: null,
    companyName: null,
    email: null,
    phone: null,
    mobile: null,
    homePhone: null,
    fax: null,
    shipAddress: null,
    billAddress: null,
  };
}

/** Field equality as the merge sees it: strings trimmed; addresses field by field. */
export function sameFieldValue(
  a: ContactFields[ContactFieldName],
  b: ContactFields[ContactFieldName],
): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: ContactFields[ContactFieldName]): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  const parts = [value.line1, value.city, value.region, value.postalCode, value.country].map((p) =>
    (p ?? "").trim(),
  );
  return parts.every((p) => p === "") ? "" : JSON.stringify(parts);
}

/** Normalises blank strings and all-blank addresses to null. */
export function normaliseFields(fields: ContactFields): ContactFields {
  const out = { ...fields };
  for (const name of CONTACT_FIELD_NAMES) {
    const value = out[name];
    if (canonical(value) === "") (out as Record<string, unknown>)[name] = null;
    else if (typeof value === "string") (out as Record<string, unknown>)[name] = value.trim();
  }
  return out;
}
