import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type ServeHandle, startServe } from "../cli/commands/serve.ts";
import { silentLogger } from "../core/logger.ts";
import { freePort } from "../testing/cli-process.ts";
import { buildDashboardFirm } from "../testing/dashboard-firm.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

type Row = Record<string, unknown>;
const VERIFIER = "qbo-webhook-verifier-token";
const PASSWORD = "webhook test password";

/** Polls `probe` every 100 ms until it is true or `ms` pass; returns whether it became true. */
async function within(ms: number, probe: () => boolean): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return probe();
}

/**
 * `lexbridge serve` with webhooks on, against both emulators over real HTTP. The interval is an
 * hour and the first pass is over before the edits, so only a webhook can explain a change that
 * reaches the other side within seconds.
 */
describe("webhooks end to end: a change reaches the other side without waiting for the interval", () => {
  let pair: EmulatorPair;
  let serve: ServeHandle;
  let dan: string;
  let realm: string;

  const qboCustomerRecord = (name: string) =>
    Object.values(pair.qbo.emulator.state.realms[realm]!.records.Customer ?? {}).find(
      (r) => (r.data as Row).FamilyName === name,
    );
  const qboCustomer = (name: string) => qboCustomerRecord(name)?.data as Row | undefined;
  const clioContact = (id: string) => pair.clio.emulator.state.get("contacts", Number(id)) as Row | undefined;

  before(async () => {
    pair = await startEmulatorPair();
    realm = pair.qbo.defaultRealmId;
    ({ dan } = await buildDashboardFirm(pair));
    const port = await freePort();
    serve = await startServe(
      {
        ...pair.config,
        port,
        publicUrl: `http://127.0.0.1:${port}`,
        qboWebhookVerifierToken: VERIFIER,
        syncIntervalSeconds: 3600,
      },
      silentLogger,
      { host: "127.0.0.1", adminPassword: PASSWORD },
    );
    await serve.runner.whenIdle();
    await pair.clio.emulator.webhooks.idle();
    // The Intuit developer portal's webhook settings, as the QBO emulator's admin API has them.
    await pair.qboAdmin("PUT", "/webhooks", {
      url: `${serve.url}/webhooks/qbo`,
      verifierToken: VERIFIER,
      format: "cloudevents",
      windowMs: 0,
    });
  });

  after(async () => {
    await serve?.stop();
    await pair?.close();
  });

  it("subscribes to Clio's contacts and bills at the public URL, and the handshake enables them", () => {
    const hooks = [...pair.clio.emulator.state.all("webhooks")];
    assert.deepEqual(hooks.map((h) => [h.model, h.status, h.url]).sort(), [
      ["bill", "enabled", `${serve.url}/webhooks/clio`],
      ["contact", "enabled", `${serve.url}/webhooks/clio`],
    ]);
    assert.equal(qboCustomer("Broken")?.GivenName, "Dan", "the first pass made the customer");
  });

  it("shows both providers' webhooks on Connections", async () => {
    const login = await fetch(`${serve.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: serve.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "admin", password: PASSWORD }),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = await (await fetch(`${serve.url}/connections`, { headers: { Cookie: cookie } })).text();
    assert.match(page, /contact: enabled until /);
    assert.match(page, /bill: enabled until /);
    assert.ok(
      page.includes(`<code>${serve.url}/webhooks/qbo</code>`),
      "the endpoint to register with Intuit",
    );
  });

  it("a contact renamed in Clio is renamed in QuickBooks within seconds, by a targeted sync", async () => {
    const labels: string[] = [];
    const unsubscribe = serve.live.subscribe((view) => labels.push(view.label));
    const token = pair.clio.emulator.issueToken().access_token;
    const res = await fetch(`${pair.clio.url}/api/v4/contacts/${dan}.json`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ data: { first_name: "Daniel" } }),
    });
    assert.equal(res.status, 200);
    assert.ok(
      await within(15_000, () => qboCustomer("Broken")?.GivenName === "Daniel"),
      "the QuickBooks customer was renamed",
    );
    assert.ok(pair.clio.emulator.webhooks.log.some((d) => d.event === "updated" && d.status === 200));
    unsubscribe();
    assert.ok(
      labels.includes("Webhook: targeted sync of 1 record"),
      `live progress said so (${labels.join("; ")})`,
    );
  });

  it("a customer's email changed in QuickBooks reaches the Clio contact within seconds", async () => {
    const customer = qboCustomerRecord("Broken")!;
    await pair.qboAdmin("PATCH", `/realms/${realm}/customer/${String(customer.id)}`, {
      PrimaryEmailAddr: { Address: "dan.new@example.test" },
    });
    const email = () =>
      ((clioContact(dan)?.email_addresses as Row[] | undefined) ?? []).map((e) => e.address);
    assert.ok(
      await within(15_000, () => email().includes("dan.new@example.test")),
      `the Clio contact has the new email (has ${email().join(", ")})`,
    );
    const { deliveries } = (await pair.qboAdmin("GET", "/webhooks/deliveries")) as {
      deliveries: Array<{ status: unknown; body: string }>;
    };
    assert.ok(
      deliveries.some((d) => d.status === 200 && d.body.startsWith("[")),
      "a CloudEvents delivery was taken",
    );
  });

  it("a payment in Clio (no webhook of its own) reaches QuickBooks through its bill's webhook", async () => {
    const bill = [...pair.clio.emulator.state.all("bills")].find((b) => b.number === "D-1")!;
    const payments = () =>
      Object.values(pair.qbo.emulator.state.realms[realm]!.records.Payment ?? {}).map((r) => r.data as Row);
    assert.equal(payments().length, 0);
    await pair.clioAdmin("POST", "/payments", {
      date: "2026-03-15",
      reference: "CHQ-7",
      allocations: [{ bill_id: bill.id, amount: "120" }],
    });
    assert.ok(
      await within(15_000, () => payments().some((p) => Number(p.TotalAmt) === 120)),
      "QuickBooks has the payment",
    );
    assert.ok(pair.clio.emulator.webhooks.log.some((d) => d.record_id === bill.id && d.status === 200));
  });

  it("counts the deliveries and the change latency in /metrics", async () => {
    await serve.changes.idle();
    const text = await (await fetch(`${serve.url}/metrics`)).text();
    const value = (prefix: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(prefix))
          ?.split(" ")
          .at(-1) ?? "0",
      );
    assert.ok(value('lexbridge_webhook_deliveries_total{provider="clio",outcome="accepted"}') >= 1);
    assert.ok(value('lexbridge_webhook_deliveries_total{provider="qbo",outcome="accepted"}') >= 1);
    assert.ok(value('lexbridge_change_latency_seconds_count{provider="clio"}') >= 1);
    assert.equal(
      value('lexbridge_sync_passes_total{outcome="ok"}'),
      1,
      "the first pass only: no change needed one",
    );
    assert.ok(value('lexbridge_targeted_syncs_total{outcome="ok"}') >= 3, "a targeted sync per change");
    assert.equal(value('lexbridge_targeted_syncs_total{outcome="fallback"}'), 0);
  });
});
