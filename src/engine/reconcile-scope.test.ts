import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fullReconcileDue, reconcileScopeAfterPass } from "./reconcile-scope.ts";

describe("when the reconciliation after a pass is full", () => {
  const day = 86_400_000;
  const at = Date.parse("2026-03-10T12:00:00Z");
  const cases: Array<[string, string | undefined, number, boolean]> = [
    ["never run: the first pass reconciles everything", undefined, day, true],
    ["ran an hour ago", "2026-03-10T11:00:00.000Z", day, false],
    ["ran exactly a period ago", "2026-03-09T12:00:00.000Z", day, true],
    ["every pass (period 0)", "2026-03-10T12:00:00.000Z", 0, true],
    ["a time that cannot be read", "yesterday", day, true],
    ["a time ahead of the clock (clock set back)", "2026-03-11T12:00:00.000Z", day, true],
  ];
  for (const [name, last, interval, expected] of cases) {
    it(`${name} → ${expected ? "full" : "not due"}`, () => {
      assert.equal(fullReconcileDue(last, at, interval), expected);
    });
  }
});

describe("what the reconciliation after a pass compares", () => {
  // 900 bills, 700 allocations, 150 transactions: 5 + 4 + 1 pages, and the accounts: 11 requests.
  const mirrored = { bill: 900, allocation: 700, bank_transaction: 150 };
  it("a pass that touched nothing: nothing (no request at all)", () => {
    assert.equal(reconcileScopeAfterPass({ fullDue: false, touched: new Set(), mirrored }), undefined);
  });
  it("the full compare when due, touched or not", () => {
    assert.deepEqual(reconcileScopeAfterPass({ fullDue: true, touched: new Set(), mirrored }), {
      kind: "full",
    });
  });
  it("the touched clients, in id order, while three reads each cost less than the full listings", () => {
    assert.deepEqual(
      reconcileScopeAfterPass({ fullDue: false, touched: new Set(["12", "3", "7"]), mirrored }),
      {
        kind: "clients",
        clients: ["3", "7", "12"],
      },
    );
  });
  it("everything once the touched clients would cost as much as the full listings (11 requests)", () => {
    const touched = new Set(["1", "2", "3", "4"]); // 12 requests ≥ 11
    assert.deepEqual(reconcileScopeAfterPass({ fullDue: false, touched, mirrored }), { kind: "full" });
  });
});
