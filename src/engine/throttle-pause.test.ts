import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { fail, LexError, ok, type Result } from "../core/errors.ts";
import { createLogger, memoryDestination } from "../core/logger.ts";
import { createQboEmulator } from "../emulators/qbo/index.ts";
import { createQboClient, qboQuery } from "../qbo/index.ts";
import type { QboPort } from "./ports.ts";
import { isThrottle, pauseOnThrottle } from "./throttle-pause.ts";

const exhausted = () =>
  new LexError("http_retries_exhausted", "POST /batch failed after 5 attempts (last: status 429)", {
    status: 429,
  });

/** A QBO port whose batch call answers the scripted results in turn, recording its requestids. */
function scriptedBatch(results: Array<Result<[]>>) {
  const requestIds: Array<string | undefined> = [];
  const unused = () => {
    throw new Error("not used by these tests");
  };
  const port: QboPort = {
    realmId: "1",
    batch: async (_items, opts) => {
      requestIds.push(opts?.requestId);
      return results[Math.min(requestIds.length - 1, results.length - 1)]!;
    },
    writeSingle: unused,
    query: unused,
    queryAll: unused,
    cdc: unused,
    read: unused,
    create: unused,
    sparseUpdate: unused,
  };
  return { port, requestIds };
}

async function isSettled(clock: FakeClock, p: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  p.then(
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

describe("pauseOnThrottle", () => {
  it("pauses 60 s per throttle that outlasted the retries, logs each pause, and resends the same request", async () => {
    const clock = new FakeClock();
    const logs = memoryDestination();
    const { port, requestIds } = scriptedBatch([fail(exhausted()), fail(exhausted()), ok([])]);
    const qbo = pauseOnThrottle(port, clock, createLogger({ destination: logs, level: "warn" }));
    const sent = qbo.batch([], { requestId: "batch-7" });
    assert.equal(await isSettled(clock, sent, 59_999), false, "paused, not failed");
    assert.equal(await isSettled(clock, sent, 1), false, "throttled again: a second pause");
    assert.equal(await isSettled(clock, sent, 60_000), true);
    assert.ok((await sent).ok);
    assert.deepEqual(
      requestIds,
      ["batch-7", "batch-7", "batch-7"],
      "one requestid: QBO replays, never writes twice",
    );
    const warns = logs.records().filter((r) => r.level === 40);
    assert.deepEqual(
      warns.map((w) => [w.call, w.pauses, w.pauseMs]),
      [
        ["batch", 1, 60_000],
        ["batch", 2, 60_000],
      ],
    );
  });

  it("returns any other failure at once", async () => {
    const clock = new FakeClock();
    const stale = new LexError("qbo_stale_object", "Stale Object Error", { status: 400 });
    const { port, requestIds } = scriptedBatch([fail(stale)]);
    const r = await pauseOnThrottle(port, clock, createLogger({ level: "silent" })).batch([], {
      requestId: "b",
    });
    assert.ok(!r.ok);
    assert.equal(r.error.code, "qbo_stale_object");
    assert.equal(requestIds.length, 1);
    assert.equal(clock.pending, 0, "no pause was scheduled");
  });

  it("knows a throttle: fault 3001 sent once, or a 429 that outlasted the retries — not other exhausted retries", () => {
    assert.equal(isThrottle(new LexError("qbo_rate_limited", "x", { status: 429 })), true);
    assert.equal(isThrottle(exhausted()), true);
    assert.equal(isThrottle(new LexError("http_retries_exhausted", "x", { status: 503 })), false);
    assert.equal(isThrottle(new Error("429")), false);
  });

  it("through the real client and emulator: a create throttled past its retries lands exactly once, and queryAll resumes", async () => {
    const clock = new FakeClock();
    const emu = createQboEmulator({ clock });
    // 3 attempts per call in this client: 4 throttles outlast the first call's retries.
    emu.core.faults.set([{ kind: "429", path: "/customer", count: 4 }]);
    const t = emu.issueTokens();
    const client = createQboClient({
      realmId: emu.defaultRealmId,
      tokens: { accessToken: async () => t.access_token, refresh: async () => t.access_token },
      clock,
      baseUrl: "http://qbo.emulator",
      fetch: emu.fetch,
      maxAttempts: 3,
      baseDelayMs: 1,
    });
    const qbo = pauseOnThrottle(client, clock, createLogger({ level: "silent" }));
    const created = qbo.create("Customer", { DisplayName: "Throttled Client" }, { requestId: "cust-1" });
    // 2 waits of 60 s inside the client, a 60 s pause, then the 4th throttle and another 60 s wait.
    assert.equal(await isSettled(clock, created, 239_000), false);
    assert.equal(await isSettled(clock, created, 1_000), true);
    assert.ok((await created).ok);

    emu.core.faults.set([{ kind: "429", path: "/query", count: 3 }]);
    const names: string[] = [];
    const reading = (async () => {
      for await (const c of qbo.queryAll(qboQuery("Customer"), 1000)) names.push(String(c.DisplayName));
    })();
    assert.equal(await isSettled(clock, reading, 240_000), true);
    await reading;
    assert.deepEqual(names, ["Throttled Client"], "exactly one customer, though the create was sent 5 times");
  });
});
