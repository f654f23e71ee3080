import type { ClioContactView } from "./clio-contact.ts";
import type { ContactFieldName, ContactFields, PostalAddress } from "./contact-fields.ts";

/**
 * Builds the body of `PATCH /contacts/{id}` that writes the given fields back to Clio. Nested
 * collections are patched item by item (clio-api.md §5.1): an item with `id` updates that child,
 * one without creates a child, `{id, _destroy: true}` deletes it; children not named are kept.
 * Writes use `default_email` / `default_number` (reads say `primary`).
 */
export function toClioContactPatch(
  current: ClioContactView,
  fields: ContactFields,
  changed: ContactFieldName[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const emails: Record<string, unknown>[] = [];
  const phones: Record<string, unknown>[] = [];
  const addresses: Record<string, unknown>[] = [];

  for (const field of changed) {
    switch (field) {
      case "givenName":
        body.first_name = fields.givenName ?? "";
        break;
      case "familyName":
        body.last_name = fields.familyName ?? "";
        break;
      case "companyName":
        if (current.type === "Company" && fields.companyName) body.name = fields.companyName;
        break;
      case "email": {
        const existing = current.email_addresses?.find((e) => e.primary);
        emails.push(
          nested(
            existing?.id,
            fields.email,
            { address: fields.email, default_email: true },
            { name: "Work" },
          ),
        );
        break;
      }
      case "phone": {
        const existing = current.phone_numbers?.find((p) => p.primary);
        phones.push(
          nested(
            existing?.id,
            fields.phone,
            { number: fields.phone, default_number: true },
            { name: "Work" },
          ),
        );
        break;
      }
      case "mobile":
      case "homePhone":
      case "fax": {
        const name = field === "mobile" ? "Mobile" : field === "homePhone" ? "Home" : "Fax";
        const existing = current.phone_numbers?.find(
          (p) => (p.name ?? "").toLowerCase() === name.toLowerCase(),
        );
        phones.push(nested(existing?.id, fields[field], { number: fields[field] }, { name }));
        break;
      }
      case "shipAddress":
      case "billAddress": {
        const name = field === "shipAddress" ? "Work" : "Billing";
        const existing = current.addresses?.find((a) => (a.name ?? "").toLowerCase() === name.toLowerCase());
        const value = fields[field];
        addresses.push(nested(existing?.id, value, value ? toClioAddress(value) : {}, { name }));
        break;
      }
    }
  }
  if (emails.length) body.email_addresses = emails;
  if (phones.length) body.phone_numbers = phones;
  if (addresses.length) body.addresses = addresses;
  return body;
}

/** Update the existing child, create one, or destroy it when the value was cleared. */
function nested(
  id: number | string | undefined,
  value: unknown,
  values: Record<string, unknown>,
  createExtras: Record<string, unknown>,
): Record<string, unknown> {
  if (value === null) return id === undefined ? {} : { id, _destroy: true };
  return id === undefined ? { ...createExtras, ...values } : { id, ...values };
}

function toClioAddress(a: PostalAddress): Record<string, unknown> {
  return { street: a.line1, city: a.city, province: a.region, postal_code: a.postalCode, country: a.country };
}
