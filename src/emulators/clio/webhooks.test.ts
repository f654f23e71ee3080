import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

interface Call {
  url: string;
  headers: Headers;
  body: string;
}

/** A fake receiver: records calls; `answer` decides the response. */
function receiver(answer: (call: Call) => Response = (c) => handshakeEcho(c)) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(url), headers: new Headers(init?.headers), body: String(init?.body ?? "") };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function handshakeEcho(call: Call): Response {
  const secret = call.headers.get("X-Hook-Secret");
  return new Response(null, { status: 200, headers: secret ? { "X-Hook-Secret": secret } : {} });
}

const deliveries = (calls: Call[]) => calls.filter((c) => c.headers.get("X-Hook-Signature"));

describe("Clio emulator webhooks (clio-api.md §5.9)", () => {
  it("requires url, model and fields; accepts the model's numeric id; caps fields at 1000 chars", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    assert.equal(
      (await h.api("POST", "webhooks.json", { data: { model: "contact", fields: "id" } })).status,
      422,
    );
    assert.equal(
      (await h.api("POST", "webhooks.json", { data: { url: "https://x.test/h", fields: "id" } })).status,
      422,
    );
    assert.equal(
      (await h.api("POST", "webhooks.json", { data: { url: "https://x.test/h", model: "contact" } })).status,
      422,
    );
    assert.equal(
      (
        await h.api("POST", "webhooks.json", {
          data: { url: "http://x.test/h", model: "contact", fields: "id" },
        })
      ).status,
      422,
      "https only",
    );
    const long = `id,${"name,".repeat(200)}etag`;
    assert.equal(
      (
        await h.api("POST", "webhooks.json", {
          data: { url: "https://x.test/h", model: "contact", fields: long },
        })
      ).status,
      422,
    );
    const ok = await h.api("POST", "webhooks.json?fields=model,events,status", {
      data: { url: "https://x.test/h", model: 6, fields: "id,etag" },
    });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.json.data, {
      model: "contact",
      events: ["created", "updated", "deleted"],
      status: "pending",
    });
    const pay = await h.api("POST", "webhooks.json", {
      data: { url: "https://x.test/h", model: "clio_payments_payment", fields: "id", events: ["deleted"] },
    });
    assert.equal(pay.status, 422, "clio_payments_payment has created and updated only");
  });

  it("expires after 3 days by default, at most 31 days", async () => {
    const h = harness({ fetchImpl: receiver().fetchImpl });
    const d = await h.api("POST", "webhooks.json?fields=id,expires_at", {
      data: { url: "https://x.test/h", model: "bill", fields: "id" },
    });
    assert.equal(Date.parse(d.json.data.expires_at), h.clock.now() + 3 * 86_400_000);
    const far = new Date(h.clock.now() + 32 * 86_400_000).toISOString();
    assert.equal(
      (
        await h.api("POST", "webhooks.json", {
          data: { url: "https://x.test/h", model: "bill", fields: "id", expires_at: far },
        })
      ).status,
      422,
    );
    const renew = new Date(h.clock.now() + 31 * 86_400_000).toISOString();
    const p = await h.api("PATCH", `webhooks/${d.json.data.id}.json?fields=expires_at`, {
      data: { expires_at: renew },
    });
    assert.equal(p.json.data.expires_at, renew.replace(/\.\d{3}Z$/, "Z"));
  });

  it("enables after the X-Hook-Secret handshake is echoed with 200", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    const w = await h.api("POST", "webhooks.json?fields=id,shared_secret", {
      data: { url: "https://x.test/h", model: "contact", fields: "id" },
    });
    await h.emulator.webhooks.idle();
    assert.equal(r.calls[0]!.headers.get("X-Hook-Secret"), w.json.data.shared_secret);
    const s = await h.api("GET", `webhooks/${w.json.data.id}.json?fields=status`);
    assert.equal(s.json.data.status, "enabled");
  });

  it("stays pending without the echo, until PUT /webhooks/{id}/activate with the secret", async () => {
    const r = receiver(() => new Response("nope", { status: 200 }));
    const h = harness({ fetchImpl: r.fetchImpl });
    const w = await h.api("POST", "webhooks.json?fields=id,shared_secret", {
      data: { url: "https://x.test/h", model: "contact", fields: "id" },
    });
    await h.emulator.webhooks.idle();
    const id = w.json.data.id;
    assert.equal((await h.api("GET", `webhooks/${id}.json?fields=status`)).json.data.status, "pending");
    await h.client();
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 0, "a pending hook delivers nothing");
    assert.equal(
      (await h.api("PUT", `webhooks/${id}/activate`, undefined, { "X-Hook-Secret": "wrong" })).status,
      422,
    );
    const act = await h.api("PUT", `webhooks/${id}/activate`, undefined, {
      "X-Hook-Secret": w.json.data.shared_secret,
    });
    assert.equal(act.json.data.id, id);
    assert.equal((await h.api("GET", `webhooks/${id}.json?fields=status`)).json.data.status, "enabled");
  });

  it("signs the raw body with lowercase hex HMAC-SHA256 and sends {data:<subscribed fields>, meta:{event, webhook_id}}", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    const w = await h.api("POST", "webhooks.json?fields=id,shared_secret", {
      data: { url: "https://x.test/h", model: "contact", fields: "id,etag,name,updated_at" },
    });
    await h.emulator.webhooks.idle();
    const { contactId } = await h.client();
    await h.emulator.webhooks.idle();
    const [d] = deliveries(r.calls);
    const expected = createHmac("sha256", w.json.data.shared_secret).update(d!.body).digest("hex");
    assert.equal(d!.headers.get("X-Hook-Signature"), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
    const body = JSON.parse(d!.body);
    assert.deepEqual(Object.keys(body.data).sort(), ["etag", "id", "name", "updated_at"]);
    assert.equal(body.data.id, contactId);
    assert.deepEqual(body.meta, { event: "created", webhook_id: w.json.data.id });
  });

  it("fires the first update of a record always, later updates only when a watched field changes", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    await h.api("POST", "webhooks.json", {
      data: {
        url: "https://x.test/h",
        model: "contact",
        fields: "id,etag,updated_at,name",
        events: ["updated", "deleted"],
      },
    });
    await h.emulator.webhooks.idle();
    const { contactId } = await h.client();
    const patch = (data: Record<string, unknown>) => h.api("PATCH", `contacts/${contactId}.json`, { data });
    await patch({ title: "CEO" }); // first update: fires although name did not change
    await patch({ title: "CFO" }); // unwatched change: silent
    await patch({ first_name: "Zed" }); // name changes: fires
    await h.api("DELETE", `contacts/${contactId}.json`);
    await h.emulator.webhooks.idle();
    const events = deliveries(r.calls).map((c) => JSON.parse(c.body).meta.event);
    assert.deepEqual(events, ["updated", "updated", "deleted"]);
  });

  it("emits matter_opened/pended/closed on status changes", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    await h.api("POST", "webhooks.json", {
      data: { url: "https://x.test/h", model: "matter", fields: "id,status", events: ["matter_closed"] },
    });
    await h.emulator.webhooks.idle();
    const { matterId } = await h.client();
    await h.api("PATCH", `matters/${matterId}.json`, { data: { status: "closed" } });
    await h.emulator.webhooks.idle();
    const [d] = deliveries(r.calls);
    assert.deepEqual(JSON.parse(d!.body).data, { id: matterId, status: "Closed" });
    assert.equal(JSON.parse(d!.body).meta.event, "matter_closed");
  });

  it("retries failures with doubling backoff (5 retries) and treats 410 as success that disables the hook", async () => {
    let mode: "fail" | "gone" = "fail";
    const r = receiver((c) =>
      c.headers.get("X-Hook-Secret")
        ? handshakeEcho(c)
        : new Response(null, { status: mode === "fail" ? 500 : 410 }),
    );
    const h = harness({ fetchImpl: r.fetchImpl });
    const w = await h.api("POST", "webhooks.json?fields=id", {
      data: { url: "https://x.test/h", model: "contact", fields: "id" },
    });
    await h.emulator.webhooks.idle();
    await h.client();
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 1);
    await h.clock.advance(119_000);
    assert.equal(deliveries(r.calls).length, 1, "no retry before 2 minutes");
    await h.clock.advance(1_000);
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 2);
    await h.clock.advance(240_000);
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 3);
    await h.clock.runAll();
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 6, "first attempt + 5 retries");
    mode = "gone";
    await h.client();
    await h.emulator.webhooks.idle();
    assert.equal(
      (await h.api("GET", `webhooks/${w.json.data.id}.json?fields=status`)).json.data.status,
      "suspended",
    );
    await h.client();
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 7, "a disabled hook stays silent");
  });

  it("an expired hook stops delivering", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    await h.api("POST", "webhooks.json", {
      data: { url: "https://x.test/h", model: "contact", fields: "id" },
    });
    await h.emulator.webhooks.idle();
    await h.clock.advance(3 * 86_400_000 + 1000);
    await h.client();
    await h.emulator.webhooks.idle();
    assert.equal(deliveries(r.calls).length, 0);
  });

  it("re-runs the handshake when the url changes", async () => {
    const r = receiver();
    const h = harness({ fetchImpl: r.fetchImpl });
    const w = await h.api("POST", "webhooks.json?fields=id", {
      data: { url: "https://x.test/a", model: "bill", fields: "id" },
    });
    await h.emulator.webhooks.idle();
    await h.api("PATCH", `webhooks/${w.json.data.id}.json`, { data: { url: "https://x.test/b" } });
    await h.emulator.webhooks.idle();
    assert.deepEqual(
      r.calls.map((c) => c.url),
      ["https://x.test/a", "https://x.test/b"],
    );
  });
});
