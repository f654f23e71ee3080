/** Conformance with reference/qbo-api.md §14 items 8–10 (OAuth, webhooks, fault injection) and the admin API. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerConsent } from "../../testing/consent-form.ts";
import { signPayload } from "./index.ts";
import { kit } from "./test-kit.ts";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

async function tokenCall(
  t: ReturnType<typeof kit>,
  form: Record<string, string>,
  auth = basic("app", "secret"),
) {
  const res = await t.emu.fetch("http://qbo.test/oauth2/v1/tokens/bearer", {
    method: "POST",
    headers: {
      authorization: auth,
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

function authorizePage(t: ReturnType<typeof kit>, clientId = "app", redirect = "https://app.test/cb") {
  return t.emu.fetch(
    `http://qbo.test/connect/oauth2?client_id=${clientId}&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri=${encodeURIComponent(redirect)}&state=xyz`,
    { redirect: "manual" },
  );
}

/** The authorize page answered by the person: Connect (the default company) unless told otherwise. */
async function authorize(
  t: ReturnType<typeof kit>,
  clientId = "app",
  redirect = "https://app.test/cb",
  decision: "allow" | "deny" = "allow",
) {
  const page = await authorizePage(t, clientId, redirect);
  return answerConsent(page, decision, (url, init) =>
    t.emu.fetch(new URL(url, "http://qbo.test").toString(), init),
  );
}

describe("§14.8 OAuth server and 401/3200", () => {
  it("authorize redirects with code, state and realmId; the code exchanges once for 3600 s tokens", async () => {
    const t = kit();
    const res = await authorize(t);
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get("location")!);
    assert.equal(loc.searchParams.get("state"), "xyz");
    assert.equal(loc.searchParams.get("realmId"), t.realm);
    const code = loc.searchParams.get("code")!;
    const tok = await tokenCall(t, {
      grant_type: "authorization_code",
      code,
      redirect_uri: "https://app.test/cb",
    });
    assert.equal(tok.status, 200);
    assert.equal(tok.body.expires_in, 3600);
    assert.equal(tok.body.token_type, "bearer");
    const again = await tokenCall(t, {
      grant_type: "authorization_code",
      code,
      redirect_uri: "https://app.test/cb",
    });
    assert.equal(again.body.error, "invalid_grant");
    const api = await t.call("GET", "/preferences", undefined, {
      authorization: `Bearer ${tok.body.access_token}`,
    });
    assert.equal(api.status, 200);
    await t.clock.advance(3600_000);
    const expired = await t.call("GET", "/preferences", undefined, {
      authorization: `Bearer ${tok.body.access_token}`,
    });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.fault.error[0].code, "3200");
  });

  it("shows a consent page first; Cancel redirects with error=access_denied and the state", async () => {
    const t = kit();
    const page = await authorizePage(t);
    assert.equal(page.status, 200);
    const html = await page.clone().text();
    assert.match(html, /Sample Law Firm LLP/);
    const denied = await answerConsent(page, "deny", (url, init) =>
      t.emu.fetch(new URL(url, "http://qbo.test").toString(), init),
    );
    const loc = new URL(denied.headers.get("location")!);
    assert.equal(loc.searchParams.get("error"), "access_denied");
    assert.equal(loc.searchParams.get("state"), "xyz");
    assert.equal(loc.searchParams.get("code"), null);
  });

  it("with autoApprove the authorize address redirects at once", async () => {
    const t = kit({ autoApprove: true });
    const res = await authorizePage(t);
    assert.equal(res.status, 302);
    assert.ok(new URL(res.headers.get("location")!).searchParams.get("code"));
  });

  it("revoke accepts the token form-encoded (as node-quickbooks sends it) as well as JSON", async () => {
    const t = kit();
    const first = t.emu.issueTokens();
    const res = await t.emu.fetch("http://qbo.test/v2/oauth2/tokens/revoke", {
      method: "POST",
      headers: { authorization: basic("app", "secret"), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: first.refresh_token }).toString(),
    });
    assert.equal(res.status, 200);
    const after = await tokenCall(t, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    assert.equal(after.body.error, "invalid_grant");
    const empty = await t.emu.fetch("http://qbo.test/v2/oauth2/tokens/revoke", {
      method: "POST",
      headers: { authorization: basic("app", "secret"), "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    assert.equal(empty.status, 400);
  });

  it("refresh rotates the refresh token; the previous one works for the grace period; revoke ends all", async () => {
    const t = kit();
    const first = t.emu.issueTokens();
    const r1 = await tokenCall(t, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, first.refresh_token);
    await t.clock.advance(3600_000);
    assert.equal(
      (await tokenCall(t, { grant_type: "refresh_token", refresh_token: first.refresh_token })).status,
      200,
    );
    await t.clock.advance(24 * 3600_000);
    const late = await tokenCall(t, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    assert.equal(late.body.error, "invalid_grant");
    const res = await t.emu.fetch("http://qbo.test/v2/oauth2/tokens/revoke", {
      method: "POST",
      headers: { authorization: basic("app", "secret"), "content-type": "application/json" },
      body: JSON.stringify({ token: r1.body.refresh_token }),
    });
    assert.equal(res.status, 200);
    assert.equal(
      (await tokenCall(t, { grant_type: "refresh_token", refresh_token: r1.body.refresh_token })).status,
      400,
    );
  });

  it("registered apps get invalid_client for bad credentials and redirect_uri checks", async () => {
    const t = kit();
    await t.call("POST", "/__admin/apps", {
      clientId: "real",
      clientSecret: "s3cret",
      redirectUris: ["https://app.test/cb"],
    });
    assert.equal((await authorizePage(t, "real", "https://evil.test/cb")).status, 400);
    assert.equal((await authorizePage(t, "real", "https://app.test/cb/")).status, 400, "exact match only");
    const ok = await authorize(t, "real");
    const code = new URL(ok.headers.get("location")!).searchParams.get("code")!;
    const bad = await tokenCall(
      t,
      { grant_type: "authorization_code", code, redirect_uri: "https://app.test/cb" },
      basic("real", "wrong"),
    );
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, "invalid_client");
    const good = await tokenCall(
      t,
      { grant_type: "authorization_code", code, redirect_uri: "https://app.test/cb" },
      basic("real", "s3cret"),
    );
    assert.equal(good.status, 200);
  });
});

describe("§14.9 webhooks", () => {
  it("batches changes into eventNotifications, signs with intuit-signature, retries on failure", async () => {
    const received: Array<{ body: string; signature: string | null }> = [];
    let fail = 1;
    const webhookFetch = (async (_url: string, init: RequestInit) => {
      received.push({
        body: String(init.body),
        signature: new Headers(init.headers).get("intuit-signature"),
      });
      if (fail-- > 0) return new Response("no", { status: 500 });
      return new Response("ok");
    }) as unknown as typeof fetch;
    const t = kit({ webhookFetch });
    await t.call("PUT", "/__admin/webhooks", {
      url: "https://hook.test/qbo",
      verifierToken: "verifier",
      windowMs: 1000,
    });
    const c = await t.create("Customer", { DisplayName: "Hooked" });
    await t.post("/customer", { Id: c.Id, SyncToken: "0", sparse: true, Notes: "n" });
    await t.clock.advance(1000);
    assert.equal(received.length, 1);
    const payload = JSON.parse(received[0]!.body);
    const entities = payload.eventNotifications[0].dataChangeEvent.entities;
    assert.equal(payload.eventNotifications[0].realmId, t.realm);
    assert.deepEqual(
      entities.map((e: { operation: string }) => e.operation),
      ["Create", "Update"],
    );
    assert.equal(received[0]!.signature, signPayload(received[0]!.body, "verifier"));
    await t.clock.advance(10_000);
    assert.equal(received.length, 2);
    assert.equal(received[1]!.body, received[0]!.body);
  });

  it("can send CloudEvents instead", async () => {
    const bodies: string[] = [];
    const webhookFetch = (async (_u: string, init: RequestInit) => {
      bodies.push(String(init.body));
      return new Response("ok");
    }) as unknown as typeof fetch;
    const t = kit({ webhookFetch });
    await t.call("PUT", "/__admin/webhooks", {
      url: "https://hook.test",
      verifierToken: "v",
      format: "cloudevents",
    });
    await t.create("Customer", { DisplayName: "Cloud" });
    await t.clock.advance(0);
    const events = JSON.parse(bodies[0]!);
    assert.equal(events[0].type, "qbo.customer.created.v1");
    assert.equal(events[0].intuitaccountid, t.realm);
  });
});

describe("§14.10 fault injection", () => {
  it("injects 429/500/503 by path and count, and connection resets", async () => {
    const t = kit();
    await t.call("PUT", "/__admin/faults", {
      rules: [
        { kind: "503", path: "/invoice", count: 1 },
        { kind: "500", path: "/customer", count: 1 },
        { kind: "429", path: "/preferences", count: 1 },
        { kind: "reset", path: "/companyinfo", count: 1 },
      ],
    });
    assert.equal((await t.get("/invoice/1")).status, 503);
    assert.equal((await t.get("/invoice/1")).status, 400);
    const five = await t.post("/customer", { DisplayName: "Not written" });
    assert.equal(five.status, 500);
    assert.equal((await t.query("select count(*) from Customer")).body.QueryResponse.totalCount, 0);
    assert.equal((await t.get("/preferences")).body.fault.error[0].code, "3001");
    await assert.rejects(t.get("/companyinfo/1"), /fetch failed/);
    assert.equal((await t.get("/companyinfo/1")).status, 200);
  });

  it("a lost answer: the write is carried out, the client sees a dropped connection, a replay returns it", async () => {
    const t = kit();
    await t.call("PUT", "/__admin/faults", { rules: [{ kind: "lost", path: "/customer", count: 1 }] });
    await assert.rejects(
      t.post("/customer?requestid=lost-1", { DisplayName: "Written once" }),
      /fetch failed/,
    );
    const replay = await t.post("/customer?requestid=lost-1", { DisplayName: "Written once" });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.Customer.DisplayName, "Written once");
    assert.equal((await t.query("select count(*) from Customer")).body.QueryResponse.totalCount, 1);
  });

  it("a rate-based rule is reproducible with a seed", async () => {
    const run = async () => {
      const t = kit();
      await t.call("PUT", "/__admin/faults", { seed: 7, rules: [{ kind: "500", rate: 0.5 }] });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await t.get("/preferences")).status);
      return out;
    };
    const a = await run();
    assert.deepEqual(a, await run());
    assert.ok(a.includes(500) && a.includes(200));
  });
});

describe("admin API", () => {
  it("export is deterministic without volatile data and imports back", async () => {
    const build = async (offset: number) => {
      const t = kit();
      await t.clock.advance(offset);
      const c = await t.create("Customer", { DisplayName: "Exp" });
      await t.create("Invoice", t.invoiceBody(c.Id, 12.34, { TxnDate: "2026-01-05" }));
      return t;
    };
    const a = await build(0);
    const b = await build(90_000);
    assert.deepEqual(a.emu.exportState({ volatile: false }), b.emu.exportState({ volatile: false }));
    assert.notDeepEqual(a.emu.exportState(), b.emu.exportState());
    const full = (await a.get("/__admin/state")).body;
    b.emu.importState(full);
    assert.deepEqual(b.emu.exportState(), a.emu.exportState());
  });

  it("edits a record as a user would: no SyncToken, still bumps SyncToken and CDC time", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Web Edit" });
    await t.clock.advance(5000);
    const r = await t.call("PATCH", `/__admin/realms/${t.realm}/customer/${c.Id}`, { CompanyName: "Edited" });
    assert.equal(r.body.Customer.SyncToken, "1");
    assert.equal(r.body.Customer.CompanyName, "Edited");
    const since = new Date(t.clock.now() - 1000).toISOString();
    const cdc = await t.get(`/cdc?entities=Customer&changedSince=${encodeURIComponent(since)}`);
    assert.equal(cdc.body.CDCResponse[0].QueryResponse[0].Customer[0].Id, c.Id);
  });

  it("loads a QboSeed through the normal create rules and resets", async () => {
    const t = kit();
    const res = t.emu.loadSeed({
      customers: [{ DisplayName: "Seed One" }, { DisplayName: "Seed Two" }],
      vendors: [{ DisplayName: "Seed Vendor" }],
      invoices: [{ customerDisplayName: "Seed Two", body: t.invoiceBody("0", 75) }],
    });
    assert.deepEqual(res, { customers: 2, vendors: 1, invoices: 1 });
    const c = (await t.query("select * from Customer where DisplayName = 'Seed Two'")).body.QueryResponse
      .Customer[0];
    assert.equal(c.Balance, 75);
    assert.throws(() =>
      t.emu.loadSeed({ customers: [{ DisplayName: "Seed Vendor" }], vendors: [], invoices: [] }),
    );
    await t.call("POST", "/__admin/reset");
    assert.equal((await t.query("select * from Customer")).status, 401, "reset drops tokens");
    const token = t.emu.issueTokens().access_token;
    const after = await t.call(
      "GET",
      `/query?query=${encodeURIComponent("select count(*) from Customer")}`,
      undefined,
      {
        authorization: `Bearer ${token}`,
      },
    );
    assert.equal(after.body.QueryResponse.totalCount, 0);
  });
});
