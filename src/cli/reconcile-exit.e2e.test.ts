import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { RECONCILE_DIFFERENCES_FOUND } from "./commands/reconcile.ts";

/**
 * Issue 11: a script can tell "the books differ" (exit 3) from "everything agrees" (0) and from
 * "the comparison could not run" (1) or a wrong setting (2).
 */
describe("`lexbridge reconcile` exit status", () => {
  let pair: EmulatorPair;
  before(async () => {
    pair = await startEmulatorPair();
    const idOf = (r: Record<string, unknown>) => Number((r.data as { id: number }).id);
    const client = idOf(
      await pair.clioAdmin("POST", "/contacts", { type: "Company", name: "Exit Code Ltd" }),
    );
    const matter = idOf(
      await pair.clioAdmin("POST", "/matters", { client_id: client, description: "Advice" }),
    );
    const bill = idOf(
      await pair.clioAdmin("POST", "/bills", {
        matter_id: matter,
        number: "EX-1",
        issued_at: "2026-03-01",
        due_at: "2026-03-31",
        line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 250 }],
      }),
    );
    await pair.clioAdmin("POST", `/bills/${bill}/approve`);
  });
  after(async () => pair?.close());

  it("is 3 while Clio has a bill QuickBooks lacks, 0 once the sync sent it, 2 when the report file cannot be written", async () => {
    const before = await runCli(["reconcile", ...pair.cliFlags]);
    assert.equal(before.code, RECONCILE_DIFFERENCES_FOUND, before.stderr);
    assert.match(before.stdout, /difference\(s\)/);
    const sync = await runCli(["sync", "--once", ...pair.cliFlags]);
    assert.equal(sync.code, 0, sync.stderr);
    const agreed = await runCli(["reconcile", ...pair.cliFlags]);
    assert.equal(agreed.code, 0, agreed.stdout + agreed.stderr);
    assert.match(agreed.stdout, /everything agrees/);
    const unwritable = await runCli(["reconcile", "--csv", "/nonexistent-dir/report.csv", ...pair.cliFlags]);
    assert.equal(unwritable.code, 2, unwritable.stderr);
    assert.match(
      unwritable.stderr,
      /^lexbridge: \[output_unwritable\] Cannot write \/nonexistent-dir\/report\.csv/m,
    );
  });
});
