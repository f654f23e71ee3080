/**
 * Property: whatever text Clio holds, what lexbridge maps for QuickBooks keeps QBO's text rules —
 * within every limit counted in UTF-16 units, no lone surrogate, no grapheme cluster cut in two,
 * no control character in names and one-line values — and every change made to fit is noted.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  CONTROL_ATOMS,
  graphemesOf,
  hostileText,
  longHostileText,
  PRINTABLE_ATOMS,
} from "../testing/hostile-text.ts";
import { qboTextProblems } from "../testing/qbo-text-check.ts";
import { toQboCreditMemo } from "./allocation-payment.ts";
import { toQboInvoice } from "./bill-invoice.ts";
import type { ClioBillView, ClioLineItemView } from "./clio-billing-views.ts";
import { type ClioContactView, clioContactName, fromClioContact } from "./clio-contact.ts";
import type { Mapped } from "./mapping-issue.ts";
import { toNewQboCustomer, toQboCustomerFields } from "./qbo-customer.ts";
import { toTrustJournalEntry } from "./trust-journal.ts";

const address = (name: string) =>
  fc.record({
    name: fc.constant(name),
    street: longHostileText(400),
    city: hostileText(200),
    province: hostileText(200),
    postal_code: hostileText(30),
    country: hostileText(200),
  });

const email = fc.oneof(
  hostileText(20).map((s) => `${s}@example.test`),
  fc.integer({ min: 1, max: 150 }).map((n) => `${"a".repeat(n)}@example.test`),
);

const contact: fc.Arbitrary<ClioContactView> = fc
  .record({
    id: fc.integer({ min: 1, max: 2 ** 31 }),
    type: fc.constantFrom("Person" as const, "Company" as const),
    name: longHostileText(150),
    first_name: longHostileText(80),
    last_name: longHostileText(80),
    email,
    phone: hostileText(40),
    mobile: hostileText(40),
    work: address("Work"),
    billing: address("Billing"),
  })
  .map((c) => ({
    id: c.id,
    type: c.type,
    name: c.name,
    first_name: c.first_name,
    last_name: c.last_name,
    email_addresses: [{ id: 1, address: c.email, name: "Work", primary: true }],
    phone_numbers: [
      { id: 2, number: c.phone, name: "Work", primary: true },
      { id: 3, number: c.mobile, name: "Mobile", primary: false },
    ],
    addresses: [c.work, c.billing],
  }));

// Totals in whole cents; a third of lines are zero, so bills with only zero lines are common.
const line = fc.record({
  id: fc.integer({ min: 1, max: 10_000 }),
  kind: fc.constantFrom("Service", "Expense"),
  description: longHostileText(2500),
  cents: fc.constantFrom(0, 1000, 2550),
});

const bill = fc.record({
  number: fc.oneof(fc.integer({ min: 1, max: 99_999 }).map(String), hostileText(14)),
  subject: fc.option(longHostileText(3000)),
  matter: hostileText(30),
  lines: fc.uniqueArray(line, { maxLength: 3, selector: (l) => l.id }),
});

function toBill(b: typeof bill extends fc.Arbitrary<infer T> ? T : never) {
  const lines: ClioLineItemView[] = b.lines.map((l) => ({
    id: l.id,
    kind: l.kind,
    description: l.description,
    quantity: 1,
    price: l.cents / 100,
    total: l.cents / 100,
  }));
  const view: ClioBillView = {
    id: 1,
    number: b.number,
    state: "awaiting_payment",
    issued_at: "2026-03-01",
    total: b.lines.reduce((sum, l) => sum + l.cents, 0) / 100,
    subject: b.subject,
    matters: [{ id: 1, display_number: b.matter }],
  };
  return { view, lines };
}

/**
 * A failing case is reported as found: shrinking texts of thousands of characters takes minutes,
 * and the problem list already names the field and the rule broken.
 */
const RUN = { endOnFailure: true };

const items = { services: "1", expenses: "2", tax: "3", interest: "4", adjustment: "5" };

/** A mapping either gives a body that keeps QBO's rules or refuses with a coded error. */
function assertSyncedOrCoded(mapped: Mapped<unknown>, body: unknown): void {
  if (mapped.value === undefined) {
    assert.ok(
      mapped.notes.some((n) => n.severity === "error" && n.code),
      "a refused record has a coded error",
    );
    return;
  }
  assert.deepEqual(qboTextProblems(body), []);
}

describe("hostile Clio text mapped for QuickBooks", () => {
  it("uses atoms that are one grapheme each (the check of broken clusters relies on it)", () => {
    for (const atom of PRINTABLE_ATOMS) assert.equal(graphemesOf(atom).length, 1, JSON.stringify(atom));
    assert.ok(CONTROL_ATOMS.every((a) => !PRINTABLE_ATOMS.includes(a as never)));
  });

  it("the check itself finds what QBO would refuse", () => {
    assert.deepEqual(qboTextProblems({ CompanyName: "ok", Description: "a\nb" }), []);
    const bad = qboTextProblems({
      CompanyName: "😀".repeat(51),
      GivenName: "a:b",
      FamilyName: "x\u2028y",
      Line1: "\ud800",
      Description: "👨‍👩‍",
      Memo: "unknown",
    });
    for (const field of ["CompanyName", "GivenName", "FamilyName", "Line1", "Description", "Memo"])
      assert.ok(
        bad.some((p) => p.startsWith(`body.${field}:`)),
        `${field} is found wanting: ${bad.join("; ")}`,
      );
  });

  it("customers: new and updated bodies keep QBO's text rules, and each cleaning is noted", () => {
    fc.assert(
      fc.property(contact, (c) => {
        const fields = fromClioContact(c);
        const created = toNewQboCustomer(c, fields);
        assertSyncedOrCoded(created, created.value);
        const notes: typeof created.notes = [];
        const update = toQboCustomerFields(fields, notes);
        assert.deepEqual(qboTextProblems(update), []);

        const body = created.value!;
        const noted = new Set(created.notes.map((n) => n.field));
        if (body.DisplayName !== `${clioContactName(c)} (Clio ${c.id})`)
          assert.ok(noted.has("DisplayName"), "DisplayName cleaning noted");
        const sources: Array<[string, string | null]> = [
          ["GivenName", fields.givenName],
          ["FamilyName", fields.familyName],
          ["CompanyName", fields.companyName],
        ];
        for (const [key, source] of sources) {
          if (source !== null && body[key] !== source) assert.ok(noted.has(key), `${key} cleaning noted`);
        }
        const ship = body.ShipAddr as { Line1?: string } | undefined;
        if (fields.shipAddress && (ship?.Line1 ?? "") !== fields.shipAddress.line1.trim())
          assert.ok(noted.has("ShipAddr.Line1"), "address line cleaning noted");
      }),
      RUN,
    );
  });

  it("invoices: lines, a zero bill's subject line, DocNumber and the private note keep QBO's rules", () => {
    fc.assert(
      fc.property(bill, (b) => {
        const { view, lines } = toBill(b);
        const mapped = toQboInvoice(view, lines, { customerId: "58", items });
        assertSyncedOrCoded(mapped, mapped.value);
        const body = mapped.value;
        if (!body) return;
        const only = (body.Line as Array<{ Description?: string }>)[0]!;
        if (b.lines.every((l) => l.cents === 0) && b.subject !== null) {
          const expected = b.subject.trim() || "Legal services";
          if (only.Description !== expected) assert.ok(mapped.notes.some((n) => n.field === "subject"));
        }
      }),
      RUN,
    );
  });

  it("credit memos and trust journal entries keep QBO's rules", () => {
    fc.assert(
      fc.property(longHostileText(2500), hostileText(30), (description, matter) => {
        const memo = toQboCreditMemo(
          { id: 9, date: "2026-03-02", amount: 10, description },
          [{ id: 1, date: "2026-03-02", amount: 10, bill: { id: 5 } }],
          { customerId: "58", invoiceIdByBill: new Map([["5", "100"]]), creditItemId: "6" },
        );
        assertSyncedOrCoded(memo, memo.value?.creditMemo);
        const entry = toTrustJournalEntry(
          {
            kind: "single",
            tx: {
              id: 4,
              date: "2026-03-03",
              funds_in: 100,
              description,
              client: { id: 7 },
              matter: { id: 3, display_number: matter },
            },
          },
          { bankAccountId: "B", liabilityAccountId: "L", customerIdByClient: new Map([["7", "70"]]) },
        );
        assertSyncedOrCoded(entry, entry.value);
      }),
      RUN,
    );
  });
});
