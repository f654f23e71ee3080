import type { ClioContactView } from "./clio-contact.ts";
import { clioContactName } from "./clio-contact.ts";
import { type ContactFields, normaliseFields, type PostalAddress } from "./contact-fields.ts";
import type { Mapped, MappingNote } from "./mapping-issue.ts";
import { qboLength } from "./qbo-text-length.ts";
import { cleanLine, cleanName, QBO_LIMITS } from "./qbo-text-rules.ts";

/** The QBO Customer fields the mappers read and write (qbo-api.md §10.2). */
export interface QboCustomerView {
  Id?: string;
  SyncToken?: string;
  DisplayName?: string;
  GivenName?: string;
  FamilyName?: string;
  CompanyName?: string;
  PrimaryEmailAddr?: { Address?: string };
  PrimaryPhone?: { FreeFormNumber?: string };
  Mobile?: { FreeFormNumber?: string };
  AlternatePhone?: { FreeFormNumber?: string };
  Fax?: { FreeFormNumber?: string };
  BillAddr?: QboAddress;
  ShipAddr?: QboAddress;
  Active?: boolean;
  MetaData?: { LastUpdatedTime?: string };
}

interface QboAddress {
  Id?: string;
  Line1?: string;
  City?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  Country?: string;
}

export function fromQboCustomer(customer: QboCustomerView): ContactFields {
  return normaliseFields({
    givenName: customer.GivenName ?? null,
    familyName: customer.FamilyName ?? null,
    companyName: customer.CompanyName ?? null,
    email: customer.PrimaryEmailAddr?.Address ?? null,
    phone: customer.PrimaryPhone?.FreeFormNumber ?? null,
    mobile: customer.Mobile?.FreeFormNumber ?? null,
    homePhone: customer.AlternatePhone?.FreeFormNumber ?? null,
    fax: customer.Fax?.FreeFormNumber ?? null,
    shipAddress: fromQboAddress(customer.ShipAddr),
    billAddress: fromQboAddress(customer.BillAddr),
  });
}

function fromQboAddress(a: QboAddress | undefined): PostalAddress | null {
  if (!a) return null;
  return {
    line1: a.Line1 ?? "",
    city: a.City ?? "",
    region: a.CountrySubDivisionCode ?? "",
    postalCode: a.PostalCode ?? "",
    country: a.Country ?? "",
  };
}

/**
 * Neutral fields → the mapped part of a QBO Customer body, cleaned for QBO's rules. A cleared
 * value is sent as an empty value so a sparse update clears it, and nothing outside the mapping
 * is ever sent, so the rest of the QBO record is left alone.
 */
export function toQboCustomerFields(fields: ContactFields, notes: MappingNote[]): Record<string, unknown> {
  const text = (value: string | null, field: string, max: number) =>
    value === null ? "" : cleanName(value, field, notes, max);
  const phone = (value: string | null, field: string) => ({
    FreeFormNumber: value === null ? "" : cleanLine(value, field, notes, QBO_LIMITS.Phone),
  });
  return {
    GivenName: text(fields.givenName, "GivenName", QBO_LIMITS.GivenName),
    FamilyName: text(fields.familyName, "FamilyName", QBO_LIMITS.FamilyName),
    CompanyName: text(fields.companyName, "CompanyName", QBO_LIMITS.CompanyName),
    PrimaryEmailAddr: { Address: qboEmail(fields.email, notes) },
    PrimaryPhone: phone(fields.phone, "PrimaryPhone"),
    Mobile: phone(fields.mobile, "Mobile"),
    AlternatePhone: phone(fields.homePhone, "AlternatePhone"),
    Fax: phone(fields.fax, "Fax"),
    ShipAddr: toQboAddress(fields.shipAddress, "ShipAddr", notes),
    BillAddr: toQboAddress(fields.billAddress, "BillAddr", notes),
  };
}

/** QBO refuses an address without `@` and a dot in the domain (qbo-api.md §10.1). */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The primary email, or "" when QBO could not hold it: one QBO refuses, or one longer than its
 * 100 characters (a shortened address would be someone else's, or no address at all). Either
 * case is left out with a note, and the rest of the customer syncs.
 */
function qboEmail(email: string | null, notes: MappingNote[]): string {
  if (email === null) return "";
  const address = cleanLine(email, "PrimaryEmailAddr", notes, Number.POSITIVE_INFINITY);
  if (!EMAIL.test(address)) {
    notes.push({
      severity: "cleaned",
      code: "email_invalid",
      field: "PrimaryEmailAddr",
      message: `Left out the primary email "${email}": QuickBooks accepts only addresses like name@example.com`,
    });
    return "";
  }
  if (qboLength(address) > QBO_LIMITS.Email) {
    notes.push({
      severity: "cleaned",
      code: "email_too_long",
      field: "PrimaryEmailAddr",
      message: `Left out the primary email: it has ${qboLength(address)} characters and QuickBooks holds ${QBO_LIMITS.Email}`,
    });
    return "";
  }
  return address;
}

function toQboAddress(a: PostalAddress | null, field: string, notes: MappingNote[]): QboAddress {
  if (a === null) return { Line1: "", City: "", CountrySubDivisionCode: "", PostalCode: "", Country: "" };
  return {
    Line1: cleanLine(a.line1, `${field}.Line1`, notes, QBO_LIMITS.AddressLine),
    City: cleanLine(a.city, `${field}.City`, notes, QBO_LIMITS.City),
    CountrySubDivisionCode: cleanLine(a.region, `${field}.CountrySubDivisionCode`, notes, QBO_LIMITS.Region),
    PostalCode: cleanLine(a.postalCode, `${field}.PostalCode`, notes, QBO_LIMITS.PostalCode),
    Country: cleanLine(a.country, `${field}.Country`, notes, QBO_LIMITS.Country),
  };
}

/**
 * `Jane Doe (Clio 9001)`: the client's name, cleaned and shortened so that the " (Clio id)"
 * suffix always survives within QBO's DisplayName limit.
 */
export function qboDisplayName(
  contact: ClioContactView,
  notes: MappingNote[],
  maxLength: number = QBO_LIMITS.DisplayName,
): string {
  const suffix = ` (Clio ${contact.id})`;
  const room = Math.max(1, maxLength - qboLength(suffix));
  const name = cleanName(clioContactName(contact), "DisplayName", notes, room);
  if (name) return `${name}${suffix}`;
  notes.push({
    severity: "cleaned",
    code: "name_missing",
    field: "DisplayName",
    message: "The Clio contact has no name QuickBooks can hold; it is named 'Unnamed client'",
  });
  return `Unnamed client${suffix}`;
}

/** The body of a new QBO Customer for a Clio contact. */
export function toNewQboCustomer(
  contact: ClioContactView,
  fields: ContactFields,
  displayNameMax?: number,
): Mapped<Record<string, unknown>> {
  const notes: MappingNote[] = [];
  const body: Record<string, unknown> = { DisplayName: qboDisplayName(contact, notes, displayNameMax) };
  // Create bodies omit empty values rather than sending blanks.
  for (const [key, value] of Object.entries(toQboCustomerFields(fields, notes))) {
    if (typeof value === "string" ? value !== "" : Object.values(value as object).some((v) => v !== ""))
      body[key] = value;
  }
  return { value: body, notes };
}
