import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { isLexError } from "../core/errors.ts";
import { createClioEmulator } from "../emulators/clio/index.ts";
import { fetchTransport } from "../http/transport.ts";
import type { HttpRequest, HttpSend } from "../http/types.ts";
import { withAuth } from "../http/with-auth.ts";
import { withRateLimit } from "../http/with-rate-limit.ts";
import { ClioClient, clioRateKey } from "./client.ts";
import { fields } from "./fields.ts";
import { clioAuthorizeUrl, clioTokenSource, exchangeClioCode, refreshClioToken } from "./oauth.ts";
import { clioRateLimiter } from "./rate-budget.ts";
import { ClioBill, ClioContact, ClioMatter } from "./schemas/index.ts";

function setup(options: Parameters<typeof createClioEmulator>[0] = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const emulator = createClioEmulator({ clock, rateLimitPerMinute: 10_000, autoApprove: true, ...options });
  const requests: HttpRequest[] = [];
  const transport = fetchTransport(((url: string, init: RequestInit) =>
    emulator.app.request(url, init)) as typeof fetch);
  const send: HttpSend = (r) => {
    requests.push(r);
    return transport(r);
  };
  const token = emulator.issueToken().access_token;
  const client = new ClioClient({
    send,
    baseUrl: "http://clio.test",
    accessToken: token,
    rateKey: clioRateKey(token),
  });
  return { clock, emulator, client, requests, send, token };
}

async function seed(emulator: ReturnType<typeof createClioEmulator>, n: number) {
  for (let i = 0; i < n; i++) {
    const c = await emulator.app.request("/__admin/contacts", {
      method: "POST",
      body: JSON.stringify({ type: "Person", first_name: `P${i}`, last_name: "Test" }),
    });
    const id = ((await c.json()) as { data: { id: number } }).data.id;
    await emulator.app.request("/__admin/matters", {
      method: "POST",
      body: JSON.stringify({ client: { id }, description: "M" }),
    });
  }
}

describe("fields builder", () => {
  it("builds one level of braces and rejects bad names", () => {
    assert.equal(
      fields("id", "etag", { matter: ["id", "display_number"] }, { client: [] }),
      "id,etag,matter{id,display_number},client",
    );
    assert.throws(() => fields("id,name"));
    assert.throws(() => fields({ matter: ["client{name}"] }));
  });
});

describe("ClioClient against the emulator in-process", () => {
  it("iterates cursor pages with limit and order=id(asc), parsing with zod", async () => {
    const { client, emulator, requests } = setup();
    await seed(emulator, 7);
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of client.pages("contacts", ClioContact, {
      limit: 3,
      fields: fields("id", "etag", "name", "type"),
    })) {
      pages.push(page.length);
      names.push(...page.map((c) => String(c.name)));
    }
    assert.deepEqual(pages, [3, 3, 1]);
    assert.equal(names.length, 7);
    const first = new URL(requests[0]!.url);
    assert.equal(first.searchParams.get("order"), "id(asc)");
    assert.equal(first.pathname, "/api/v4/contacts.json");
    assert.equal(requests[0]!.headers?.["X-API-VERSION"], "4.0.9");
    assert.match(requests[0]!.rateKey ?? "", /^clio:[0-9a-f]{16}$/);
    const matters = [];
    for await (const m of client.all("matters", ClioMatter, {
      fields: fields("id", { client: ["id", "name"] }),
    }))
      matters.push(m);
    assert.equal(matters.length, 7);
    assert.equal(typeof matters[0]!.client?.id, "number");
  });

  it("sends no order when told to (an endpoint that declares none), on every page", async () => {
    const { client, emulator, requests } = setup();
    await seed(emulator, 3);
    const ids: number[] = [];
    for await (const page of client.pages("contacts", ClioContact, { limit: 2, order: null })) {
      ids.push(...page.map((c) => c.id));
    }
    assert.equal(ids.length, 3);
    assert.equal(requests.length, 2);
    for (const r of requests) assert.equal(new URL(r.url).searchParams.has("order"), false);
  });

  it("makes conditional GETs with ETags and optimistic PATCHes with If-Match", async () => {
    const { client } = setup();
    const created = await client.create(
      "contacts",
      ClioContact,
      { type: "Company", name: "Acme" },
      { fields: "id,etag,name" },
    );
    assert.ok(created.ok);
    const id = created.value.id;
    const first = await client.get(`contacts/${id}`, ClioContact, { fields: "id,etag,name" });
    assert.ok(first.ok && !first.value.notModified);
    const etag = first.value.notModified ? "" : (first.value.etag ?? "");
    const again = await client.get(`contacts/${id}`, ClioContact, { ifNoneMatch: etag });
    assert.ok(again.ok && again.value.notModified);
    const upd = await client.update(
      `contacts/${id}`,
      ClioContact,
      { name: "Acme 2" },
      { ifMatch: etag, fields: "id,etag,name" },
    );
    assert.ok(upd.ok);
    assert.equal(upd.value.name, "Acme 2");
    const stale = await client.update(`contacts/${id}`, ClioContact, { name: "Acme 3" }, { ifMatch: etag });
    assert.ok(!stale.ok);
    assert.equal(stale.error.code, "clio_precondition_failed");
    assert.equal(stale.error.status, 412);
  });

  it("maps errors to catalogue codes with Clio's type kept as provider code", async () => {
    const { client, emulator, token } = setup();
    const missing = await client.get("contacts/424242", ClioContact);
    assert.ok(
      !missing.ok &&
        missing.error.code === "clio_not_found" &&
        missing.error.providerCode === "RecordNotFound",
    );
    const me = await client.create("contacts", ClioContact, { type: "Company", name: "X" });
    assert.ok(me.ok);
    const badField = await client.get(`contacts/${me.value.id}`, ClioContact, { fields: "id,nope" });
    assert.ok(!badField.ok && badField.error.code === "clio_bad_request");
    const old = new ClioClient({
      send: fetchTransport(((u: string, i: RequestInit) => emulator.app.request(u, i)) as typeof fetch),
      baseUrl: "http://x",
      accessToken: token,
      apiVersion: "3.0.0",
    });
    const gone = await old.get("users/who_am_i", ClioContact);
    assert.ok(!gone.ok && gone.error.code === "clio_api_version_gone");
    await assert.rejects(
      async () => {
        for await (const _ of client.pages("contacts", ClioContact, { params: { offset: 10_000 } })) void _;
      },
      (e) => isLexError(e, "clio_offset_limit"),
    );
    const bills = await client.get("bills/1", ClioBill);
    assert.ok(!bills.ok);
  });

  it("follows Clio's X-RateLimit headers: waits for the window instead of hitting 429", async () => {
    const { clock, emulator, token } = setup({ rateLimitPerMinute: 3 });
    const transport = fetchTransport(((u: string, i: RequestInit) =>
      emulator.app.request(u, i)) as typeof fetch);
    const statuses: number[] = [];
    const send = withRateLimit(async (r) => {
      const res = await transport(r);
      statuses.push(res.status);
      return res;
    }, clioRateLimiter(clock));
    const client = new ClioClient({
      send,
      baseUrl: "http://x",
      accessToken: token,
      rateKey: clioRateKey(token),
    });
    let done = false;
    const run = (async () => {
      for (let i = 0; i < 5; i++) await client.get("users/who_am_i", ClioContact);
      done = true;
    })();
    const started = clock.now();
    while (!done) await clock.advance(1000);
    await run;
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    assert.ok(clock.now() - started >= 59_000, "the fourth call waited for the window reset");
  });

  it("runs the OAuth code flow, refreshes without rotation, and refreshes on 401 through withAuth", async () => {
    const { clock, emulator, send } = setup({ tokenExpiresIn: 120 });
    const app = {
      region: "us" as const,
      baseUrl: "http://clio.test",
      clientId: "cid",
      clientSecret: "sec",
      redirectUri: "https://lex.test/cb",
    };
    const url = new URL(clioAuthorizeUrl(app, "st-1"));
    assert.equal(url.pathname, "/oauth/authorize");
    const redirect = await emulator.app.request(url.pathname + url.search);
    const back = new URL(redirect.headers.get("Location")!);
    assert.equal(back.searchParams.get("state"), "st-1");
    const tokens = await exchangeClioCode(send, app, clock, back.searchParams.get("code")!);
    assert.ok(tokens.ok);
    assert.equal(tokens.value.expiresAt, clock.now() + 120_000);
    const refreshed = await refreshClioToken(send, app, clock, tokens.value.refreshToken);
    assert.ok(refreshed.ok);
    assert.equal(refreshed.value.refreshToken, tokens.value.refreshToken, "refresh token kept");
    const wrongRegion = await exchangeClioCode(send, { ...app, clientSecret: "" }, clock, "nope");
    assert.ok(!wrongRegion.ok && wrongRegion.error.code === "clio_oauth_invalid_grant");

    const source = clioTokenSource({
      send,
      app,
      clock,
      initial: { accessToken: tokens.value.accessToken, refreshToken: tokens.value.refreshToken },
    });
    const client = new ClioClient({ send: withAuth(send, source), baseUrl: "http://clio.test" });
    await clock.advance(121_000);
    const me = await client.get("users/who_am_i", ClioContact, { fields: "id,name" });
    assert.ok(me.ok, "401 → refresh → retry");
    assert.notEqual(source.current().accessToken, tokens.value.accessToken);
  });
});
