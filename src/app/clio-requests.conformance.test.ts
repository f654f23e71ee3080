import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClioClient } from "../clio/client.ts";
import { readClioIdentity } from "../clio/identity.ts";
import { checkClioRequest } from "../clio/spec/check.ts";
import { activateClioWebhook, createClioWebhook, renewClioWebhook } from "../clio/webhooks.ts";
import type { ClioListKind } from "../engine/ports.ts";
import type { HttpRequest } from "../http/types.ts";
import { ClioSource, SYNC_FIELDS } from "./clio-source.ts";

/**
 * Every request lexbridge's Clio code builds, made by that code itself (the sync's reads of every
 * kind, with and without a cursor, the next page, contacts by id, the contact PATCH, the webhook
 * calls) against a recorder, then checked against the facts of Clio's spec: the operation, each
 * query parameter and each `fields` name, nested ones too. Real Clio answers 400 to an unknown
 * one, so a field added to SYNC_FIELDS that the spec lacks fails here, not in production.
 */
function recorder() {
  const requests: HttpRequest[] = [];
  const send = async (req: HttpRequest): Promise<Response> => {
    requests.push(req);
    const url = new URL(req.url);
    // A list's first page points to a second one, so the follow-up request is made (and checked) too.
    const next =
      req.method === "GET" && !url.searchParams.has("page_token")
        ? `${req.url}&page_token=${encodeURIComponent("opaque/token")}`
        : undefined;
    const body =
      req.method === "GET"
        ? { data: [], meta: { paging: next ? { next } : {} } }
        : { data: { id: 1, etag: '"0"', url: "https://hooks.test/clio" } };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const client = new ClioClient({ send, baseUrl: "https://app.clio.com", accessToken: "t" });
  return { requests, client, source: new ClioSource(client, "https://app.clio.com") };
}

async function everyRequest(): Promise<HttpRequest[]> {
  const { requests, client, source } = recorder();
  for (const kind of Object.keys(SYNC_FIELDS) as ClioListKind[]) {
    for (const since of [undefined, "2026-01-01T00:00:00.000Z"])
      for await (const _ of source.list(kind, since));
  }
  // Deletions (Clio keeps no tombstones): id-only listings, and one bill's allocations.
  for (const kind of ["bill", "allocation", "credit_memo"] as const)
    for await (const _ of source.listIds(kind));
  await source.allocationIdsOfBill("31");
  // The reconciliation of the clients a pass touched reads their records only.
  for (const kind of ["bill", "allocation", "bank_transaction"] as const)
    for await (const _ of source.listOfClient(kind, "11"));
  await source.contactsByIds(["11", "12"]);
  // A targeted sync (webhooks): bills and credit memos by id, one bill's records, one payment's.
  for (const kind of ["bill", "credit_memo"] as const) await source.byIds(kind, ["31", "32"]);
  for (const kind of ["line_item", "allocation"] as const)
    for await (const _ of source.listOfBill(kind, "31"));
  for await (const _ of source.allocationsOfParent("41"));
  await source.updateContact("11", { first_name: "Jane", email_addresses: [{ id: 3, _destroy: true }] });
  const hook = await createClioWebhook(client, {
    url: "https://hooks.test/clio",
    model: "contact",
    fields: "id,etag,updated_at",
    events: ["created", "updated", "deleted"],
    expiresAt: new Date(Date.UTC(2026, 1, 1)),
  });
  assert.ok(hook.ok);
  assert.ok((await renewClioWebhook(client, 1, new Date(Date.UTC(2026, 1, 20)))).ok);
  assert.ok((await activateClioWebhook(client, 1, "secret")).ok);
  await readClioIdentity(client); // `lexbridge connect clio` says which firm and user it connected
  return requests;
}

describe("lexbridge's Clio requests conform to Clio's spec", () => {
  it("every request the code builds names only declared operations, parameters and fields", async () => {
    const requests = await everyRequest();
    const paths = new Set(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`));
    for (const kind of ["contacts", "bills", "line_items", "allocations", "credit_memos"])
      assert.ok(paths.has(`GET /api/v4/${kind}.json`), `${kind} was read`);
    for (const kind of ["bank_accounts", "bank_transactions"])
      assert.ok(paths.has(`GET /api/v4/${kind}.json`));
    assert.ok(paths.has("PATCH /api/v4/contacts/11.json"));
    assert.ok(
      requests.some((r) => new URL(r.url).searchParams.has("page_token")),
      "a next page was read",
    );
    assert.ok(
      requests.some((r) => new URL(r.url).searchParams.has("ids[]")),
      "contacts were read by id",
    );
    assert.ok(requests.some((r) => new URL(r.url).searchParams.has("updated_since")));
    const idOnly = requests.filter((r) => new URL(r.url).searchParams.get("fields") === "id");
    assert.deepEqual(
      [...new Set(idOnly.map((r) => new URL(r.url).pathname))].sort(),
      ["/api/v4/allocations.json", "/api/v4/bills.json", "/api/v4/credit_memos.json"],
      "id sets are listed for deletions",
    );
    assert.ok(
      idOnly.some((r) => new URL(r.url).searchParams.get("bill_id") === "31"),
      "a bill's allocations were listed",
    );
    const targeted = requests.map((r) => new URL(r.url)).filter((u) => u.searchParams.has("parent_id"));
    assert.deepEqual(
      targeted.map((u) => [u.pathname, u.searchParams.get("parent_id"), u.searchParams.get("fields")]),
      [
        ["/api/v4/allocations.json", "41", SYNC_FIELDS.allocation],
        ["/api/v4/allocations.json", "41", SYNC_FIELDS.allocation],
      ],
      "a payment's allocations were read (first page and the next)",
    );
    const problems = requests.flatMap((r) => checkClioRequest(r.method, r.url));
    assert.deepEqual(problems, []);
  });

  it("would fail on a field, nested name or parameter the spec lacks", async () => {
    const read = (await everyRequest()).find((r) => r.url.includes("/bank_transactions.json"))!;
    const url = new URL(read.url);
    url.searchParams.set("fields", `${url.searchParams.get("fields")},bank_transfer{id}`);
    url.searchParams.set("sort", "id");
    assert.deepEqual(checkClioRequest("GET", url.toString()), [
      "GET /bank_transactions: sort is not a declared parameter",
      "GET /bank_transactions: BankTransaction.bank_transfer is not a valid field",
    ]);
  });
});
