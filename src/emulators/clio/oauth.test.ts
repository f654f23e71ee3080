import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerConsent } from "../../testing/consent-form.ts";
import { harness } from "./test-helpers.ts";

const REDIRECT = "https://app.example.test/callback";

type App = { request: (p: string, i?: RequestInit) => Response | Promise<Response> };

/** The authorize page, answered by the person (Connect unless told otherwise). */
async function authorize(app: App, decision: "allow" | "deny" = "allow") {
  const page = await app.request(
    `/oauth/authorize?response_type=code&client_id=abc&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`,
  );
  const r = await answerConsent(page, decision, (url, init) => app.request(url, init));
  return { status: r.status, location: new URL(r.headers.get("Location") ?? "http://none") };
}

async function token(
  app: { request: (p: string, i: RequestInit) => Response | Promise<Response> },
  form: Record<string, string>,
) {
  const r = await app.request("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe("Clio emulator OAuth (clio-api.md §1.3)", () => {
  it("shows a consent page; Connect redirects with code and state, Cancel with error=access_denied", async () => {
    const { emulator } = harness();
    const page = await emulator.app.request(
      `/oauth/authorize?response_type=code&client_id=abc&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`,
    );
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const ok = await authorize(emulator.app);
    assert.equal(ok.status, 302);
    assert.ok(ok.location.searchParams.get("code"));
    assert.equal(ok.location.searchParams.get("state"), "xyz");
    assert.equal(ok.location.origin + ok.location.pathname, REDIRECT);
    const denied = await authorize(emulator.app, "deny");
    assert.equal(denied.location.searchParams.get("error"), "access_denied");
    assert.equal(denied.location.searchParams.get("state"), "xyz");
    assert.equal(denied.location.searchParams.get("code"), null);
  });

  it("a consent form is answered once; a made-up one is refused", async () => {
    const { emulator } = harness();
    const page = await emulator.app.request(
      `/oauth/authorize?response_type=code&client_id=abc&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    );
    const html = await page.text();
    const replay = () =>
      answerConsent(new Response(html), "allow", (url, init) => emulator.app.request(url, init));
    assert.equal((await replay()).status, 302);
    assert.equal((await replay()).status, 400);
  });

  it("with autoApprove, approves at once; decision=deny declines", async () => {
    const { emulator } = harness({ autoApprove: true });
    const at = (extra: string) =>
      emulator.app.request(
        `/oauth/authorize?response_type=code&client_id=abc&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s${extra}`,
      );
    const ok = new URL((await at("")).headers.get("Location")!);
    assert.ok(ok.searchParams.get("code"));
    const denied = new URL((await at("&decision=deny")).headers.get("Location")!);
    assert.equal(denied.searchParams.get("error"), "access_denied");
  });

  it("exchanges a code once for a 30-day bearer token and a refresh token", async () => {
    const { emulator } = harness();
    const code = (await authorize(emulator.app)).location.searchParams.get("code")!;
    const form = {
      grant_type: "authorization_code",
      code,
      client_id: "abc",
      client_secret: "s",
      redirect_uri: REDIRECT,
    };
    const t = await token(emulator.app, form);
    assert.equal(t.status, 200);
    assert.equal(t.json.token_type, "bearer");
    assert.equal(t.json.expires_in, 2_592_000);
    assert.ok(t.json.access_token && t.json.refresh_token);
    const api = await emulator.app.request("/api/v4/users/who_am_i.json", {
      headers: { Authorization: `Bearer ${t.json.access_token}` },
    });
    assert.equal(api.status, 200);
    assert.equal((await token(emulator.app, form)).status, 400, "a code is single-use");
  });

  it("refresh keeps the refresh token (not rotated, reusable) and returns no new one", async () => {
    const { emulator } = harness();
    const code = (await authorize(emulator.app)).location.searchParams.get("code")!;
    const first = await token(emulator.app, {
      grant_type: "authorization_code",
      code,
      client_id: "abc",
      client_secret: "s",
      redirect_uri: REDIRECT,
    });
    const refresh = {
      grant_type: "refresh_token",
      refresh_token: String(first.json.refresh_token),
      client_id: "abc",
      client_secret: "s",
    };
    const a = await token(emulator.app, refresh);
    const b = await token(emulator.app, refresh);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(a.json.refresh_token, undefined);
    assert.notEqual(a.json.access_token, first.json.access_token);
  });

  it("answers 401 invalid_token with the OAuth body for a missing, expired or revoked token", async () => {
    const h = harness({ tokenExpiresIn: 60 });
    const none = await h.emulator.app.request("/api/v4/contacts.json");
    assert.equal(none.status, 401);
    assert.deepEqual(Object.keys((await none.json()) as object).sort(), ["error", "error_description"]);
    await h.clock.advance(61_000);
    const expired = await h.api("GET", "contacts.json");
    assert.equal(expired.status, 401);
    assert.equal(expired.json.error, "invalid_token");
  });

  it("deauthorize revokes the token", async () => {
    const h = harness();
    const r = await h.emulator.app.request("/oauth/deauthorize", {
      method: "POST",
      headers: { Authorization: `Bearer ${h.token}` },
    });
    assert.equal(r.status, 200);
    assert.equal((await h.api("GET", "contacts.json")).status, 401);
  });

  it("accepts any client by default and only registered apps when required", async () => {
    const { emulator } = harness({ requireRegisteredApps: true });
    const page = (redirect: string) =>
      emulator.app.request(
        `/oauth/authorize?response_type=code&client_id=abc&redirect_uri=${encodeURIComponent(redirect)}`,
      );
    assert.equal((await page(REDIRECT)).status, 401);
    await emulator.app.request("/__admin/apps", {
      method: "POST",
      body: JSON.stringify({ client_id: "abc", client_secret: "s", redirect_uris: [REDIRECT] }),
    });
    // Redirect URIs match exactly: a trailing slash or another port is another address.
    assert.equal((await page(`${REDIRECT}/`)).status, 400);
    assert.equal((await page(REDIRECT.replace("https:", "http:"))).status, 400);
    const code = (await authorize(emulator.app)).location.searchParams.get("code")!;
    const bad = await token(emulator.app, {
      grant_type: "authorization_code",
      code,
      client_id: "abc",
      client_secret: "wrong",
      redirect_uri: REDIRECT,
    });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.error, "invalid_client");
  });

  it("keeps regions apart: a token of one instance is unknown to another", async () => {
    const us = harness({ region: "us" });
    const eu = harness({ region: "eu" });
    const r = await eu.emulator.app.request("/api/v4/contacts.json", {
      headers: { Authorization: `Bearer ${us.token}` },
    });
    assert.equal(r.status, 401);
    assert.match(us.token, /^us-/);
  });
});
