import type { ClioContact } from "../clio/schemas/index.ts";
import { type ContactFields, normaliseFields, type PostalAddress } from "./contact-fields.ts";

/** A Clio contact as the mappers read it: the type the Clio schema parses (clio-api.md §5.1). */
export type ClioContactView = ClioContact;

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
