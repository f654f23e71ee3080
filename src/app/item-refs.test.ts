import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isLexError } from "../core/errors.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { matchContactByRef, openItemByRef } from "./item-refs.ts";

/** A store with item #1 (a match review of contact 2), item #2 (a bill) and a proposal for contact 1. */
async function storeWithMatches() {
  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), "lexbridge-refs-")), "t.db"));
  const review = (clioId: string) => ({
    key: `contact:${clioId}`,
    code: "sync_match_review",
    message: "review",
    entity: "contact" as const,
    clioId,
    qboId: "9",
  });
  await store.commit({ issues: [review("2")] }, 1);
  await store.commit(
    { issues: [{ key: "bill:5", code: "sync_mapping_failed", message: "m", entity: "bill", clioId: "5" }] },
    1,
  );
  for (const clioId of ["1", "2"])
    await store.proposeMatch({ clioId, qboId: "9", reason: "same name", state: "proposed", createdAt: 1 });
  return store;
}

const refused = async (promise: Promise<unknown>, code: string, pattern: RegExp) =>
  assert.rejects(promise, (e: unknown) => isLexError(e) && e.code === code && pattern.test(e.message));

describe("ids a user types", () => {
  it("resync: an open item by N or #N; a missing or resolved one is an error naming it", async () => {
    const store = await storeWithMatches();
    assert.equal((await openItemByRef(store, "#2")).key, "bill:5");
    await refused(openItemByRef(store, "77"), "status_item_not_found", /"77"/);
    await refused(openItemByRef(store, "abc"), "status_item_not_found", /"abc"/);
    await store.commit({ resolveIssues: ["bill:5"] }, 2);
    await refused(openItemByRef(store, "2"), "status_item_not_found", /#2 is resolved already/);
    await store.close();
  });

  it("match: the item id or the Clio contact id; a number that is both, for two clients, must be written out", async () => {
    const store = await storeWithMatches();
    assert.equal(await matchContactByRef(store, "#1"), "2", "item #1 is the review of contact 2");
    assert.equal(await matchContactByRef(store, "contact:1"), "1");
    assert.equal(await matchContactByRef(store, "2"), "2", "contact 2 (item #2 is a bill, not a review)");
    await refused(matchContactByRef(store, "1"), "status_item_ambiguous", /item #1 .* Clio contact 1/);
    await refused(
      matchContactByRef(store, "#2"),
      "status_item_not_found",
      /#2 is a sync_mapping_failed item/,
    );
    await refused(matchContactByRef(store, "contact:3"), "status_item_not_found", /"contact:3"/);
    await store.close();
  });
});
