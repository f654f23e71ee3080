import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Link } from "../../store/port.ts";
import { linkFixture } from "../../testing/store-fixtures.ts";
import { type MemoToApply, planCreditApplicationChanges, planCreditMemoRemovals } from "./credits.ts";

/** Credit applications (phase 4) and credit memo removals (phase 5) as tables. */

const BASE = {
  kind: "credit_memo" as const,
  applications: [{ invoiceId: "900", amount: 20 }],
  date: "2026-05-04",
};
const link = (entity: Link["entity"], qboId: string, over: Partial<Link> = {}) =>
  linkFixture(entity, "8001", qboId, { baseline: BASE, ...over });
const memo = link("credit_memo", "960");

const summary = (ops: { operations: Array<{ entity: string; action: string }> }) =>
  ops.operations.map((o) => `${o.entity} ${o.action}`);
const apply = (m: Partial<MemoToApply>) =>
  summary(
    planCreditApplicationChanges("9130", [
      { memo, gone: false, customerId: "58", application: undefined, ...m },
    ]),
  );

describe("credit planners", () => {
  it("a written credit memo is applied to its invoices", () =>
    assert.deepEqual(apply({}), ["credit_application create"]));

  it("an application written with the same content writes nothing", () => {
    const [op] = planCreditApplicationChanges("9130", [
      { memo, gone: false, customerId: "58", application: undefined },
    ]).operations;
    assert.deepEqual(
      apply({ application: link("credit_application", "970", { contentHash: op!.payload.contentHash }) }),
      [],
    );
  });

  it("an application waits for the client's customer", () =>
    assert.deepEqual(apply({ customerId: undefined }), []));

  it("a credit memo gone in Clio loses its application first", () => {
    assert.deepEqual(apply({ gone: true, application: link("credit_application", "970") }), [
      "credit_application delete",
    ]);
    assert.deepEqual(apply({ gone: true }), [], "nothing to remove when no application was written");
  });

  it("then the credit memo itself is deleted, with QBO's current SyncToken", () => {
    const plan = planCreditMemoRemovals("9130", [{ ...memo, syncToken: "4" }]);
    assert.deepEqual(summary(plan), ["credit_memo delete"]);
    assert.deepEqual(plan.operations[0]!.payload.body, { Id: "960", SyncToken: "4" });
    assert.equal(plan.operations[0]!.payload.linkAfter, "delete");
  });
});
