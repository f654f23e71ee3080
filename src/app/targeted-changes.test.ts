import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TARGET_LIMIT } from "../engine/targeted-reads.ts";
import { changeSyncOf, type NamedChange } from "./targeted-changes.ts";

const clio = (kind: string, id: string, event = "updated"): NamedChange => ({
  provider: "clio",
  kind,
  id,
  event,
});
const qbo = (kind: string, id: string, event = "updated"): NamedChange => ({
  provider: "qbo",
  kind,
  id,
  event,
});

describe("changeSyncOf: what webhook deliveries start", () => {
  it("targets Clio contacts and bills and QuickBooks records read by id, each once", () => {
    assert.deepEqual(
      changeSyncOf([
        clio("contact", "11"),
        clio("bill", "31", "created"),
        clio("bill", "31"),
        clio("bill", "32", "deleted"),
        qbo("customer", "58"),
        qbo("Invoice", "7", "Void"),
        qbo("payment", "9", "created"),
        qbo("JournalEntry", "4", "Create"),
      ]),
      {
        targets: {
          contacts: ["11"],
          bills: ["31", "32"],
          qbo: [
            { entity: "Customer", id: "58" },
            { entity: "Invoice", id: "7" },
            { entity: "Payment", id: "9" },
            { entity: "JournalEntry", id: "4" },
          ],
        },
        records: 7,
      },
    );
  });

  it("runs the pass for a kind it does not target, a QuickBooks deletion or merge, or too many records", () => {
    assert.deepEqual(changeSyncOf([clio("contact", "1"), qbo("item", "5")]), {
      fallback: "QuickBooks item records are not targeted",
    });
    assert.deepEqual(changeSyncOf([clio("matter", "1")]), {
      fallback: "Clio matter records are not targeted",
    });
    assert.deepEqual(changeSyncOf([qbo("Customer", "5", "Merge")]), {
      fallback: "a QuickBooks Customer merge is read from the change feed",
    });
    assert.deepEqual(changeSyncOf([qbo("invoice", "5", "deleted")]), {
      fallback: "a QuickBooks Invoice deleted is read from the change feed",
    });
    const many = Array.from({ length: TARGET_LIMIT + 1 }, (_, i) => clio("bill", String(i)));
    assert.deepEqual(changeSyncOf(many), {
      fallback: `${TARGET_LIMIT + 1} records named, more than ${TARGET_LIMIT}`,
    });
    assert.ok("targets" in changeSyncOf(many.slice(1)), `${TARGET_LIMIT} are still targeted`);
  });
});
