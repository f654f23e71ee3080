import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { CLIO_SUBSCRIPTIONS_KV, type ClioSubscription } from "../../app/clio-webhook-subscriptions.ts";
import { signClioWebhook } from "../../clio/webhooks.ts";
import { createLogger } from "../../core/logger.ts";
import { SecretBox } from "../../core/secret-box.ts";
import { scaleDashboard } from "../../testing/scale-dashboard.ts";

const VERIFIER = "qbo-verifier-token";
const SECRETS = { alpha: "alpha-secret-0123456789abcdef000", bravo: "bravo-secret-0123456789abcdef000" };
const REALMS = { alpha: "9130350000000111", bravo: "9130350000000222" };
const HOOKS = { alpha: 501, bravo: 502 };

const qboSignature = (body: string) => createHmac("sha256", VERIFIER).update(body).digest("base64");
const cloudEvent = (id: string, realm: string, entityId: string) => ({
  specversion: "1.0",
  id,
  source: "intuit.dsnBgbseACLLRZNxo2dI2ZGg6Ky8VaP8fYTsMWZdVsh4=",
  type: "qbo.customer.updated.v1",
  datacontenttype: "application/json",
  time: "2026-03-02T10:00:00Z",
  intuitentityid: entityId,
  intuitaccountid: realm,
  data: {},
});

describe("scale mode's webhooks reach the firm they are for", () => {
  let d: Awaited<ReturnType<typeof scaleDashboard>>;
  const lines: Array<Record<string, unknown>> = [];
  before(async () => {
    d = await scaleDashboard({
      firms: [
        { id: "alpha", name: "Alpha Law" },
        { id: "bravo", name: "Bravo Law" },
      ],
      users: [],
      config: { publicUrl: "https://lexbridge.example", qboWebhookVerifierToken: VERIFIER },
      logger: createLogger({
        level: "info",
        destination: { write: (line: string) => lines.push(JSON.parse(line)) },
      }),
    });
    const box = new SecretBox(process.env.LEXBRIDGE_SECRET_KEY!);
    for (const firm of ["alpha", "bravo"] as const) {
      await d.routes.setQboRealm(firm, REALMS[firm], 1);
      await d.routes.setClioWebhooks(firm, [HOOKS[firm]], 1);
      const subscription: ClioSubscription = {
        id: HOOKS[firm],
        model: "contact",
        url: "https://lexbridge.example/webhooks/clio",
        secret: SECRETS[firm],
        status: "enabled",
        expiresAt: 10 * 86_400_000,
      };
      await d
        .storeOf(firm)
        .commit({ kv: { [CLIO_SUBSCRIPTIONS_KV]: box.seal(JSON.stringify([subscription])) } }, 1);
    }
  });
  after(() => d.close());
  beforeEach(() => {
    d.jobs.length = 0;
    lines.length = 0;
  });

  const postQbo = (body: string, signature = qboSignature(body)) =>
    d.request("/webhooks/qbo", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "intuit-signature": signature },
    });
  const postClio = (body: string, secret: string) =>
    d.request("/webhooks/clio", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "X-Hook-Signature": signClioWebhook(body, secret) },
    });
  const ignoredLines = () => lines.filter((l) => String(l.msg).includes("; ignored"));

  it("QBO: each company's events queue its firm's targeted sync; a company no firm has is ignored with a log line", async () => {
    const body = JSON.stringify([
      cloudEvent("ev-1", REALMS.alpha, "58"),
      cloudEvent("ev-2", REALMS.alpha, "59"),
      cloudEvent("ev-3", "9999999999", "60"),
    ]);
    const response = await postQbo(body);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "accepted");
    assert.deepEqual(d.jobs, [
      {
        firmId: "alpha",
        kind: "targeted",
        targets: {
          contacts: [],
          bills: [],
          qbo: [
            { entity: "Customer", id: "58" },
            { entity: "Customer", id: "59" },
          ],
        },
      },
    ]);
    assert.deepEqual(
      ignoredLines().map((l) => l.realms),
      [["9999999999"]],
    );
    // A replay is recognised by the firm it went to, and queues nothing.
    const again = await postQbo(body);
    assert.equal(await again.text(), "already received");
    assert.equal(d.jobs.length, 1);
  });

  it("QBO: the legacy format is routed by its realmId too", async () => {
    const body = JSON.stringify({
      eventNotifications: [
        {
          realmId: REALMS.bravo,
          dataChangeEvent: {
            entities: [
              { name: "Invoice", id: "88", operation: "Update", lastUpdated: "2026-03-02T10:00:00Z" },
            ],
          },
        },
      ],
    });
    const response = await postQbo(body);
    assert.equal(await response.text(), "accepted");
    assert.deepEqual(d.jobs, [
      {
        firmId: "bravo",
        kind: "targeted",
        targets: { contacts: [], bills: [], qbo: [{ entity: "Invoice", id: "88" }] },
      },
    ]);
  });

  it("QBO: a delivery only for unknown companies is ignored; a wrong signature is refused before any lookup", async () => {
    const body = JSON.stringify([cloudEvent("ev-9", "1234", "1")]);
    const unknown = await postQbo(body);
    assert.equal(unknown.status, 200);
    assert.equal(await unknown.text(), "ignored");
    assert.equal(ignoredLines().length, 1);
    const forged = await postQbo(
      JSON.stringify([cloudEvent("ev-10", REALMS.alpha, "1")]),
      qboSignature("other"),
    );
    assert.equal(forged.status, 401);
    assert.deepEqual(d.jobs, []);
  });

  it("Clio: a delivery is routed by its subscription and must carry that firm's signature", async () => {
    const delivery = (hook: number) =>
      JSON.stringify({ data: { id: 7001 }, meta: { event: "updated", webhook_id: hook } });
    const bravoContact = {
      firmId: "bravo",
      kind: "targeted",
      targets: { contacts: ["7001"], bills: [], qbo: [] },
    };
    const bravo = await postClio(delivery(HOOKS.bravo), SECRETS.bravo);
    assert.equal(bravo.status, 200);
    assert.equal(await bravo.text(), "accepted");
    assert.deepEqual(d.jobs, [bravoContact]);
    // Bravo's secret does not pass for alpha's subscription.
    const crossed = await postClio(delivery(HOOKS.alpha), SECRETS.bravo);
    assert.equal(crossed.status, 401);
    const unknown = await postClio(delivery(999), SECRETS.alpha);
    assert.equal(unknown.status, 200);
    assert.equal(await unknown.text(), "ignored");
    assert.deepEqual(
      ignoredLines().map((l) => l.webhookId),
      [999],
    );
    const handshake = await d.request("/webhooks/clio", {
      method: "POST",
      body: "",
      headers: { "X-Hook-Secret": SECRETS.alpha },
    });
    assert.equal(
      handshake.status,
      401,
      "serve cannot know a new subscription's secret: the worker activates it",
    );
    assert.deepEqual(d.jobs, [bravoContact]);
  });
});
