import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { auditChanges, changesInWords } from "./audit-changes.ts";

describe("an audit entry's before/after as a compact diff", () => {
  it("a customer update: the fields read before (lexbridge's names) against the QuickBooks body, plumbing left out", () => {
    const before = { email: "JANE@EXAMPLE.TEST", phone: null, billAddress: null, givenName: "Jane" };
    const after = {
      Id: "26",
      SyncToken: "3",
      sparse: true,
      PrimaryEmailAddr: { Address: "jane@example.test" },
      PrimaryPhone: { FreeFormNumber: "+1 555 140 7522" },
      GivenName: "Jane",
    };
    assert.equal(
      changesInWords(auditChanges(before, after)),
      "PrimaryEmailAddr: JANE@EXAMPLE.TEST → jane@example.test; PrimaryPhone: (none) → +1 555 140 7522",
    );
  });

  it("a create lists what was set; lines by count and total, a journal entry's by its debits", () => {
    const invoice = {
      DocNumber: "85",
      CustomerRef: { value: "121" },
      Line: [{ Amount: 600 }, { Amount: 25.06 }],
    };
    assert.equal(
      changesInWords(auditChanges(undefined, invoice)),
      "set DocNumber: 85; CustomerRef: 121; Line: 2 line(s), 625.06",
    );
    const journal = {
      Line: [
        { Amount: 402.4, JournalEntryLineDetail: { PostingType: "Debit" } },
        { Amount: 402.4, JournalEntryLineDetail: { PostingType: "Credit" } },
      ],
    };
    assert.deepEqual(auditChanges(undefined, journal), [{ field: "Line", after: "2 line(s), 402.40" }]);
  });

  it("nothing changed, nothing listed; a long value is cut short", () => {
    assert.deepEqual(auditChanges({ Active: true }, { Active: true }), []);
    assert.deepEqual(auditChanges({ Active: false }, { Active: true }), [
      { field: "Active", before: "false", after: "true" },
    ]);
    const [note] = auditChanges(undefined, { PrivateNote: "x".repeat(100) });
    assert.equal(note?.after?.length, 60);
    assert.ok(note?.after?.endsWith("…"));
  });
});
