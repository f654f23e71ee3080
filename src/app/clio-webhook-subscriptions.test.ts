import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Hono } from "hono";
import { ClioClient, clioRateKey } from "../clio/client.ts";
import { ClioContact } from "../clio/schemas/index.ts";
import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { SecretBox } from "../core/secret-box.ts";
import { type RunningClioEmulator, startClioEmulator } from "../emulators/clio/index.ts";
import { fetchTransport } from "../http/transport.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { registerWebhooks } from "../web/webhooks/routes.ts";
import type { NamedRecord } from "../web/webhooks/webhook-deps.ts";
import { ClioWebhookSubscriptions } from "./clio-webhook-subscriptions.ts";

const DAY = 86_400_000;
const HOOK_URL = "http://127.0.0.1:4999/webhooks/clio";

/**
 * Serve's Clio subscriptions against the Clio emulator (real HTTP for the API; the emulator's
 * handshakes and deliveries reach the real receiver in-process), on one injected clock, so 30
 * days pass at once.
 */
describe("Clio webhook subscriptions", () => {
  let clock: FakeClock;
  let clio: RunningClioEmulator;
  let client: ClioClient;
  let store: SqliteStore;
  const box = new SecretBox(SecretBox.generateKey());
  let current: ClioWebhookSubscriptions | undefined;
  let received: NamedRecord[];

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 5, 1));
    received = [];
    const receiver = new Hono();
    registerWebhooks(receiver as never, {
      store: new SqliteStore(":memory:"),
      clock,
      logger: silentLogger,
      dedupTtlMs: DAY,
      clio: () => ({
        secrets: current?.list() ?? [],
        expectingHandshake: current?.expectingHandshake() ?? false,
      }),
      qbo: undefined,
      onChange: (_p, _at, records) => received.push(...records),
    });
    clio = await startClioEmulator({
      port: 0,
      clock,
      rateLimitPerMinute: 1_000_000,
      fetchImpl: (async (url: string, init: RequestInit) => receiver.request(url, init)) as typeof fetch,
    });
    const token = clio.emulator.issueToken().access_token;
    client = new ClioClient({
      send: fetchTransport(fetch),
      baseUrl: clio.url,
      accessToken: token,
      rateKey: clioRateKey(token),
    });
    store = new SqliteStore(":memory:");
  });

  afterEach(async () => {
    await current?.stop();
    current = undefined;
    await clio.close();
  });

  const subscriptions = (url = HOOK_URL, checkEveryMs = 24 * DAY) => {
    current = new ClioWebhookSubscriptions({
      client,
      store,
      box,
      clock,
      logger: silentLogger,
      url,
      checkEveryMs,
    });
    return current;
  };
  const hooks = () => [...clio.emulator.state.all("webhooks")];

  it("subscribes to contacts and bills for 30 days, completes the handshake, and keeps the secrets sealed", async () => {
    const subs = subscriptions();
    await subs.start();
    await clio.emulator.webhooks.idle();
    assert.deepEqual(
      hooks()
        .map((h) => [h.model, h.status, h.url, h.expires_at - clock.now()])
        .sort(),
      [
        ["bill", "enabled", HOOK_URL, 30 * DAY],
        ["contact", "enabled", HOOK_URL, 30 * DAY],
      ],
    );
    assert.ok(
      subs.list().every((s) => s.status === "enabled"),
      "serve knows them enabled too",
    );
    assert.deepEqual(
      subs
        .list()
        .map((s) => s.secret)
        .sort(),
      hooks()
        .map((h) => h.shared_secret)
        .sort(),
    );
    const stored = (await store.getKv("clio:webhook-subscriptions")) ?? "";
    for (const h of hooks()) assert.ok(!stored.includes(h.shared_secret), "no secret in plain text");
  });

  it("delivers a contact change, signed, to the receiver, which names the contact", async () => {
    await subscriptions().start();
    const made = await fetch(`${clio.url}/__admin/contacts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "Person", first_name: "Jane", last_name: "Doe" }),
    });
    const id = ((await made.json()) as { data: { id: number } }).data.id;
    const renamed = await client.update(`contacts/${id}`, ClioContact, { first_name: "Janet" });
    assert.ok(renamed.ok);
    await clio.emulator.webhooks.idle();
    assert.deepEqual(received, [
      { kind: "contact", id: String(id), event: "created" },
      { kind: "contact", id: String(id), event: "updated" },
    ]);
    assert.ok(clio.emulator.webhooks.log.every((d) => d.status === 200));
  });

  it("reuses its subscriptions after a restart instead of making new ones", async () => {
    await subscriptions().start();
    const ids = hooks().map((h) => h.id);
    await current?.stop();
    const again = subscriptions();
    await again.start();
    assert.deepEqual(
      hooks().map((h) => h.id),
      ids,
    );
    assert.deepEqual(
      again
        .list()
        .map((s) => s.id)
        .sort(),
      [...ids].sort(),
    );
  });

  it("leaves a subscription alone while more than 7 days are left, and renews it after", async () => {
    await subscriptions(HOOK_URL, 22 * DAY).start();
    const before = hooks().map((h) => [h.id, h.expires_at]);
    await clock.advance(22 * DAY); // the timer's check: 8 days left
    await current?.check();
    assert.deepEqual(
      hooks().map((h) => [h.id, h.expires_at]),
      before,
    );
    await clock.advance(2 * DAY); // 6 days left at the next check
    await current?.check();
    assert.deepEqual(
      hooks().map((h) => [h.id, h.expires_at]),
      before.map(([id]) => [id, clock.now() + 30 * DAY]),
      "the same subscriptions, 30 days from now",
    );
    assert.ok(current?.list().every((s) => s.expiresAt === clock.now() + 30 * DAY));
  });

  it("makes a subscription anew when Clio lost it", async () => {
    await subscriptions(HOOK_URL, 24 * DAY).start();
    const lost = hooks().find((h) => h.model === "contact")!;
    clio.emulator.state.remove("webhooks", lost.id);
    await clock.advance(24 * DAY);
    await current?.check();
    const contact = hooks().filter((h) => h.model === "contact");
    assert.equal(contact.length, 1);
    assert.notEqual(contact[0]?.id, lost.id);
    assert.equal(current?.list().find((s) => s.model === "contact")?.id, contact[0]?.id);
  });

  it("replaces a subscription Clio suspended (at the next check, renewal or not)", async () => {
    await subscriptions(HOOK_URL, 3_600_000).start();
    const bill = hooks().find((h) => h.model === "bill")!;
    clio.emulator.state.update("webhooks", bill.id, { status: "suspended" });
    await clock.advance(3_600_000);
    await current?.check();
    const bills = hooks().filter((h) => h.model === "bill");
    assert.deepEqual(
      bills.map((h) => h.status),
      ["enabled"],
      "the suspended one is deleted",
    );
    assert.notEqual(bills[0]?.id, bill.id);
  });

  it("moves to a new publicUrl: the old subscriptions are deleted, new ones made", async () => {
    await subscriptions().start();
    await current?.stop();
    const moved = "http://localhost:4999/webhooks/clio";
    await subscriptions(moved).start();
    assert.deepEqual(
      hooks().map((h) => h.url),
      [moved, moved],
    );
  });
});
