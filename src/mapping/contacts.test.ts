import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type ClioContactView, fromClioContact } from "./clio-contact.ts";
import { toClioContactPatch } from "./clio-contact-patch.ts";
import {
  CONTACT_FIELD_NAMES,
  type ContactFields,
  emptyContactFields,
  sameFieldValue,
} from "./contact-fields.ts";
import { mergeContact } from "./contact-merge.ts";
import { CustomerMatcher } from "./customer-match.ts";
import type { MappingNote } from "./mapping-issue.ts";
import { fromQboCustomer, qboDisplayName, toNewQboCustomer, toQboCustomerFields } from "./qbo-customer.ts";

const jane: ClioContactView = {
  id: 9001,
  type: "Person",
  name: "Jane Doe",
  first_name: "Jane",
  last_name: "Doe",
  email_addresses: [
    { id: 1, address: "other@example.test", name: "Home", primary: false },
    { id: 2, address: "jane@example.test", name: "Work", primary: true },
  ],
  phone_numbers: [
    { id: 3, number: "555-0100", name: "Work", primary: true },
    { id: 4, number: "555-0101", name: "Mobile", primary: false },
    { id: 5, number: "555-0102", name: "Home", primary: false },
    { id: 6, number: "555-0103", name: "Fax", primary: false },
  ],
  addresses: [
    {
      id: 7,
      name: "Work",
      street: "1 Office Rd",
      city: "Springfield",
      province: "IL",
      postal_code: "62701",
      country: "US",
    },
    {
      id: 8,
      name: "Billing",
      street: "PO Box 9",
      city: "Springfield",
      province: "IL",
      postal_code: "62702",
      country: "US",
    },
  ],
};

describe("contact field mapping (PRODUCT.md §1.1 table)", () => {
  it("maps every row of the table from Clio", () => {
    assert.deepEqual(fromClioContact(jane), {
      givenName: "Jane",
      familyName: "Doe",
      companyName: null,
      email: "jane@example.test",
      phone: "555-0100",
      mobile: "555-0101",
      homePhone: "555-0102",
      fax: "555-0103",
      shipAddress: {
        line1: "1 Office Rd",
        city: "Springfield",
        region: "IL",
        postalCode: "62701",
        country: "US",
      },
      billAddress: {
        line1: "PO Box 9",
        city: "Springfield",
        region: "IL",
        postalCode: "62702",
        country: "US",
      },
    });
  });

  it("syncs only the primary email: none when no email is primary", () => {
    const noPrimary = {
      ...jane,
      email_addresses: [{ id: 1, address: "a@b.test", name: "Work", primary: false }],
    };
    assert.equal(fromClioContact(noPrimary).email, null);
  });

  it("maps a company by its name and round-trips through a QBO customer", () => {
    const acme: ClioContactView = { id: 12, type: "Company", name: "Acme & Sons", email_addresses: [] };
    const fields = fromClioContact(acme);
    assert.equal(fields.companyName, "Acme & Sons");
    const notes: MappingNote[] = [];
    const qbo = toQboCustomerFields(fromClioContact(jane), notes);
    assert.deepEqual(fromQboCustomer(qbo), fromClioContact(jane));
    assert.deepEqual(notes, []);
  });

  it("names new customers 'Name (Clio id)' and cleans what QBO forbids, recording each cleaning", () => {
    const notes: MappingNote[] = [];
    const odd: ClioContactView = { id: 77, type: "Company", name: "Smith: Jones\tPartners\nLLP" };
    assert.equal(qboDisplayName(odd, notes), "Smith Jones Partners LLP (Clio 77)");
    assert.equal(notes[0]?.code, "name_characters");
    const long: ClioContactView = { id: 123456, type: "Company", name: "Ä".repeat(300) };
    const longNotes: MappingNote[] = [];
    const name = qboDisplayName(long, longNotes);
    assert.equal([...name].length, 100);
    assert.ok(name.endsWith(" (Clio 123456)"), "the id suffix survives truncation");
    assert.equal(longNotes[0]?.code, "truncated");
  });

  it("leaves out an email QBO would refuse, and says so", () => {
    const notes: MappingNote[] = [];
    const fields = { ...fromClioContact(jane), email: "jane at example" };
    assert.deepEqual(toQboCustomerFields(fields, notes).PrimaryEmailAddr, { Address: "" });
    assert.equal(notes[0]?.code, "email_invalid");
  });

  it("leaves empty values out of a new customer", () => {
    const bare: ClioContactView = { id: 5, type: "Person", first_name: "Solo", last_name: "" };
    const { value } = toNewQboCustomer(bare, fromClioContact(bare));
    assert.deepEqual(value, { DisplayName: "Solo (Clio 5)", GivenName: "Solo" });
  });
});

describe("three-way contact merge", () => {
  const base = fromClioContact(jane);
  const at = { clioUpdatedAt: 1000, qboUpdatedAt: 2000 };

  it("sends a one-sided change to the other side, including a clear", () => {
    const clio = { ...base, email: "new@example.test", fax: null };
    const r = mergeContact({ base, clio, qbo: base, policy: "latest-wins", ...at });
    assert.deepEqual(r.toQbo, ["email", "fax"]);
    assert.deepEqual(r.toClio, []);
    const r2 = mergeContact({
      base,
      clio: base,
      qbo: { ...base, mobile: null },
      policy: "latest-wins",
      ...at,
    });
    assert.deepEqual(r2.toClio, ["mobile"]);
    assert.equal(r2.merged.mobile, null);
  });

  it("settles a conflict by policy and reports it", () => {
    const clio = { ...base, phone: "111" };
    const qbo = { ...base, phone: "222" };
    const latest = mergeContact({ base, clio, qbo, policy: "latest-wins", ...at });
    assert.deepEqual(
      latest.conflicts.map((c) => [c.field, c.winner]),
      [["phone", "qbo"]],
    );
    assert.equal(latest.merged.phone, "222");
    assert.deepEqual(latest.toClio, ["phone"]);
    const clioWins = mergeContact({ base, clio, qbo, policy: "clio-wins", ...at });
    assert.equal(clioWins.merged.phone, "111");
    assert.deepEqual(clioWins.toQbo, ["phone"]);
    const tie = mergeContact({ base, clio, qbo, policy: "latest-wins", clioUpdatedAt: 5, qboUpdatedAt: 5 });
    assert.equal(tie.conflicts[0]?.winner, "clio");
  });

  it("treats the same edit on both sides as agreement", () => {
    const both = { ...base, email: "same@example.test" };
    const r = mergeContact({ base, clio: both, qbo: both, policy: "latest-wins", ...at });
    assert.deepEqual([r.toQbo, r.toClio, r.conflicts], [[], [], []]);
  });

  it("property: after applying the merge both sides equal the merged values", () => {
    const value = fc.option(fc.constantFrom("a", "b", "c"), { nil: null });
    const side = fc.record({ email: value, phone: value, mobile: value });
    fc.assert(
      fc.property(
        side,
        side,
        side,
        fc.constantFrom("latest-wins", "clio-wins", "qbo-wins" as const),
        (b, c, q, policy) => {
          const mk = (p: Partial<ContactFields>) => ({ ...emptyContactFields(), ...p });
          const r = mergeContact({
            base: mk(b),
            clio: mk(c),
            qbo: mk(q),
            policy,
            clioUpdatedAt: 1,
            qboUpdatedAt: 2,
          });
          const newClio = { ...mk(c) } as Record<string, unknown>;
          const newQbo = { ...mk(q) } as Record<string, unknown>;
          for (const f of r.toClio) newClio[f] = r.merged[f];
          for (const f of r.toQbo) newQbo[f] = r.merged[f];
          for (const f of CONTACT_FIELD_NAMES) {
            assert.ok(sameFieldValue(newClio[f] as never, r.merged[f]), `clio ${f}`);
            assert.ok(sameFieldValue(newQbo[f] as never, r.merged[f]), `qbo ${f}`);
          }
        },
      ),
    );
  });
});

describe("Clio contact patch", () => {
  it("updates, creates and destroys nested children and uses the write-side names", () => {
    const fields = { ...fromClioContact(jane), email: "new@example.test", mobile: null, fax: "999" };
    const patch = toClioContactPatch(
      { ...jane, phone_numbers: jane.phone_numbers?.filter((p) => p.name !== "Fax") },
      fields,
      ["email", "mobile", "fax", "familyName"],
    );
    assert.deepEqual(patch, {
      last_name: "Doe",
      email_addresses: [{ id: 2, address: "new@example.test", default_email: true }],
      phone_numbers: [
        { id: 4, _destroy: true },
        { name: "Fax", number: "999" },
      ],
    });
  });
});

describe("first-sync matching", () => {
  const candidate = (qboId: string, p: Partial<ContactFields>) => ({
    qboId,
    displayName: qboId,
    fields: { ...emptyContactFields(), ...p },
  });
  const matcher = new CustomerMatcher([
    candidate("58", { givenName: "Jane", familyName: "Doe", email: "JANE@example.test " }),
    candidate("60", { companyName: "Acme LLC", email: "ap@acme.test" }),
    candidate("61", { companyName: "Acme LLC", email: "ap@acme.test" }),
    candidate("70", { givenName: "Bob", familyName: "Ray", email: "bob@old.test" }),
  ]);

  it("links exactly one exact match (trimmed, case-insensitive)", () => {
    assert.deepEqual(matcher.match(fromClioContact(jane), false), { kind: "exact", qboId: "58" });
  });

  it("reports several exact matches as ambiguous instead of guessing", () => {
    const acme = { ...emptyContactFields(), companyName: "acme llc", email: "ap@acme.test" };
    assert.deepEqual(matcher.match(acme, true), { kind: "ambiguous", qboIds: ["60", "61"] });
  });

  it("proposes near matches with a reason, and finds nothing for strangers", () => {
    const bob = { ...emptyContactFields(), givenName: "Bob", familyName: "Ray", email: "bob@new.test" };
    const near = matcher.match(bob, false);
    assert.equal(near.kind, "near");
    assert.match(near.kind === "near" ? near.reason : "", /same name/);
    assert.deepEqual(matcher.match({ ...emptyContactFields(), givenName: "Zed", email: "z@z.test" }, false), {
      kind: "none",
    });
  });
});
