/** Examples of each mapper's text cleaning (the property in qbo-text-hostile.test.ts covers the rest). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toQboCreditMemo } from "./allocation-payment.ts";
import { toQboInvoice } from "./bill-invoice.ts";
import type { ClioBillView } from "./clio-billing-views.ts";
import { fromClioContact } from "./clio-contact.ts";
import type { MappingNote } from "./mapping-issue.ts";
import { toNewQboCustomer, toQboCustomerFields } from "./qbo-customer.ts";
import { toTrustJournalEntry } from "./trust-journal.ts";

const items = { services: "1", expenses: "2", tax: "3", interest: "4", adjustment: "5" };
const zeroBill: ClioBillView = {
  id: 7,
  number: "INV-7",
  state: "awaiting_payment",
  issued_at: "2026-03-01",
  total: 0,
};

describe("text cleaning in each mapper", () => {
  it("shortens a zero bill's 5,000-character subject, its only line, like any description", () => {
    const { value, notes } = toQboInvoice({ ...zeroBill, subject: "S".repeat(5000) }, [], {
      customerId: "58",
      items,
    });
    const lines = value!.Line as Array<{ Description: string; Amount: number }>;
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.Amount, 0);
    assert.equal(lines[0]!.Description, "S".repeat(4000));
    assert.deepEqual(
      notes.map((n) => [n.code, n.field]),
      [["truncated", "subject"]],
    );
  });

  it("names a zero bill's line 'Legal services' when its subject is only control characters", () => {
    const { value, notes } = toQboInvoice({ ...zeroBill, subject: "\u0000\u0007" }, [], {
      customerId: "58",
      items,
    });
    assert.equal((value!.Line as Array<{ Description: string }>)[0]!.Description, "Legal services");
    assert.equal(notes[0]?.code, "text_characters");
  });

  it("removes control characters from a bill number, and still refuses one too long", () => {
    const ok = toQboInvoice({ ...zeroBill, number: "INV\u0000-8" }, [], { customerId: "58", items });
    assert.equal(ok.value?.DocNumber, "INV-8");
    const long = toQboInvoice({ ...zeroBill, number: "😀".repeat(11) }, [], { customerId: "58", items });
    assert.equal(long.value, undefined);
    assert.equal(long.notes.at(-1)?.code, "sync_doc_number_too_long");
  });

  it("leaves out an email over QBO's 100 characters rather than send a shortened address", () => {
    const notes: MappingNote[] = [];
    const fields = fromClioContact({
      id: 1,
      type: "Person",
      first_name: "Al",
      email_addresses: [{ id: 2, address: `${"a".repeat(95)}@example.test`, primary: true }],
    });
    assert.deepEqual(toQboCustomerFields(fields, notes).PrimaryEmailAddr, { Address: "" });
    assert.equal(notes[0]?.code, "email_too_long");
  });

  it("keeps 50 emoji of a 60-emoji company name, and notes it", () => {
    const contact = { id: 2, type: "Company" as const, name: "😀".repeat(60) };
    const { value, notes } = toNewQboCustomer(contact, fromClioContact(contact));
    assert.equal(value!.CompanyName, "😀".repeat(50));
    assert.ok(notes.some((n) => n.code === "truncated" && n.field === "CompanyName"));
  });

  it("cleans a credit memo's description", () => {
    const { value, notes } = toQboCreditMemo(
      { id: 3, date: "2026-03-02", amount: 10, description: `Courtesy\u2028${"x".repeat(5000)}` },
      [{ id: 1, date: "2026-03-02", amount: 10, bill: { id: 5 } }],
      { customerId: "58", invoiceIdByBill: new Map([["5", "100"]]), creditItemId: "6" },
    );
    const line = (value!.creditMemo.Line as Array<{ Description: string }>)[0]!;
    assert.equal(line.Description.length, 4000);
    assert.ok(line.Description.startsWith("Courtesy\nx"));
    assert.deepEqual(
      notes.map((n) => n.code),
      ["text_characters", "truncated"],
    );
  });

  it("cleans a trust transaction's description once for both of its journal lines", () => {
    const { value, notes } = toTrustJournalEntry(
      {
        kind: "single",
        tx: { id: 4, date: "2026-03-03", funds_in: 100, description: "R".repeat(5000), client: { id: 7 } },
      },
      { bankAccountId: "B", liabilityAccountId: "L", customerIdByClient: new Map([["7", "70"]]) },
    );
    const lines = value!.Line as Array<{ Description: string }>;
    assert.equal(lines[0]!.Description.length, 4000);
    assert.equal(lines[1]!.Description, lines[0]!.Description);
    assert.deepEqual(
      notes.map((n) => n.code),
      ["truncated"],
    );
  });
});
