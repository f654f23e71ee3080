import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StatusItem } from "../app/sync-status-view.ts";
import { rootCauseLines } from "./root-cause-lines.ts";

function item(id: number, key: string, extra: Partial<StatusItem> = {}): StatusItem {
  return {
    id,
    key,
    code: "sync_match_review",
    title: "A possible match waits for review",
    message: "",
    fix: "",
    state: "open",
    entity: "contact",
    firstSeen: 0,
    lastSeen: 0,
    attempts: 1,
    retryRequested: false,
    links: {},
    ...extra,
  };
}

describe("the demo's Sync Status lines", () => {
  it("name each root cause in words with how many items wait on it, most first", () => {
    const items = [
      item(1, "contact:10", { clioId: "10", client: "Ada Lovelace" }),
      item(2, "bill:5", { entity: "bill", clioId: "5", name: "Bill 5", blockedBy: "contact:10", code: "x" }),
      item(3, "bill:6", {
        entity: "bill",
        clioId: "6",
        name: "Bill 6",
        title: "Duplicate number",
        code: "y",
      }),
    ];
    assert.deepEqual(rootCauseLines(items), [
      "    #1 A possible match waits for review: Ada Lovelace (Clio contact 10) — 1 more wait on it",
      "    #3 Duplicate number: Bill 6",
    ]);
  });

  it("shows the first few and says how many more there are", () => {
    const items = Array.from({ length: 7 }, (_, i) => item(i + 1, `contact:${i}`, { clioId: String(i) }));
    const lines = rootCauseLines(items, 5);
    assert.equal(lines.length, 6);
    assert.equal(lines.at(-1), "    … and 2 more root causes");
  });
});
