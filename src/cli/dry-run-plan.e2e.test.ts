import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type PassOutput as Summary, plannedWrites as writesOf } from "../testing/cli-firm.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";

type Obj = Record<string, unknown>;
type AuditEntry = { runId: string; action: string; outcome: string; entity: string; clioId: string };

/**
 * Issue 10, rule 3, through the public CLI: a dry run followed at once by a real pass, nothing
 * changed in between, lists exactly what the real pass writes — in both directions, including what
 * starts on the QBO side (a customer edited in QBO written back to Clio, an invoice edited in QBO
 * restored) and what depends on an earlier write of the same pass (a new credit memo's application).
 */
describe("the dry run lists exactly what the next real pass writes", () => {
  let pair: EmulatorPair;
  let ids: Record<string, number>;
  before(async () => {
    pair = await startEmulatorPair();
    ids = await buildHandFirm(pair);
    assert.equal((await runCli(["sync", "--once", ...pair.cliFlags])).code, 0);

    // Changes made in QuickBooks: a phone on Jane's customer, a note on Acme's invoice.
    const realm = pair.qbo.defaultRealmId;
    const records = pair.qbo.emulator.state.realms[realm]!.records;
    const find = (type: string, pick: (d: Obj) => boolean) =>
      Object.values(records[type] ?? {}).find((r) => pick(r.data))!;
    const token = pair.qbo.emulator.issueTokens(realm).access_token;
    const sparse = async (type: string, rec: { id: string; syncToken: number }, fields: Obj) => {
      const res = await fetch(`${pair.qbo.url}/v3/company/${realm}/${type}?minorversion=75`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          Accept: "application/json",
        },
        body: JSON.stringify({ Id: rec.id, SyncToken: String(rec.syncToken), sparse: true, ...fields }),
      });
      assert.equal(res.status, 200, await res.text());
    };
    await sparse(
      "customer",
      find("Customer", (d) => d.GivenName === "Jane"),
      { Mobile: { FreeFormNumber: "555-0777" } },
    );
    await sparse(
      "invoice",
      find("Invoice", (d) => d.DocNumber === "INV-4"),
      { PrivateNote: "edited in QuickBooks" },
    );
    // And in Clio: a credit memo on a bill already synced (its application is a second write).
    await pair.clioAdmin("POST", "/credit_memos", {
      bill_id: ids.bill3,
      amount: 10,
      date: "2026-03-20",
      description: "Goodwill",
    });
  });
  after(async () => pair?.close());

  it("plans the same writes as the real pass makes, and the real pass's audit log agrees", async () => {
    const dry = await runCli(["sync", "--dry-run", "--json", ...pair.cliFlags]);
    assert.equal(dry.code, 0, dry.stderr);
    const planned = JSON.parse(dry.stdout) as Summary;
    const real = await runCli(["sync", "--once", "--json", ...pair.cliFlags]);
    assert.equal(real.code, 0, real.stderr);
    const done = JSON.parse(real.stdout) as Summary;

    const plannedWrites = writesOf(planned);
    for (const expected of [`customer update_clio ${ids.jane}`, `invoice update ${ids.bill3}`]) {
      assert.ok(
        plannedWrites.includes(expected),
        `the dry run lists ${expected}: ${plannedWrites.join(", ")}`,
      );
    }
    assert.ok(
      plannedWrites.some((w) => w.startsWith("credit_application create")),
      "the new memo's application",
    );
    assert.deepEqual(plannedWrites, writesOf(done), "the same writes, no more, no fewer");
    assert.equal(new Set(plannedWrites).size, plannedWrites.length, "nothing listed twice");

    // Ground truth: what the real pass wrote, from its audit entries.
    const audit = JSON.parse((await runCli(["audit", "--json", ...pair.cliFlags])).stdout) as AuditEntry[];
    const written = audit.filter(
      (a) => a.runId === done.runId && a.outcome === "ok" && a.action !== "conflict",
    );
    assert.equal(written.length, plannedWrites.length, "one audited write per planned write");
    assert.equal(
      planned.writes?.length,
      plannedWrites.length,
      "the dry run sent nothing more than it listed",
    );
  });
});
