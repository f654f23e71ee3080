import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../core/clock.ts";
import { isLexError } from "../core/errors.ts";
import { type RunningClioEmulator, startClioEmulator } from "../emulators/clio/index.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { fetchTransport } from "../http/transport.ts";
import { ClioClient, clioRateKey } from "./client.ts";
import { fields } from "./fields.ts";
import { clioAuthorizeUrl, exchangeClioCode } from "./oauth.ts";
import { ClioAllocation, ClioBill, ClioContact, type ClioWebhook } from "./schemas/index.ts";
import {
  clioHandshakeResponse,
  clioHandshakeSecret,
  createClioWebhook,
  verifyClioWebhookSignature,
} from "./webhooks.ts";

describe("ClioClient through real HTTP", () => {
  const firm = generateFirm({ size: "small", seed: 21 });
  let running: RunningClioEmulator;
  let client: ClioClient;
  const send = fetchTransport(fetch);

  before(async () => {
    running = await startClioEmulator({ port: 0, firm, rateLimitPerMinute: 10_000, autoApprove: true });
    const token = running.emulator.issueToken().access_token;
    client = new ClioClient({ send, baseUrl: running.url, accessToken: token, rateKey: clioRateKey(token) });
  });
  after(() => running.close());

  it("serves on a random port and reads every bill of the generated firm through cursor pages", async () => {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    let count = 0;
    let total = 0;
    for await (const bill of client.all("bills", ClioBill, {
      limit: 7,
      fields: fields("id", "etag", "state", "total", { client: ["id"] }),
    })) {
      count++;
      total += Math.round((bill.total ?? 0) * 100);
    }
    assert.equal(count, firm.summary.clio.bills);
    assert.ok(total > 0);
    let allocations = 0;
    for await (const page of client.pages("allocations", ClioAllocation, {
      fields: "id,amount,parent{id,type},voided_at",
    }))
      allocations += page.length;
    assert.equal(allocations, firm.summary.clio.allocations);
  });

  it("an injected connection reset reaches the client as a network error", async () => {
    await fetch(`${running.url}/__admin/faults`, {
      method: "PUT",
      body: JSON.stringify({ rules: [{ kind: "reset", rate: 1, count: 1 }] }),
    });
    const r = await client.get("users/who_am_i", ClioContact).then(
      () => "answered",
      (e: unknown) => (isLexError(e) ? e.code : String(e)),
    );
    assert.equal(r, "http_network");
    const again = await client.get("users/who_am_i", ClioContact);
    assert.ok(again.ok);
  });

  it("completes the OAuth flow over HTTP", async () => {
    const app = {
      region: "us" as const,
      baseUrl: running.url,
      clientId: "cid",
      clientSecret: "sec",
      redirectUri: "https://lex.test/cb",
    };
    const res = await fetch(clioAuthorizeUrl(app, "s"), { redirect: "manual" });
    assert.equal(res.status, 302);
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const tokens = await exchangeClioCode(send, app, systemClock, code);
    assert.ok(tokens.ok);
    const c2 = new ClioClient({ send, baseUrl: running.url, accessToken: tokens.value.accessToken });
    const me = await c2.get("users/who_am_i", ClioContact, { fields: "id,name" });
    assert.ok(me.ok);
  });

  it("subscribes a webhook: handshake echo, then signed deliveries verified in constant time", async () => {
    let secret = "";
    const bodies: Array<{ valid: boolean; body: string }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const handshake = clioHandshakeSecret(req.headers as Record<string, string>);
        if (handshake) {
          secret = handshake;
          const answer = clioHandshakeResponse(handshake);
          res.writeHead(answer.status, Object.fromEntries(answer.headers));
          res.end();
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        bodies.push({
          valid: verifyClioWebhookSignature(raw, req.headers["x-hook-signature"] as string, secret),
          body: raw,
        });
        res.writeHead(200);
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const hook = await createClioWebhook(client, {
        url: `http://127.0.0.1:${port}/hooks/clio`,
        model: "contact",
        fields: "id,etag,name,updated_at",
      });
      assert.ok(hook.ok);
      await running.emulator.webhooks.idle();
      const status = await client.get(`webhooks/${(hook.value as ClioWebhook).id}`, ClioContact, {
        fields: "id,status",
      });
      assert.ok(status.ok && !status.value.notModified);
      assert.equal((status.value as { data: { status?: string } }).data.status, "enabled");
      const created = await client.create("contacts", ClioContact, { type: "Company", name: "Hooked & Co" });
      assert.ok(created.ok);
      await running.emulator.webhooks.idle();
      assert.equal(bodies.length, 1);
      assert.equal(bodies[0]!.valid, true);
      assert.equal(JSON.parse(bodies[0]!.body).data.name, "Hooked & Co");
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
