import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SyncIssue } from "../store/port.ts";
import { openItem } from "../testing/store-fixtures.ts";
import { NO_SITES } from "./record-links.ts";
import {
  countsInWords,
  describeItem,
  eachItem,
  groupByRootCause,
  itemLabel,
  type StatusItem,
} from "./sync-status-view.ts";

let nextId = 1;
function item(key: string, code: string, over: Partial<SyncIssue> = {}, facts = {}): StatusItem {
  const [entity, clioId] = key.split(/:(.*)/) as [SyncIssue["entity"], string];
  const issue = openItem(key, code, { id: nextId++, message: `${key} ${code}`, entity, clioId, ...over });
  return describeItem(issue, facts, NO_SITES);
}

describe("Sync Status grouped by root cause", () => {
  it("a client's item is the root of its bills, and of the payments of those bills", () => {
    nextId = 1;
    const items = [
      item("contact:10", "sync_customer_ambiguous"),
      item("bill:20", "sync_customer_not_synced", { blockedBy: "contact:10" }),
      item("bill:21", "sync_customer_not_synced", { blockedBy: "contact:10" }),
      item("payment:30", "sync_invoice_not_synced", { blockedBy: "bill:20" }),
      item("journal_entry:tx:40", "sync_customer_not_synced", { blockedBy: "contact:10" }),
      item("bill:22", "qbo_duplicate_doc_number"),
      item("credit_memo:31", "sync_invoice_not_synced", { blockedBy: "bill:22" }),
    ];
    const roots = groupByRootCause(items, 2);
    assert.deepEqual(
      roots.map((r) => [r.key, r.item?.id, r.waiting, r.examples.map((e) => e.key)]),
      [
        ["contact:10", 1, 4, ["bill:20", "bill:21"]],
        ["bill:22", 6, 1, ["credit_memo:31"]],
      ],
    );
    assert.deepEqual(roots[0]?.waitingByEntity, { bill: 2, payment: 1, journal_entry: 1 });
    assert.equal(countsInWords(roots[0]!.waitingByEntity), "2 bills, 1 payment, 1 trust movement");
  });

  it("items waiting for a record with no open item of its own are grouped under that record", () => {
    nextId = 1;
    const items = [
      item("bill:20", "sync_customer_not_synced", { blockedBy: "contact:10" }),
      item("bill:21", "sync_customer_not_synced", { blockedBy: "contact:10" }),
      item("bill:22", "sync_mapping_failed"),
    ];
    const [first, second] = groupByRootCause(items);
    assert.deepEqual([first?.key, first?.item, first?.waiting], ["contact:10", undefined, 2]);
    assert.deepEqual([second?.key, second?.waiting], ["bill:22", 0]);
  });

  it("resolved items are no root and wait on nothing; a blocker resolved leaves its dependents as roots", () => {
    nextId = 1;
    const items = [
      item("contact:10", "sync_match_review", { state: "resolved" }),
      item("bill:20", "sync_customer_not_synced", { blockedBy: "contact:10" }),
    ];
    const roots = groupByRootCause(items);
    assert.deepEqual(
      roots.map((r) => [r.key, r.item?.key, r.waiting]),
      [["contact:10", undefined, 1]],
    );
  });

  it("a cycle (which the engine never makes) ends instead of looping", () => {
    nextId = 1;
    const items = [
      item("bill:1", "sync_invoice_not_synced", { blockedBy: "bill:2" }),
      item("bill:2", "sync_invoice_not_synced", { blockedBy: "bill:1" }),
    ];
    assert.equal(
      groupByRootCause(items).reduce((n, r) => n + r.waiting + (r.item ? 1 : 0), 0),
      2,
    );
  });

  it("each item one by one carries its root cause and how many wait on it", () => {
    nextId = 1;
    const items = [
      item("contact:10", "sync_customer_ambiguous"),
      item("bill:20", "sync_customer_not_synced", { blockedBy: "contact:10" }),
      item("payment:30", "sync_invoice_not_synced", { blockedBy: "bill:20" }),
    ];
    assert.deepEqual(
      eachItem(items).map((i) => [i.key, i.rootCause, i.waitingOnIt]),
      [
        ["contact:10", undefined, 2],
        ["bill:20", { key: "contact:10", id: 1 }, 0],
        ["payment:30", { key: "contact:10", id: 1 }, 0],
      ],
    );
  });
});

describe("names beside ids", () => {
  it("a bill shows its client and amount; a client its name; a payment its client, bills and amount", () => {
    nextId = 1;
    const bill = item(
      "bill:2255",
      "qbo_duplicate_doc_number",
      { clioName: "Bill 71" },
      {
        client: "Pioneer Sterling",
        billNumber: "71",
        amount: "2490.00",
      },
    );
    assert.equal(itemLabel(bill), "Bill 71 · Pioneer Sterling · 2490.00 (Clio bill 2255)");
    const client = item("contact:1942", "sync_customer_ambiguous", { clioName: "Linda Martin" });
    assert.equal(itemLabel(client), "Linda Martin (Clio contact 1942)");
    const proposed = item("contact:1942", "sync_match_review", {
      clioName: "Linda Martin",
      qboId: "39",
      qboName: "Linda Martin-Jones",
    });
    assert.equal(
      itemLabel(proposed),
      "Linda Martin (Clio contact 1942) ↔ Linda Martin-Jones (QuickBooks customer 39)",
    );
    const payment = item(
      "payment:7001",
      "sync_invoice_not_synced",
      { clioName: "Payment 7001" },
      {
        client: "Jane Doe",
        billNumber: "71, 72",
        amount: "120.00",
      },
    );
    assert.equal(itemLabel(payment), "Payment 7001 · Jane Doe · bill 71, 72 · 120.00");
  });

  it("an item carries the catalogue's title and fix; an unknown code keeps its own name", () => {
    nextId = 1;
    const known = item("bill:1", "sync_customer_not_synced");
    assert.equal(known.title, "The client's customer is not in QuickBooks yet");
    assert.match(known.fix, /client's own item/);
    assert.equal(item("bill:2", "from_a_newer_version").title, "from_a_newer_version");
  });
});
