/**
 * QBO's throttle through the client's whole HTTP stack, on a FakeClock: a 429 without
 * Retry-After waits Intuit's 60 s, a 403 carrying fault 3001 is a throttle too, a 403 that is
 * not a throttle is never repeated, and the budget holds 10 requests a second per realm.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { createQboEmulator, type FaultRule } from "../emulators/qbo/index.ts";
import { createQboClient } from "./index.ts";
import { isThrottleBody } from "./throttle-status.ts";

function setup(rules: FaultRule[], xmlThrottle = false) {
  const clock = new FakeClock();
  const emu = createQboEmulator({ clock, quotas: { xmlThrottle } });
  emu.core.faults.set(rules);
  const sentAt: number[] = [];
  const counting = (async (input: string | URL | Request, init?: RequestInit) => {
    sentAt.push(clock.now());
    return emu.fetch(input, init);
  }) as typeof fetch;
  const t = emu.issueTokens();
  const client = createQboClient({
    realmId: emu.defaultRealmId,
    tokens: { accessToken: async () => t.access_token, refresh: async () => t.access_token },
    clock,
    baseUrl: "http://qbo.emulator",
    fetch: counting,
    baseDelayMs: 1,
    maxAttempts: 3,
  });
  return { clock, emu, client, sentAt };
}

/** Lets the client run until `ms` of fake time passed; says whether `promise` settled by then. */
async function settledWithin(clock: FakeClock, promise: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await clock.advance(ms);
  return done;
}

describe("QBO throttling through the client", () => {
  it("a 429 without Retry-After waits 60 s before the next try", async () => {
    const { clock, client, sentAt } = setup([{ kind: "429", path: "/companyinfo", count: 1 }]);
    const start = clock.now();
    const read = client.companyInfo();
    assert.equal(await settledWithin(clock, read, 59_000), false, "nothing before 60 s");
    assert.equal(await settledWithin(clock, read, 1_000), true);
    assert.ok((await read).ok);
    assert.deepEqual(
      sentAt.map((t) => t - start),
      [0, 60_000],
    );
  });

  it("a 403 whose body is the XML throttle fault 3001 is retried like a 429", async () => {
    const { clock, client, sentAt } = setup(
      [{ kind: "429", status: 403, path: "/companyinfo", count: 1 }],
      true,
    );
    const start = clock.now();
    const read = client.companyInfo();
    assert.equal(await settledWithin(clock, read, 60_000), true);
    assert.ok((await read).ok, "the second try succeeds");
    assert.deepEqual(
      sentAt.map((t) => t - start),
      [0, 60_000],
    );
  });

  it("a 403 that is not a throttle (3100) is answered at once, without a second try", async () => {
    const { clock, emu, sentAt } = setup([]);
    emu.createRealm("Other");
    const other = createQboClient({
      realmId: Object.keys(emu.state.realms).find((r) => r !== emu.defaultRealmId)!,
      // A token of the default company used on another one: QBO answers 403 with fault 3100.
      tokens: { accessToken: async () => emu.issueTokens().access_token, refresh: async () => "" },
      clock,
      baseUrl: "http://qbo.emulator",
      fetch: (async (i: string | URL | Request, init?: RequestInit) => {
        sentAt.push(clock.now());
        return emu.fetch(i, init);
      }) as typeof fetch,
    });
    const r = await other.companyInfo();
    assert.ok(!r.ok);
    assert.equal(r.error.code, "qbo_forbidden");
    assert.equal(sentAt.length, 1);
  });

  it("holds a realm to 10 requests a second, besides 500 a minute", async () => {
    const { clock, client, sentAt } = setup([]);
    const start = clock.now();
    const reads = Array.from({ length: 25 }, () => client.companyInfo());
    await clock.advance(3_000);
    for (const r of reads) assert.ok((await r).ok);
    const perSecond = new Map<number, number>();
    for (const t of sentAt) {
      const second = Math.floor((t - start) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    assert.ok(
      [...perSecond.values()].every((n) => n <= 10),
      `at most 10 in any second: ${JSON.stringify([...perSecond])}`,
    );
    assert.equal(sentAt.length, 25);
  });
});

describe("isThrottleBody", () => {
  it("knows fault 3001 in XML, gateway JSON and data-service JSON, and nothing else", () => {
    assert.equal(
      isThrottleBody(
        '<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=403</Message></Error></Fault></IntuitResponse>',
      ),
      true,
    );
    assert.equal(isThrottleBody(JSON.stringify({ fault: { error: [{ code: "3001" }] } })), true);
    assert.equal(isThrottleBody(JSON.stringify({ Fault: { Error: [{ code: "3001" }] } })), true);
    assert.equal(isThrottleBody(JSON.stringify({ fault: { error: [{ code: "3100" }] } })), false);
    assert.equal(isThrottleBody(""), false);
  });
});
