import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, it } from "node:test";
import { DashboardConnect } from "../app/dashboard-connect.ts";
import { LiveProgress } from "../app/live-progress.ts";
import { defaultBudgets } from "../app/pass-budgets.ts";
import { loadConfig } from "../core/config.ts";
import { dashboardApp as dashboard } from "../testing/dashboard-app.ts";

/** Nothing listens here: starting a connection and refusing a callback need no provider. */
const NOWHERE = "http://127.0.0.1:9";
const CALLBACK = "http://localhost:4000/oauth/callback";

/**
 * The dashboard's connect routes and progress stream in-process (the browser test drives the
 * whole flow against the emulators): who may start a connection, what the callback refuses, and
 * that the stream is behind the login.
 */
describe("connect routes and the progress stream", () => {
  let d: Awaited<ReturnType<typeof dashboard>>;
  let changed: string[];
  let live: LiveProgress;

  beforeEach(async () => {
    changed = [];
    const config = loadConfig({
      flags: {
        dataDir: mkdtempSync(join(tmpdir(), "lexbridge-connect-routes-")),
        clioBaseUrl: NOWHERE,
        qboBaseUrl: NOWHERE,
        redirectUri: CALLBACK,
      },
    });
    live = new LiveProgress(() => 0, defaultBudgets());
    d = await dashboard({
      extra: (store, clock) => ({
        live,
        connect: new DashboardConnect({
          config: () => config,
          store,
          clock,
          onChanged: (p) => changed.push(p),
        }),
      }),
    });
  });

  it("sends a logged-in person to the provider with a state and the dashboard's callback", async () => {
    const { cookie } = await d.session();
    const response = await d.request("/connections/qbo/connect", { cookie });
    assert.equal(response.status, 303);
    const target = new URL(response.headers.get("location") ?? "");
    assert.equal(`${target.origin}${target.pathname}`, `${NOWHERE}/connect/oauth2`);
    assert.equal(target.searchParams.get("redirect_uri"), CALLBACK);
    assert.match(target.searchParams.get("state") ?? "", /^[\w-]{43}$/);
  });

  it("refuses to start a connection for another site's page or for an anonymous visitor", async () => {
    const { cookie } = await d.session();
    const crossSite = await d.request("/connections/clio/connect", {
      cookie,
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    assert.equal(crossSite.status, 403);
    const anonymous = await d.request("/connections/clio/connect");
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get("location") ?? "", /^\/login/);
  });

  it("shows a refused consent in the catalogue's words, and a replayed state as a mismatch", async () => {
    const { cookie } = await d.session();
    const start = await d.request("/connections/qbo/connect", { cookie });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const callback = `/oauth/callback?error=access_denied&state=${state}`;
    const denied = await d.request(callback);
    assert.equal(denied.status, 400);
    const text = await denied.text();
    assert.match(text, /data-code="oauth_consent_denied"/);
    assert.match(text, /Access was not granted/);
    assert.match(text, /Fix:/);
    const replayed = await (await d.request(callback)).text();
    assert.match(replayed, /data-code="oauth_state_mismatch"/);
    assert.deepEqual(changed, [], "nothing was connected");
  });

  it("streams the pass's progress as server-sent events, only to a logged-in person", async () => {
    assert.equal((await d.request("/progress/stream")).status, 303);
    const { cookie } = await d.session();
    const response = await d.request("/progress/stream", { cookie });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^event: progress\ndata: \{"state":"idle"/);
    live.passStarted();
    const second = new TextDecoder().decode((await reader.read()).value);
    assert.match(second, /"state":"running"/);
    await reader.cancel();
  });
});
