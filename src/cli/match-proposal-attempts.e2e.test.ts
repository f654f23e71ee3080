import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { approvedBill, clioPerson, openItems, type PassOutput } from "../testing/cli-firm.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

/**
 * Issue 10, rule 3 ("issues show 2 attempts after one pass"), through the public CLI: a near-match
 * proposal waits for the person's decision, and every pass plans its client again (the client's
 * bill waits on it). Waiting is not an attempt: the items' attempts stay at one however many
 * passes (or dry runs) go by, the proposal is not rewritten, and no plan lists it twice.
 */
describe("a near-match proposal waiting over idle passes", () => {
  let pair: EmulatorPair;
  let clientId = 0;
  const pass = async (...flags: string[]) => {
    const run = await runCli(["sync", ...flags, "--json", ...pair.cliFlags]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as PassOutput;
  };
  const attempts = async () =>
    Object.fromEntries((await openItems(pair)).map((i) => [`${i.key} ${i.code}`, i.attempts]));
  const proposals = async () => {
    const run = await runCli(["match", "list", "--json", ...pair.cliFlags]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as unknown;
  };
  const proposeEntries = (p: PassOutput) => p.plan.filter((e) => e.action === "propose");

  before(async () => {
    pair = await startEmulatorPair();
    clientId = await clioPerson(pair, "Nora", "Near", "near@example.test");
    await approvedBill(pair, clientId, "N-1");
    // Same email, another name: a near match, which lexbridge proposes and never links by itself.
    await pair.qbo.emulator.loadSeed({
      customers: [
        {
          DisplayName: "Nora Other",
          GivenName: "Nora",
          FamilyName: "Other",
          PrimaryEmailAddr: { Address: "near@example.test" },
        },
      ],
      vendors: [],
      invoices: [],
    });
  });
  after(async () => pair?.close());

  it("keeps attempts at one, the proposal as it was, and lists the proposal once per plan at most", async () => {
    const first = await pass("--once");
    assert.deepEqual(
      proposeEntries(first).map((e) => e.clioId),
      [String(clientId)],
      "proposed once in the first pass (the client is planned in two phases)",
    );
    const expected = {
      [`contact:${clientId} sync_match_review`]: 1,
      [`bill:${first.plan.find((e) => e.action === "sync_customer_not_synced")?.clioId} sync_customer_not_synced`]: 1,
    };
    assert.deepEqual(await attempts(), expected, "one attempt each after one pass");
    const proposed = await proposals();

    const dry = await pass("--dry-run");
    assert.ok(proposeEntries(dry).length <= 1, "the dry run lists the proposal once at most");
    assert.deepEqual(await attempts(), expected, "a dry run counts nothing");

    const second = await pass("--once");
    const third = await pass("--once");
    for (const p of [second, third]) {
      assert.equal(proposeEntries(p).length, 0, "the waiting proposal is not proposed again");
      const keys = p.plan.map((e) => `${e.phase} ${e.action} ${e.clioId}`);
      assert.equal(new Set(keys).size, keys.length, `nothing listed twice: ${keys.join(", ")}`);
      assert.equal(p.written.sent, 0, "an idle pass writes nothing");
    }
    assert.deepEqual(await attempts(), expected, "waiting passes are not attempts");
    assert.deepEqual(await proposals(), proposed, "the proposal is not rewritten");
  });
});
