/**
 * The client against the emulator, in-process (the emulator's `app.request` fetch) and over real
 * HTTP, through the standard HTTP stack (auth refresh, rate budget, retry).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FakeClock, systemClock } from "../core/clock.ts";
import { isLexError } from "../core/errors.ts";
import { createQboEmulator, type QboEmulator, startQboEmulator } from "../emulators/qbo/index.ts";
import { singleFlightTokens, type TokenSet } from "../http/single-flight-tokens.ts";
import { createQboClient, oauthEndpointsAt, type QboClient, QboOAuth, qboQuery } from "./index.ts";

function clientFor(
  emu: QboEmulator,
  fetchImpl: typeof fetch,
  baseUrl: string,
  clock = systemClock,
  saved: TokenSet[] = [],
) {
  const t = emu.issueTokens();
  const oauth = new QboOAuth({
    clientId: "id",
    clientSecret: "secret",
    redirectUri: "https://app.test/cb",
    endpoints: oauthEndpointsAt(baseUrl),
    fetch: fetchImpl,
    clock,
  });
  const tokens = singleFlightTokens({
    clock,
    initial: {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: clock.now() + 3600_000,
    },
    refresh: (rt) => oauth.refresh(rt),
    onTokens: (set) => {
      saved.push(set);
    },
  });
  return createQboClient({
    realmId: emu.defaultRealmId,
    tokens,
    clock,
    baseUrl,
    fetch: fetchImpl,
    baseDelayMs: 1,
    maxAttempts: 3,
  });
}

function suite(
  name: string,
  make: () => Promise<{ emu: QboEmulator; client: QboClient; saved: TokenSet[]; close(): Promise<void> }>,
) {
  describe(name, () => {
    let env: Awaited<ReturnType<typeof make>>;
    before(async () => {
      env = await make();
    });
    after(() => env.close());

    it("creates, reads, updates, sparse-updates, voids and deletes with a requestid on every write", async () => {
      const { client } = env;
      const c = await client.create(
        "Customer",
        { DisplayName: `Client ${name}` },
        { requestId: `c-${name}` },
      );
      assert.ok(c.ok);
      const again = await client.create(
        "Customer",
        { DisplayName: `Client ${name}` },
        { requestId: `c-${name}` },
      );
      assert.ok(again.ok, "a repeated requestid replays the original answer");
      assert.equal(again.value.Id, c.value.Id);
      const read = await client.read("Customer", c.value.Id);
      assert.ok(read.ok);
      const sparse = await client.sparseUpdate(
        "Customer",
        { Id: c.value.Id, SyncToken: read.value.SyncToken, CompanyName: "Co" },
        { requestId: `s-${name}` },
      );
      assert.ok(sparse.ok);
      assert.equal(sparse.value.CompanyName, "Co");
      const full = await client.update(
        "Customer",
        { Id: c.value.Id, SyncToken: sparse.value.SyncToken, DisplayName: `Client ${name}` },
        { requestId: `f-${name}` },
      );
      assert.ok(full.ok);
      assert.equal(full.value.CompanyName, undefined);
      const line = {
        Amount: 10,
        DetailType: "SalesItemLineDetail",
        SalesItemLineDetail: { ItemRef: { value: "19" } },
      };
      const inv = await client.create(
        "Invoice",
        { CustomerRef: { value: c.value.Id }, Line: [line] },
        { requestId: `i-${name}` },
      );
      assert.ok(inv.ok);
      const v = await client.void(
        "Invoice",
        { Id: inv.value.Id, SyncToken: inv.value.SyncToken },
        { requestId: `v-${name}` },
      );
      assert.ok(v.ok);
      assert.equal(v.value.TotalAmt, 0);
      const del = await client.delete(
        "Invoice",
        { Id: v.value.Id, SyncToken: v.value.SyncToken },
        { requestId: `d-${name}` },
      );
      assert.ok(del.ok);
      const pay = await client.create(
        "Payment",
        { CustomerRef: { value: c.value.Id }, TotalAmt: 5 },
        { requestId: `p-${name}` },
      );
      assert.ok(pay.ok);
      const pv = await client.void(
        "Payment",
        { Id: pay.value.Id, SyncToken: pay.value.SyncToken },
        { requestId: `pv-${name}` },
      );
      assert.ok(pv.ok);
      assert.equal(pv.value.TotalAmt, 0);
    });

    it("maps faults to error codes and actions", async () => {
      const { client } = env;
      await client.create("Vendor", { DisplayName: `Taken ${name}` }, { requestId: `tv-${name}` });
      const dup = await client.create(
        "Customer",
        { DisplayName: `Taken ${name}` },
        { requestId: `tc-${name}` },
      );
      assert.ok(!dup.ok);
      assert.equal(dup.error.code, "qbo_duplicate_name");
      assert.equal(dup.error.providerCode, "6240");
      assert.equal(dup.error.action, "issue");
      const missing = await client.read("Invoice", "999999");
      assert.ok(!missing.ok);
      assert.equal(missing.error.code, "qbo_not_found");
      const stale = await client.sparseUpdate(
        "Customer",
        { Id: "1", SyncToken: "99" },
        { requestId: `st-${name}` },
      );
      assert.ok(!stale.ok);
    });

    it("queries with escaping, pages with the async iterator, counts, batches and reads CDC", async () => {
      const { client } = env;
      const since = new Date(Date.now() - 1000);
      const names = ["It's \\ tricky", "Plain"].map((n) => `${n} ${name}`);
      for (const [i, n] of names.entries())
        await client.create("Customer", { DisplayName: n }, { requestId: `q${i}-${name}` });
      const page = await client.query<"Customer">(qboQuery("Customer").where("DisplayName", "=", names[0]!));
      assert.ok(page.ok);
      assert.equal(page.value.items[0]?.DisplayName, names[0]);
      const all: string[] = [];
      for await (const acct of client.queryAll<"Account">(qboQuery("Account").orderBy("Id"), 5))
        all.push(acct.Id);
      const count = await client.count(qboQuery("Account"));
      assert.ok(count.ok);
      assert.equal(all.length, count.value);
      const batch = await client.batch(
        [
          { bId: "a", operation: "create", entity: "Customer", body: { DisplayName: names[1]! } },
          { bId: "b", query: qboQuery("Customer").where("DisplayName", "IN", names) },
        ],
        { requestId: `b-${name}` },
      );
      assert.ok(batch.ok);
      const [a, b] = batch.value;
      assert.ok(a && !a.ok && a.error.code === "qbo_duplicate_name");
      assert.ok(b?.ok && Array.isArray(b.query?.Customer));
      const cdc = await client.cdc(["Customer", "Invoice"], since);
      assert.ok(cdc.ok);
      assert.ok((cdc.value.changed.Customer ?? []).length >= 2);
      assert.ok((cdc.value.deleted.Invoice ?? []).length >= 1);
      assert.ok(cdc.value.time);
    });

    it("sends a batch item's write on its own: operation, optionsData as parameters, requestid replay", async () => {
      const { client } = env;
      const c = await client.writeSingle(
        { operation: "create", entity: "Customer", body: { DisplayName: `Single ${name}` } },
        { requestId: `ws-c-${name}` },
      );
      assert.ok(c.ok);
      const again = await client.writeSingle(
        { operation: "create", entity: "Customer", body: { DisplayName: `Single ${name}` } },
        { requestId: `ws-c-${name}` },
      );
      assert.ok(again.ok, "a repeated requestid replays the original answer");
      assert.equal(again.value.Id, c.value.Id);
      const pay = await client.writeSingle(
        { operation: "create", entity: "Payment", body: { CustomerRef: { value: c.value.Id }, TotalAmt: 5 } },
        { requestId: `ws-p-${name}` },
      );
      assert.ok(pay.ok);
      // A payment void is an update with `include=void`, the batch item's optionsData.
      const voided = await client.writeSingle(
        {
          operation: "update",
          entity: "Payment",
          body: { Id: pay.value.Id, SyncToken: pay.value.SyncToken, sparse: true },
          options: "include=void",
        },
        { requestId: `ws-pv-${name}` },
      );
      assert.ok(voided.ok);
      assert.equal(voided.value.TotalAmt, 0);
      const dup = await client.writeSingle(
        { operation: "create", entity: "Customer", body: { DisplayName: `Single ${name}` } },
        { requestId: `ws-dup-${name}` },
      );
      assert.ok(!dup.ok);
      assert.equal(dup.error.code, "qbo_duplicate_name");
      assert.equal(dup.error.status, 400);
    });

    it("refreshes an expired token once and persists the rotated refresh token", async () => {
      const { emu, client } = env;
      await emu.app.request("/__admin/tokens/expire", { method: "POST" });
      const before = env.saved.length;
      const r = await client.preferences();
      assert.ok(r.ok);
      assert.equal(env.saved.length, before + 1, "the rotated set went to onTokens");
    });

    it("retries an injected 503 and throttles 429 on reads", async () => {
      const { emu, client } = env;
      await emu.app.request("/__admin/faults", {
        method: "PUT",
        body: JSON.stringify({
          rules: [
            { kind: "503", path: "/companyinfo", count: 1 },
            // Retry-After 0 keeps this wall-clock test fast; the 60 s wait QBO asks for without
            // the header is proven on a FakeClock in throttle.test.ts.
            { kind: "429", path: "/preferences", count: 1, retryAfter: 0 },
          ],
        }),
      });
      const info = await client.companyInfo();
      assert.ok(info.ok);
      const prefs = await client.preferences();
      assert.ok(prefs.ok);
    });
  });
}

suite("in-process", async () => {
  const emu = createQboEmulator();
  const saved: TokenSet[] = [];
  return {
    emu,
    saved,
    client: clientFor(emu, emu.fetch, "http://qbo.emulator", systemClock, saved),
    close: async () => emu.close(),
  };
});

suite("real HTTP", async () => {
  const server = await startQboEmulator({ port: 0 });
  const saved: TokenSet[] = [];
  return {
    emu: server.emulator,
    saved,
    client: clientFor(server.emulator, fetch, server.url, systemClock, saved),
    close: () => server.close(),
  };
});

describe("client errors without a server", () => {
  it("a connection reset on a write without retry budget comes back as an http_network error value", async () => {
    const emu = createQboEmulator({ clock: new FakeClock() });
    await emu.app.request("/__admin/faults", {
      method: "PUT",
      body: JSON.stringify({ rules: [{ kind: "reset", path: "/customer", count: 5 }] }),
    });
    const client = clientFor(emu, emu.fetch, "http://qbo.emulator");
    const r = await client.create("Customer", { DisplayName: "Reset" }, { requestId: "reset-1" });
    assert.ok(!r.ok);
    assert.ok(isLexError(r.error));
  });
});
