import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { normalizeQboExport } from "../testing/normalize-qbo.ts";
import { isWriting, type KillPoint, syncProcess } from "../testing/sync-process.ts";
import { createEngine } from "./engine-factory.ts";

const FIRM = { size: "medium" as const, seed: 11 };

/** 10 % of API calls fail, mixed: throttles, server errors, timeouts, resets, and answers lost after the write. */
const QBO_FAULTS = [
  // Besides the random ones, the first batches of writes are carried out and their answers lost:
  // the case that duplicates records unless every write is replayed under its request id.
  { kind: "lost", path: "/batch", count: 4 },
  // Batches throttled now and then (for a second): the batch lane is paused and single writes
  // take the phase's writes meanwhile, so both lanes carry every phase.
  { kind: "429", path: "/batch", rate: 0.2, retryAfter: 1 },
  // With a Retry-After of 1 s: without one a client waits Intuit's 60 s per throttle (proven on a
  // FakeClock in src/qbo/throttle.test.ts), which would stretch this wall-clock run to hours.
  { kind: "429", rate: 0.02, retryAfter: 1 },
  { kind: "500", rate: 0.015 },
  { kind: "503", rate: 0.015 },
  { kind: "timeout", rate: 0.01, delayMs: 1500 },
  { kind: "reset", rate: 0.01 },
  { kind: "lost", rate: 0.03 },
];
const CLIO_FAULTS = [
  { kind: "429", rate: 0.03 },
  { kind: "500", rate: 0.02 },
  { kind: "503", rate: 0.02 },
  { kind: "timeout", rate: 0.01, delayMs: 1500 },
  { kind: "reset", rate: 0.02 },
];

/**
 * Where the kills land: process i is killed when the QBO emulator receives the request KILLS[i]
 * names — its N-th request, or its first request writing an entity (in a batch or on its own) —
 * so the same kills land at the same points on a slow machine and a fast one. A pass of this firm
 * sends ~10 reads, then its writes phase by phase on both lanes — customers (~8 batches),
 * invoices (~13, written while the line items are read), accounts, journal entries (~8), credit
 * memos and their applications (2), payments (~18),
 * and single writes while a throttle pauses the batch lane. Every write of a phase is stored in
 * the outbox before the first is sent, so a restarted process first replays what its predecessor
 * left (a kill at request 3 lands there), then reads CDC, then goes on to the next phase. Two
 * kills or more land in each phase of writes, the last ones in the reads of passes with nothing
 * left to write. The first process fails on its own at its first request (an injected fault),
 * before its kill.
 */
const KILLS: KillPoint[] = [
  { writing: "Customer", n: 1 },
  { writing: "Customer", n: 1 },
  3,
  { writing: "Customer", n: 1 },
  { writing: "Invoice", n: 1 },
  3,
  { writing: "Invoice", n: 1 },
  { writing: "JournalEntry", n: 1 },
  3,
  { writing: "JournalEntry", n: 1 },
  { writing: "Payment", n: 1 },
  3,
  { writing: "Payment", n: 1 },
  3,
  8,
  4,
  6,
];
const PHASES_KILLED = ["Customer", "JournalEntry", "Invoice", "Payment"];

describe("faults and kills: the final QBO state equals a fault-free run", () => {
  let reference: EmulatorPair;
  let faulty: EmulatorPair;

  before(async () => {
    const firm = generateFirm(FIRM);
    reference = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
    faulty = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  });

  after(async () => {
    await reference?.close();
    await faulty?.close();
  });

  it("with 10% of calls failing and the process killed at least 10 times: no duplicate, nothing missing", async (t) => {
    const engine = await createEngine(reference.config, silentLogger);
    await runSyncPass(engine.deps);
    const settled = await runSyncPass(engine.deps);
    assert.equal(settled.written.sent, 0);
    await engine.close();
    const expected = normalizeQboExport(
      reference.qbo.emulator.exportState({ volatile: false }),
      reference.qbo.defaultRealmId,
    );

    await faulty.qboAdmin("PUT", "/faults", {
      seed: 5 + Number(process.env.LEXBRIDGE_FAULT_SEED ?? 0),
      rules: QBO_FAULTS,
    });
    await faulty.clioAdmin("PUT", "/faults", { seed: 6, rules: CLIO_FAULTS });
    const kills: string[] = [];
    const labels: string[] = [];
    for (const [i, n] of KILLS.entries()) {
      if (kills.length === 12) break;
      const result = await syncProcess(faulty, n);
      labels.push(...result.labels);
      t.diagnostic(
        `process ${i + 1}: ${result.killedAt ? `killed at request ${result.killedAt.n}, ${result.killedAt.label}` : `exited (${result.code}) after ${result.labels.length} requests`}`,
      );
      if (result.killedAt) kills.push(result.killedAt.label);
    }
    assert.ok(kills.length >= 10, `killed ${kills.length} times`);
    for (const phase of PHASES_KILLED)
      assert.ok(
        kills.some((label) => label.startsWith("write ") && isWriting(label, phase)),
        `a kill held a request writing ${phase}: ${kills.join(" | ")}`,
      );

    // Then let it run to the end, faults still on, until a pass completes with nothing left to write.
    let done = false;
    for (let i = 0; i < 30 && !done; i++) {
      const result = await syncProcess(faulty);
      labels.push(...result.labels);
      if (result.code !== 0) continue;
      const summary = JSON.parse(result.stdout) as { written: { sent: number } };
      done = summary.written.sent === 0;
    }
    assert.ok(done, "a complete pass with nothing to write was reached");
    const actual = normalizeQboExport(
      faulty.qbo.emulator.exportState({ volatile: false }),
      faulty.qbo.defaultRealmId,
    );
    for (const type of Object.keys(expected)) {
      assert.deepEqual(actual[type], expected[type], `${type} records equal the fault-free run`);
    }
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
    // Both lanes were in use: batches, and single writes (`write invoice`, lower case: a single
    // write's path) while a throttled batch paused the batch lane.
    const singles = PHASES_KILLED.filter((phase) => labels.includes(`write ${phase.toLowerCase()}`));
    t.diagnostic(`single writes of ${singles.join(", ")}`);
    assert.ok(singles.length >= 1, "single writes of the sync's entities");
    assert.ok(labels.some((l) => l.startsWith("write ") && PHASES_KILLED.some((p) => l.includes(p))));
  });
});
