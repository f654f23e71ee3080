import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openItem } from "../../testing/store-fixtures.ts";
import {
  inactiveIssueKey,
  inactiveRefIssue,
  inactiveRefsOf,
  itemIdsOf,
  refKey,
  refsToReactivate,
} from "./inactive-refs.ts";

/**
 * Items and accounts made inactive in QBO (issue 10, rule 2): one Sync Status item each, and a
 * re-sync of that item reactivates it. (What waits on them: the invoice, payment and trust tables.)
 */
describe("inactive items and accounts", () => {
  it("one Sync Status item per inactive item or account, keyed by its QBO id", () => {
    const refs = inactiveRefsOf([
      { entity: "Item", id: "1", name: "Legal Services (Clio)" },
      { entity: "Account", id: "36", name: "Trust - Liability" },
    ]);
    assert.deepEqual(
      [...refs.values()].map((r) => {
        const issue = inactiveRefIssue(r);
        return [issue.key, issue.code, issue.qboId, issue.qboName];
      }),
      [
        ["qbo_item:1", "sync_item_inactive", "1", "Legal Services (Clio)"],
        ["qbo_account:36", "sync_account_inactive", "36", "Trust - Liability"],
      ],
    );
  });

  it("only the items and accounts whose item the person asked to re-sync are reactivated", () => {
    const all = inactiveRefsOf([
      { entity: "Item", id: "1", name: "a" },
      { entity: "Item", id: "2", name: "b" },
      { entity: "Account", id: "36", name: "c" },
    ]);
    const open = (key: string, retryRequested: boolean) =>
      [key, openItem(key, "sync_item_inactive", { entity: "run", retryRequested })] as const;
    const issues = new Map([
      open(inactiveIssueKey({ entity: "Item", id: "1" }), true),
      open(inactiveIssueKey({ entity: "Item", id: "2" }), false),
    ]);
    assert.deepEqual(
      refsToReactivate(all, issues).map((r) => refKey(r.entity, r.id)),
      ["Item:1"],
    );
  });

  it("reads the item ids off invoice and credit memo lines, and nothing off other lines", () => {
    assert.deepEqual(
      itemIdsOf({
        Line: [
          { DetailType: "SalesItemLineDetail", SalesItemLineDetail: { ItemRef: { value: "1" } } },
          { DetailType: "DiscountLineDetail", DiscountLineDetail: {} },
          { DetailType: "SubTotalLineDetail" },
        ],
      }),
      ["1"],
    );
    assert.deepEqual(itemIdsOf({}), []);
  });
});
