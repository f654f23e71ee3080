import { type ContactFields, normaliseFields, type PostalAddress } from "./contact-fields.ts";

/** The fields of a Clio contact the mappers read (a subset of clio-api.md §5.1, as read). */
export interface ClioContactView {
  id: number | string;
  type: "Person" | "Company";
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email_addresses?: Array<{
    id?: number | string;
    address?: string | null;
    name?: string | null;
    primary?: boolean;
  }>;
  phone_numbers?: Array<{
    id?: number | string;
    number?: string | null;
    name?: string | null;
    primary?: boolean;
  }>;
  addresses?: Array<{
    id?: number | string;
    name?: string | null;
    street?: string | null;
    city?: string | null;
    province?: string | null;
    postal_code?: string | null;
    country?: string | null;
    primary?: boolean;
  }>;
  updated_at?: string;
}

const named = <T extends { name?: string | null }>(items: T[] | undefined, name: string): T | undefined =>
  items?.find((i) => (i.name ?? "").toLowerCase() === name.toLowerCase());

/**
 * Clio → neutral fields. The primary email is the one flagged `primary` (only that one syncs);
 * a contact whose emails have no primary syncs no email. The primary phone likewise; Mobile,
 * Home and Fax are the first phone of that name.
 */
export function fromClioContact(contact: ClioContactView): ContactFields {
  const isPerson = contact.type === "Person";
  const email = contact.email_addresses?.find((e) => e.primary)?.address ?? null;
  const phone = contact.phone_numbers?.find((p) => p.primary)?.number ?? null;
  return normaliseFields({
    givenName: isPerson ? (contact.first_name ?? null) : null,
    familyName: isPerson ? (contact.last_name ?? null) : null,
    companyName: isPerson ? null : (contact.name ?? null),
    email,
    phone,
    mobile: named(contact.phone_numbers, "Mobile")?.number ?? null,
    homePhone: named(contact.phone_numbers, "Home")?.number ?? null,
    fax: named(contact.phone_numbers, "Fax")?.number ?? null,
    shipAddress: toAddress(named(contact.addresses, "Work")),
    billAddress: toAddress(named(contact.addresses, "Billing")),
  });
}

function toAddress(a: NonNullable<ClioContactView["addresses"]>[number] | undefined): PostalAddress | null {
  if (!a) return null;
  return {
    line1: a.street ?? "",
    city: a.city ?? "",
    region: a.province ?? "",
    postalCode: a.postal_code ?? "",
    country: a.country ?? "",
  };
}

/** The client's display name as lexbridge names it in QBO (before cleaning). */
export function clioContactName(contact: ClioContactView): string {
  if (contact.type === "Company") return (contact.name ?? "").trim();
  const parts = [contact.first_name, contact.last_name].map((p) => (p ?? "").trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : (contact.name ?? "").trim();
}
