import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { beforeEach, describe, it } from "node:test";
import { signClioWebhook } from "../../clio/webhooks.ts";
import { FakeClock } from "../../core/clock.ts";
import { createLogger } from "../../core/logger.ts";
import { SqliteStore } from "../../store/sqlite/sqlite-store.ts";
import { createWebApp } from "../app.ts";
import { WEBHOOK_BODY_LIMIT } from "./routes.ts";
import type { DeliveryOutcome, NamedRecord, WebhookDeps, WebhookProvider } from "./webhook-deps.ts";

const ORIGIN = "http://127.0.0.1:4000";
const REALM = "9130350000000001";
const VERIFIER = "qbo-verifier-token";
const CONTACT_SECRET = "contact-secret-0123456789abcdef";
const BILL_SECRET = "bill-secret-0123456789abcdef0000";

/**
 * The receivers in-process on an in-memory store, with the syncs they start and the log lines
 * they write collected. Two Clio subscriptions (contact 11, bill 12); QBO connected to REALM.
 */
function receivers(options: { expectingHandshake?: boolean; failStore?: boolean } = {}) {
  const store = new SqliteStore(":memory:");
  if (options.failStore)
    store.claimWebhookDelivery = async () => {
      throw new Error("disk full");
    };
  const clock = new FakeClock();
  const changes: Array<{ provider: WebhookProvider; records: NamedRecord[] }> = [];
  const outcomes: Array<[WebhookProvider, DeliveryOutcome]> = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: "info",
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const webhooks: WebhookDeps = {
    store,
    clock,
    logger,
    dedupTtlMs: 86_400_000,
    clio: () => ({
      secrets: [
        { id: 11, model: "contact", secret: CONTACT_SECRET },
        { id: 12, model: "bill", secret: BILL_SECRET },
      ],
      expectingHandshake: options.expectingHandshake ?? false,
    }),
    qbo: { verifierToken: VERIFIER, connectedRealm: async () => REALM },
    onChange: (provider, _at, records) => changes.push({ provider, records }),
    onOutcome: (provider, outcome) => outcomes.push([provider, outcome]),
  };
  const app = createWebApp({
    store,
    clock,
    logger,
    runner: { runNow: async () => {}, status: () => ({ running: false }) },
    readQboCustomer: async () => undefined,
    connectionStates: async () => [],
    trustProxy: false,
    webhooks,
  });
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    app.request(`${ORIGIN}${path}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", Origin: "https://app.clio.com", ...headers },
    });
  const clio = (body: string, secret = CONTACT_SECRET) =>
    post("/webhooks/clio", body, { "X-Hook-Signature": signClioWebhook(body, secret) });
  const qbo = (body: string, token = VERIFIER) =>
    post("/webhooks/qbo", body, {
      "intuit-signature": createHmac("sha256", token).update(body).digest("base64"),
    });
  return { app, store, clock, changes, outcomes, lines, webhooks, post, clio, qbo };
}

const clioBody = (id: number, webhookId = 11, etag = '"e1"') =>
  JSON.stringify({
    data: { id, etag, updated_at: "2026-01-01T00:00:00Z" },
    meta: { event: "updated", webhook_id: webhookId },
  });

const cloudEvent = (id: string, entityId: string, realm = REALM) => ({
  specversion: "1.0",
  id,
  source: "intuit.test",
  type: "qbo.customer.updated.v1",
  datacontenttype: "application/json",
  time: "2026-02-03T18:11:12.123Z",
  intuitentityid: entityId,
  intuitaccountid: realm,
  data: {},
});

const legacy = (realm: string, entities: Array<Record<string, string>>) =>
  JSON.stringify({ eventNotifications: [{ realmId: realm, dataChangeEvent: { entities } }] });

describe("Clio webhook receiver", () => {
  let r: ReturnType<typeof receivers>;
  beforeEach(() => {
    r = receivers();
  });

  it("takes a delivery signed with a subscription's secret and starts a sync of the record it names", async () => {
    const res = await r.clio(clioBody(501));
    assert.equal(res.status, 200);
    const bill = await r.clio(clioBody(777, 12), BILL_SECRET);
    assert.equal(bill.status, 200);
    assert.deepEqual(r.changes, [
      { provider: "clio", records: [{ kind: "contact", id: "501", event: "updated" }] },
      { provider: "clio", records: [{ kind: "bill", id: "777", event: "updated" }] },
    ]);
  });

  it("refuses a bad, missing, wrongly long or prefixed signature with 401 and a log line", async () => {
    const body = clioBody(501);
    const good = signClioWebhook(body, CONTACT_SECRET);
    const cases: Record<string, Record<string, string>> = {
      bad: { "X-Hook-Signature": signClioWebhook(body, "another secret") },
      missing: {},
      short: { "X-Hook-Signature": good.slice(0, 62) },
      long: { "X-Hook-Signature": `${good}00` },
      prefixed: { "X-Hook-Signature": `sha256=${good}` },
      "other body": { "X-Hook-Signature": signClioWebhook(clioBody(502), CONTACT_SECRET) },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await r.post("/webhooks/clio", body, headers);
      assert.equal(res.status, 401, name);
    }
    assert.equal(r.changes.length, 0);
    const forged = r.lines.filter((l) => l.outcome === "forged");
    assert.equal(forged.length, 6);
    assert.ok(forged.every((l) => l.level === 40 && l.provider === "clio" && l.from === "unknown"));
  });

  it("answers a replayed delivery 200 and changes nothing; a new version of the record counts again", async () => {
    assert.equal((await r.clio(clioBody(501))).status, 200);
    const replay = await r.clio(clioBody(501));
    assert.equal(replay.status, 200);
    assert.equal(await replay.text(), "already received");
    assert.equal(r.changes.length, 1, "the replay started nothing");
    assert.equal((await r.clio(clioBody(501, 11, '"e2"'))).status, 200);
    assert.equal(r.changes.length, 2, "the next change of the record did");
    assert.deepEqual(
      r.outcomes.map(([, o]) => o),
      ["accepted", "duplicate", "accepted"],
    );
  });

  it("refuses a signed body that is not a delivery with 400", async () => {
    for (const body of [
      "not json",
      "{}",
      '{"data":{"id":"x"},"meta":{"event":"updated","webhook_id":11}}',
      "[]",
    ]) {
      const res = await r.clio(body);
      assert.equal(res.status, 400, body);
    }
    assert.equal(r.changes.length, 0);
  });

  it("refuses a body over the limit with 413 before checking anything", async () => {
    const big = new Uint8Array(WEBHOOK_BODY_LIMIT + 1).fill(0x20);
    const res = await r.post("/webhooks/clio", big, {
      "X-Hook-Signature": signClioWebhook(big, CONTACT_SECRET),
    });
    assert.equal(res.status, 413);
    assert.deepEqual(r.outcomes, [["clio", "oversized"]]);
  });

  it("echoes the handshake of a subscription of ours, or while one is being created; refuses others", async () => {
    const known = await r.post("/webhooks/clio", '{"data":{"id":11}}', { "X-Hook-Secret": CONTACT_SECRET });
    assert.equal(known.status, 200);
    assert.equal(known.headers.get("X-Hook-Secret"), CONTACT_SECRET);
    const stranger = await r.post("/webhooks/clio", "{}", { "X-Hook-Secret": "someone else's hook" });
    assert.equal(stranger.status, 401);
    assert.equal(stranger.headers.get("X-Hook-Secret"), null);
    const creating = receivers({ expectingHandshake: true });
    const fresh = await creating.post("/webhooks/clio", "{}", { "X-Hook-Secret": "brand-new-secret" });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.get("X-Hook-Secret"), "brand-new-secret");
    assert.equal(r.changes.length + creating.changes.length, 0, "a handshake syncs nothing");
  });

  it("answers 404 when no publicUrl is set, and the dashboard's login does not guard the path", async () => {
    r.webhooks.clio = undefined;
    const res = await r.clio(clioBody(501));
    assert.equal(res.status, 404);
  });

  it("answers 500 when the store fails, so Clio retries, and serves the next delivery", async () => {
    const failing = receivers({ failStore: true });
    const res = await failing.clio(clioBody(501));
    assert.equal(res.status, 500);
    assert.ok(failing.lines.some((l) => l.level === 50 && /provider will retry/.test(String(l.msg))));
    assert.equal((await failing.clio("not json")).status, 400, "still serving");
  });
});

describe("QuickBooks webhook receiver", () => {
  let r: ReturnType<typeof receivers>;
  beforeEach(() => {
    r = receivers();
  });

  it("takes the CloudEvents format and deduplicates by event id", async () => {
    const body = JSON.stringify([cloudEvent("ev-1", "58"), cloudEvent("ev-2", "61")]);
    assert.equal((await r.qbo(body)).status, 200);
    assert.deepEqual(r.changes, [
      {
        provider: "qbo",
        records: [
          { kind: "customer", id: "58", event: "updated" },
          { kind: "customer", id: "61", event: "updated" },
        ],
      },
    ]);
    // A retry with one event already seen and one new: only the new one counts.
    const again = JSON.stringify([cloudEvent("ev-2", "61"), cloudEvent("ev-3", "61")]);
    assert.equal((await r.qbo(again)).status, 200);
    assert.deepEqual(r.changes[1]?.records, [{ kind: "customer", id: "61", event: "updated" }]);
    assert.equal((await r.qbo(body)).status, 200);
    assert.equal(r.changes.length, 2, "a replay of the first delivery started nothing");
    assert.equal(r.outcomes.at(-1)?.[1], "duplicate");
  });

  it("takes the legacy eventNotifications format and deduplicates what it repeats", async () => {
    const body = legacy(REALM, [
      { name: "Customer", id: "58", operation: "Update", lastUpdated: "2026-02-03T18:11:12.000Z" },
      { name: "Invoice", id: "1043", operation: "Delete", lastUpdated: "2026-02-03T18:12:00.000Z" },
    ]);
    assert.equal((await r.qbo(body)).status, 200);
    assert.deepEqual(r.changes[0]?.records, [
      { kind: "Customer", id: "58", event: "Update" },
      { kind: "Invoice", id: "1043", event: "Delete" },
    ]);
    assert.equal((await r.qbo(body)).status, 200);
    assert.equal(r.changes.length, 1);
  });

  it("ignores another company's events with a log line naming it", async () => {
    const body = legacy("4620816365000000000", [
      { name: "Customer", id: "1", operation: "Create", lastUpdated: "2026-02-03T18:11:12.000Z" },
    ]);
    assert.equal((await r.qbo(body)).status, 200);
    assert.equal(r.changes.length, 0);
    const line = r.lines.find((l) => l.outcome === "ignored");
    assert.deepEqual(line?.otherRealms, ["4620816365000000000"]);
  });

  it("refuses a bad, missing, wrongly long or non-base64 intuit-signature with 401", async () => {
    const body = JSON.stringify([cloudEvent("ev-9", "58")]);
    const good = createHmac("sha256", VERIFIER).update(body).digest("base64");
    const cases: Record<string, Record<string, string>> = {
      "other token": { "intuit-signature": createHmac("sha256", "x").update(body).digest("base64") },
      missing: {},
      short: { "intuit-signature": Buffer.from(good, "base64").subarray(0, 31).toString("base64") },
      hex: { "intuit-signature": createHmac("sha256", VERIFIER).update(body).digest("hex") },
      junk: { "intuit-signature": "!!!" },
    };
    for (const [name, headers] of Object.entries(cases)) {
      assert.equal((await r.post("/webhooks/qbo", body, headers)).status, 401, name);
    }
    assert.equal(r.changes.length, 0);
  });

  it("refuses a signed body in neither format with 400, and an oversized one with 413", async () => {
    for (const body of [
      "nope",
      "{}",
      '{"eventNotifications":[{"realmId":1}]}',
      JSON.stringify([{ ...cloudEvent("e", "1"), type: "something.else" }]),
      JSON.stringify([{ ...cloudEvent("e", "1"), id: undefined }]),
    ]) {
      assert.equal((await r.qbo(body)).status, 400, body);
    }
    const big = `[${" ".repeat(WEBHOOK_BODY_LIMIT)}]`;
    assert.equal((await r.qbo(big)).status, 413);
    assert.equal(r.changes.length, 0);
  });

  it("answers 404 without a verifier token", async () => {
    r.webhooks.qbo = undefined;
    assert.equal((await r.qbo("[]")).status, 404);
  });
});
