import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { ServeMetrics } from "../app/metrics.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { registerMetricsRoute } from "./metrics-route.ts";
import { listen, type RunningWebServer } from "./server.ts";
import type { WebEnv } from "./web-env.ts";

const TOKEN = "a-metrics-token-of-some-length";

/** /metrics on a real socket (the loopback rule reads the peer address), with and without a token. */
describe("/metrics", () => {
  const store = new SqliteStore(":memory:");
  const metrics = new ServeMetrics(store);
  let open: RunningWebServer;
  let guarded: RunningWebServer;
  let openApp: Hono<WebEnv>;

  before(async () => {
    openApp = new Hono<WebEnv>();
    registerMetricsRoute(openApp, { metrics, token: undefined });
    const guardedApp = new Hono<WebEnv>();
    registerMetricsRoute(guardedApp, { metrics, token: TOKEN });
    open = await listen(openApp.fetch, "127.0.0.1", 0);
    guarded = await listen(guardedApp.fetch, "127.0.0.1", 0);
  });
  after(async () => {
    await open.close();
    await guarded.close();
    await store.close();
  });

  it("serves the Prometheus text format to a scraper on this machine", async () => {
    await store.commit(
      {
        issues: [
          { key: "contact:1", code: "qbo_duplicate_name", message: "m", entity: "contact" },
          { key: "contact:2", code: "qbo_duplicate_name", message: "m", entity: "contact" },
          { key: "bill:3", code: "sync_link_broken", message: "m", entity: "bill" },
        ],
      },
      1,
    );
    metrics.passFinished(true, 2.5, { written: { succeeded: 4, failed: 1 } });
    metrics.passFinished(false, 0.1, undefined);
    metrics.delivery("clio", "accepted");
    metrics.delivery("qbo", "forged");
    metrics.rateLimitWait("clio", 1500);
    metrics.changeLatency("clio", 3.2);
    const res = await fetch(`${open.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const line of [
      'lexbridge_sync_passes_total{outcome="ok"} 1',
      'lexbridge_sync_passes_total{outcome="failed"} 1',
      'lexbridge_writes_total{outcome="succeeded"} 4',
      'lexbridge_writes_total{outcome="failed"} 1',
      'lexbridge_sync_status_items{code="qbo_duplicate_name"} 2',
      'lexbridge_sync_status_items{code="sync_link_broken"} 1',
      'lexbridge_webhook_deliveries_total{provider="clio",outcome="accepted"} 1',
      'lexbridge_webhook_deliveries_total{provider="qbo",outcome="forged"} 1',
      'lexbridge_rate_limit_waits_total{provider="clio"} 1',
      'lexbridge_rate_limit_wait_seconds_total{provider="clio"} 1.5',
      'lexbridge_change_latency_seconds_bucket{le="5",provider="clio"} 1',
      'lexbridge_change_latency_seconds_count{provider="clio"} 1',
    ])
      assert.ok(text.split("\n").includes(line), `missing: ${line}`);
  });

  it("drops a code from the gauge once its items are resolved", async () => {
    await store.commit({ resolveIssues: ["bill:3"] }, 2);
    const text = await (await fetch(`${open.url}/metrics`)).text();
    assert.ok(!text.includes('code="sync_link_broken"'));
  });

  it("without a token, refuses what a proxy forwarded and what has no loopback peer", async () => {
    const forwarded = await fetch(`${open.url}/metrics`, { headers: { "X-Forwarded-For": "203.0.113.9" } });
    assert.equal(forwarded.status, 403);
    const rfc7239 = await fetch(`${open.url}/metrics`, { headers: { Forwarded: "for=203.0.113.9" } });
    assert.equal(rfc7239.status, 403);
    const noSocket = await openApp.request("http://127.0.0.1/metrics");
    assert.equal(noSocket.status, 403);
  });

  it("with a token, wants it as a bearer token from anyone, loopback included", async () => {
    assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
    const wrong = await fetch(`${guarded.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 401);
    const basic = await fetch(`${guarded.url}/metrics`, { headers: { Authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.status, 401);
    const right = await fetch(`${guarded.url}/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}`, "X-Forwarded-For": "203.0.113.9" },
    });
    assert.equal(right.status, 200);
    assert.match(await right.text(), /lexbridge_sync_passes_total/);
  });
});
