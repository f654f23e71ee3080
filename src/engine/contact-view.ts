import { type ClioContactView, clioContactName, fromClioContact } from "../mapping/clio-contact.ts";
import type { ContactFields } from "../mapping/contact-fields.ts";
import type { MappingNote } from "../mapping/mapping-issue.ts";
import { fromQboCustomer, type QboCustomerView, toQboCustomerFields } from "../mapping/qbo-customer.ts";

/**
 * A Clio contact's synced fields as they look once written to QBO (cleaned for QBO's rules). The
 * merge compares both sides in this form, so a value QBO cannot hold as is (a `:` in a name, a
 * phone over 30 characters) is not mistaken for an edit made in QBO and written back to Clio.
 */
export function clioFieldsForQbo(contact: ClioContactView, notes: MappingNote[] = []): ContactFields {
  return fromQboCustomer(toQboCustomerFields(fromClioContact(contact), notes) as QboCustomerView);
}

export function contactLabel(contact: ClioContactView): string {
  return clioContactName(contact) || `Clio contact ${contact.id}`;
}

export function epochOf(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}
