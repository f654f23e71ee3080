import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

type Obj = Record<string, unknown>;

/**
 * Issue 10, rule 4, through the public CLI: a QBO customer that is a near match of one client
 * (same email, another name) and the exact match of another is linked to the exact one; no
 * `Name (Clio id)` duplicate is created beside it.
 */
describe("first linking through `lexbridge sync`: an exact match wins over an earlier near match", () => {
  let pair: EmulatorPair;
  const ids: Record<string, number> = {};
  before(async () => {
    pair = await startEmulatorPair();
    const idOf = (r: Obj) => Number((r.data as { id: number }).id);
    const email = (address: string) => [{ address, name: "Work", default_email: true }];
    ids.alpha = idOf(
      await pair.clioAdmin("POST", "/contacts", {
        type: "Company",
        name: "Alpha Co",
        email_addresses: email("x@example.test"),
      }),
    );
    ids.bob = idOf(
      await pair.clioAdmin("POST", "/contacts", {
        type: "Person",
        first_name: "Bob",
        last_name: "Exact",
        email_addresses: email("x@example.test"),
      }),
    );
    for (const [who, number] of [
      ["alpha", "A-1"],
      ["bob", "B-1"],
    ] as const) {
      const matter = idOf(
        await pair.clioAdmin("POST", "/matters", { client_id: ids[who], description: "Advice" }),
      );
      const bill = idOf(
        await pair.clioAdmin("POST", "/bills", {
          matter_id: matter,
          number,
          issued_at: "2026-03-01",
          due_at: "2026-03-31",
          line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 100 }],
        }),
      );
      await pair.clioAdmin("POST", `/bills/${bill}/approve`);
    }
    await pair.qbo.emulator.loadSeed({
      customers: [
        {
          DisplayName: "Bob Exact",
          GivenName: "Bob",
          FamilyName: "Exact",
          PrimaryEmailAddr: { Address: "x@example.test" },
        },
      ],
      vendors: [],
      invoices: [],
    });
  });
  after(async () => pair?.close());

  it("links Bob Exact to his customer and creates only Alpha Co", async () => {
    const run = await runCli(["sync", "--once", "--json", ...pair.cliFlags]);
    assert.equal(run.code, 0, run.stderr);
    const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
    const rows = (type: string) =>
      Object.values(realm.records[type] ?? {}).map((r) => ({ ...r.data, Id: r.id }) as Obj);
    const customers = rows("Customer");
    const names = customers.map((c) => String(c.DisplayName)).sort();
    assert.deepEqual(
      names,
      ["Alpha Co (Clio " + ids.alpha + ")", "Bob Exact"].sort(),
      "no duplicate of Bob Exact",
    );
    const bob = customers.find((c) => c.DisplayName === "Bob Exact")!;
    const invoices = rows("Invoice");
    const b1 = invoices.find((i) => i.DocNumber === "B-1")!;
    assert.equal((b1.CustomerRef as Obj).value, bob.Id, "Bob's invoice is on his existing customer");
    const status = JSON.parse((await runCli(["status", "--each", "--json", ...pair.cliFlags])).stdout)
      .items as Array<{ code: string }>;
    assert.equal(
      status.filter((i) => i.code === "sync_match_review").length,
      0,
      "nothing proposed for Alpha Co",
    );
  });
});
