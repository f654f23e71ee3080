import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withJournalTracking, withSalesTracking } from "./tracking.ts";

const invoice = {
  CustomerRef: { value: "58" },
  Line: [
    { DetailType: "SalesItemLineDetail", Amount: 10, SalesItemLineDetail: { ItemRef: { value: "1" } } },
    { DetailType: "DiscountLineDetail", Amount: 1, DiscountLineDetail: { PercentBased: false } },
  ],
};

describe("class and location on what lexbridge writes", () => {
  it("nothing tracked or nothing set: the body is unchanged", () => {
    assert.equal(withSalesTracking(invoice, undefined), invoice);
    assert.equal(withSalesTracking(invoice, {}), invoice);
    assert.equal(withJournalTracking(invoice, {}), invoice);
  });

  it("one class per transaction goes in the header, with the location", () => {
    const out = withSalesTracking(invoice, { classId: "5", departmentId: "2" });
    assert.deepEqual([out.ClassRef, out.DepartmentRef], [{ value: "5" }, { value: "2" }]);
    assert.deepEqual(out.Line, invoice.Line);
  });

  it("a class per line goes on the item lines only", () => {
    const out = withSalesTracking(invoice, { classId: "5", classPerLine: true });
    assert.equal(out.ClassRef, undefined);
    const lines = out.Line as Array<Record<string, Record<string, unknown>>>;
    assert.deepEqual(lines[0]!.SalesItemLineDetail!.ClassRef, { value: "5" });
    assert.equal(lines[1]!.DiscountLineDetail!.ClassRef, undefined);
  });

  it("a journal entry carries both on every line (it has no header class)", () => {
    const je = {
      Line: [
        { DetailType: "JournalEntryLineDetail", JournalEntryLineDetail: { PostingType: "Debit" } },
        { DetailType: "JournalEntryLineDetail", JournalEntryLineDetail: { PostingType: "Credit" } },
      ],
    };
    const out = withJournalTracking(je, { classId: "5", departmentId: "2" });
    assert.equal(out.ClassRef, undefined);
    for (const l of out.Line as Array<{ JournalEntryLineDetail: Record<string, unknown> }>)
      assert.deepEqual(
        [l.JournalEntryLineDetail.ClassRef, l.JournalEntryLineDetail.DepartmentRef],
        [{ value: "5" }, { value: "2" }],
      );
  });
});
