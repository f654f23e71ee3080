import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { type CompanyOptions, createQboEmulator } from "../emulators/qbo/index.ts";
import { createQboClient } from "../qbo/index.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { settleWithClock } from "../testing/settle.ts";
import type { ClioPort, EngineDeps } from "./ports.ts";
import { runPreflight } from "./preflight.ts";

function deps(
  company?: CompanyOptions,
  taxCodes?: Record<string, string>,
): { deps: EngineDeps; clock: FakeClock; reads: string[] } {
  const clock = new FakeClock();
  const emu = createQboEmulator({ clock, ...(company ? { company } : {}) });
  const token = async () => emu.issueTokens().access_token;
  const reads: string[] = [];
  const client = createQboClient({
    realmId: emu.defaultRealmId,
    tokens: { accessToken: token, refresh: token },
    clock,
    baseUrl: "http://qbo.emulator",
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      reads.push(new URL(String(input)).pathname);
      return emu.fetch(input, init);
    }) as typeof fetch,
  });
  return {
    clock,
    reads,
    deps: {
      clio: {} as ClioPort,
      qbo: client,
      store: new SqliteStore(":memory:"),
      clock,
      logger: silentLogger,
      settings: {
        startDate: "2020-01-01",
        conflictPolicy: "latest-wins",
        overlapMs: 0,
        qboWebBase: "",
        batchConcurrency: 1,
        singleConcurrency: 6,
        idCompareIntervalMs: 86_400_000,
        reconcileFullIntervalMs: 86_400_000,
        ...(taxCodes ? { taxCodes } : {}),
      },
    },
  };
}

describe("doctor (runPreflight)", () => {
  it("reads real Preferences fields only, and says it cannot check the duplicate-number rule", async () => {
    const { deps: d, clock } = deps();
    const checks = await settleWithClock(clock, runPreflight(d), 100);
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    assert.equal(byId.connection?.status, "ok");
    assert.equal(byId["custom-transaction-numbers"]?.status, "warn", "the new company has them off");
    assert.equal(byId["closed-books"]?.status, "ok");
    const dup = byId["duplicate-number-warning"];
    assert.equal(dup?.status, "manual", "never ok or warn: nothing in the API says");
    assert.match(dup?.summary ?? "", /Cannot check/);
    assert.match(
      dup?.impact ?? "",
      /Account and settings › Sales › Sales form content › Custom transaction numbers/,
    );
  });
});

describe("doctor: tax and currency", () => {
  const check = async (company: CompanyOptions | undefined, taxCodes?: Record<string, string>) => {
    const { deps: d, clock } = deps(company, taxCodes);
    const checks = await settleWithClock(clock, runPreflight(d), 100);
    return Object.fromEntries(checks.map((c) => [c.id, c]));
  };
  const cases: Array<
    [string, CompanyOptions | undefined, Record<string, string> | undefined, string, RegExp]
  > = [
    ["US without sales tax", undefined, undefined, "ok", /Sales tax is off/],
    ["US with automated sales tax", { profile: "us-ast" }, undefined, "ok", /Clio's tax amount overrides/],
    [
      "CA without a 0 % choice",
      { profile: "ca" },
      undefined,
      "fail",
      /No single 0 % tax code: Zero-rated, Exempt, Out of scope/,
    ],
    ["CA with 0=Exempt", { profile: "ca" }, { "0": "Exempt" }, "ok", /GST\/QST QC 14.975%/],
    [
      "a setting naming no code",
      { profile: "gb" },
      { "0": "Nope" },
      "fail",
      /names codes QuickBooks does not have: 0=Nope/,
    ],
  ];
  for (const [name, company, taxCodes, status, summary] of cases)
    it(name, async () => {
      const byId = await check(company, taxCodes);
      assert.equal(byId["sales-tax"]?.status, status);
      assert.match(byId["sales-tax"]?.summary ?? "", summary);
    });

  it("says bills in another currency wait when multicurrency is off", async () => {
    const byId = await check({ profile: "au" }, { "0": "Out of Scope" });
    assert.equal(byId.currency?.summary, "Home currency AUD, multicurrency off");
    assert.match(byId.currency?.impact ?? "", /sync_currency_mismatch/);
  });
});
