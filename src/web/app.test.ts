import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { DASHBOARD_PASSWORD, dashboardApp } from "../testing/dashboard-app.ts";
import { LOOPBACK_HOSTNAMES, servedHostnames } from "./host-check.ts";
import { SESSION_COOKIE, SESSION_TTL_MS } from "./sessions.ts";

const PASSWORD = DASHBOARD_PASSWORD;
const dashboard = dashboardApp;

describe("dashboard security", () => {
  let d: Awaited<ReturnType<typeof dashboard>>;
  beforeEach(async () => {
    d = await dashboard();
  });

  it("sends an anonymous request for any page to the login, and serves only the public paths", async () => {
    for (const path of [
      "/",
      "/status",
      "/matches",
      "/connections",
      "/reconciliation",
      "/reconciliation.csv",
      "/audit",
      "/audit.csv",
      "/settings",
      "/status?code=x",
      "/nowhere",
    ]) {
      const response = await d.request(path);
      assert.equal(response.status, 303, path);
      assert.match(response.headers.get("location") ?? "", /^\/login/, path);
    }
    const post = await d.request("/status/resync", { method: "POST", body: "id=1" });
    assert.equal(post.status, 303);
    assert.equal(post.headers.get("location"), "/login");
    assert.equal(d.passes(), 0);
    const health = await d.request("/healthz");
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
    assert.equal((await d.request("/assets/pico.min.css")).status, 200);
    assert.equal((await d.request("/favicon.ico")).status, 204, "no icon, and no 404 or login redirect");
    assert.equal((await d.request("/login")).status, 200);
  });

  it("refuses a wrong password and logs in with the right one: an HttpOnly, SameSite cookie", async () => {
    const wrong = await d.login("not the password");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("set-cookie"), null);
    const right = await d.login();
    assert.equal(right.status, 303);
    assert.equal(right.headers.get("location"), "/status");
    const cookie = right.headers.get("set-cookie") ?? "";
    assert.match(cookie, new RegExp(`^${SESSION_COOKIE}=[\\w-]{43};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/, "plain http on localhost");
  });

  it("marks the cookie Secure behind an https proxy only when trustProxy says so", async () => {
    const forwarded = { "X-Forwarded-Proto": "https" };
    assert.doesNotMatch((await d.login(PASSWORD, forwarded)).headers.get("set-cookie") ?? "", /Secure/);
    const proxied = await dashboard({ trustProxy: true });
    const response = await proxied.login(PASSWORD, { ...forwarded, Origin: "https://127.0.0.1:4000" });
    assert.equal(response.status, 303);
    assert.match(response.headers.get("set-cookie") ?? "", /Secure/);
  });

  it("refuses a state-changing request without the session's CSRF token, or from another origin", async () => {
    const { cookie, token } = await d.session();
    await d.store.commit(
      { issues: [{ key: "k", code: "qbo_duplicate_name", message: "m", entity: "contact" }] },
      1,
    );
    const [issue] = await d.store.listIssues();
    const body = (extra: Record<string, string>) => new URLSearchParams({ id: String(issue!.id), ...extra });
    const missing = await d.request("/status/resync", { method: "POST", cookie, body: body({}) });
    assert.equal(missing.status, 403);
    const wrong = await d.request("/status/resync", {
      method: "POST",
      cookie,
      body: body({ _csrf: `${token}x` }),
    });
    assert.equal(wrong.status, 403);
    const foreign = await d.request("/status/resync", {
      method: "POST",
      cookie,
      body: body({ _csrf: token }),
      headers: { Origin: "http://evil.test" },
    });
    assert.equal(foreign.status, 403, "hono/csrf: the Origin must be this site");
    assert.equal(d.passes(), 0);
    const good = await d.request("/status/resync", { method: "POST", cookie, body: body({ _csrf: token }) });
    assert.equal(good.status, 303);
    assert.equal(d.passes(), 1);
    assert.equal((await d.store.getIssue(issue!.id))?.retryRequested, true);
  });

  it("answers the sixth failed login within a minute with 429, even with the right password", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await d.login("wrong")).status, 401);
    const blocked = await d.login();
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get("retry-after"), "60");
    await d.clock.advance(60_000);
    assert.equal((await d.login()).status, 303);
  });

  it("ends a session at logout and when it expires", async () => {
    const first = await d.session();
    assert.equal((await d.request("/status", { cookie: first.cookie })).status, 200);
    const out = await d.request("/logout", {
      method: "POST",
      cookie: first.cookie,
      body: `_csrf=${first.token}`,
    });
    assert.equal(out.status, 303);
    assert.equal((await d.request("/status", { cookie: first.cookie })).status, 303, "logged out");
    const second = await d.session();
    await d.clock.advance(SESSION_TTL_MS);
    assert.equal((await d.request("/status", { cookie: second.cookie })).status, 303, "expired");
  });

  it("sends a Content-Security-Policy that allows only its own script file and no framing", async () => {
    const csp = (await d.request("/login")).headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/, "no inline script, no other origin");
    assert.match(csp, /connect-src 'self'(;|$)/);
  });

  it("returns to a local page after login, never to another site", async () => {
    const login = (next: string) =>
      d.request("/login", {
        method: "POST",
        body: new URLSearchParams({ user: "admin", password: PASSWORD, next }),
      });
    assert.equal((await login("/matches")).headers.get("location"), "/matches");
    assert.equal((await login("//evil.test/x")).headers.get("location"), "/status");
    assert.equal((await login("https://evil.test")).headers.get("location"), "/status");
  });

  it("refuses a body over 64 KiB unread, even on the login", async () => {
    const response = await d.request("/login", {
      method: "POST",
      body: `user=admin&password=${"x".repeat(70 * 1024)}`,
    });
    assert.equal(response.status, 413);
  });

  it("lets a logged-in browser log in again from an old login page (no session token there)", async () => {
    const { cookie } = await d.session();
    const again = await d.request("/login", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ user: "admin", password: PASSWORD }),
    });
    assert.equal(again.status, 303);
  });

  it("on loopback, answers only to this machine's names (DNS rebinding)", async () => {
    const local = await dashboard({ allowedHostnames: LOOPBACK_HOSTNAMES });
    assert.equal((await local.request("/healthz")).status, 200);
    // node-server builds the request URL from the Host header the browser sent.
    const rebound = await local.app.request("http://attacker.test/login", {
      method: "POST",
      body: new URLSearchParams({ user: "admin", password: PASSWORD }),
      headers: { Origin: "http://attacker.test", "Content-Type": "application/x-www-form-urlencoded" },
    });
    assert.equal(rebound.status, 421);
  });

  it("on loopback with a publicUrl, answers to its host too (a proxy that keeps Host), and still to no other", async () => {
    const proxied = await dashboard({ allowedHostnames: servedHostnames("https://sync.example.com/lb") });
    assert.equal((await proxied.app.request("http://sync.example.com/healthz")).status, 200);
    assert.equal((await proxied.app.request("http://127.0.0.1:4000/healthz")).status, 200);
    assert.equal((await proxied.app.request("http://attacker.test/healthz")).status, 421);
    assert.deepEqual(servedHostnames(undefined), LOOPBACK_HOSTNAMES);
  });
});
