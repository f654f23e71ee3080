import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

type Obj = Record<string, unknown>;
interface Item {
  id: number;
  key: string;
  code: string;
  client?: string;
  amount?: string;
  rootCause?: { key: string; id?: number };
  waitingOnIt: number;
  links: { clio?: string; qbo?: string };
}
interface RootCause {
  key: string;
  item?: Item;
  waiting: number;
  waitingByEntity: Record<string, number>;
  examples: Item[];
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * Issue 11 (Sync Status), through the public CLI against both emulators: a near match of one
 * client holds back her bills and the payment of one of them; an ambiguous match holds back
 * another client's bill. `status` lists the two root causes with what waits on each.
 */
describe("lexbridge status: one entry per root cause; ids that name nothing are coded errors", () => {
  let pair: EmulatorPair;
  const ids: Record<string, number> = {};
  const cli = (...args: string[]) => runCli([...args, ...pair.cliFlags]);
  const json = async (...args: string[]) => {
    const run = await cli(...args, "--json");
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };

  before(async () => {
    pair = await startEmulatorPair();
    const idOf = (r: Obj) => Number((r.data as { id: number }).id);
    const email = (address: string) => [{ address, name: "Work", default_email: true }];
    const person = async (first: string, last: string, address: string) =>
      idOf(
        await pair.clioAdmin("POST", "/contacts", {
          type: "Person",
          first_name: first,
          last_name: last,
          email_addresses: email(address),
        }),
      );
    const approvedBill = async (client: number, number: string, price: number) => {
      const matter = idOf(
        await pair.clioAdmin("POST", "/matters", { client_id: client, description: "Advice" }),
      );
      const bill = idOf(
        await pair.clioAdmin("POST", "/bills", {
          matter_id: matter,
          number,
          issued_at: "2026-03-01",
          due_at: "2026-03-31",
          line_items: [{ kind: "Service", description: "Advice", quantity: 1, price }],
        }),
      );
      await pair.clioAdmin("POST", `/bills/${bill}/approve`);
      return bill;
    };
    ids.nina = await person("Nina", "Near", "nina@example.test");
    ids.ann = await person("Ann", "Twice", "ann@example.test");
    ids.n1 = await approvedBill(ids.nina, "N-1", 100);
    ids.n2 = await approvedBill(ids.nina, "N-2", 250);
    ids.a1 = await approvedBill(ids.ann, "A-1", 75);
    await pair.clioAdmin("POST", "/payments", { bill_id: ids.n1, amount: 40, date: "2026-03-20" });
    const customer = (display: string, given: string, family: string, address: string) => ({
      DisplayName: display,
      GivenName: given,
      FamilyName: family,
      PrimaryEmailAddr: { Address: address },
    });
    await pair.qbo.emulator.loadSeed({
      customers: [
        customer("Nina Nearby", "Nina", "Nearby", "nina@example.test"),
        customer("Ann Twice", "Ann", "Twice", "ann@example.test"),
        customer("Ann Twice (old)", "Ann", "Twice", "ann@example.test"),
      ],
      vendors: [],
      invoices: [],
    });
    const sync = await cli("sync", "--once");
    assert.equal(sync.code, 0, sync.stderr);
  });
  after(async () => pair?.close());

  it("lists the two root causes, each with its count and examples, and names beside the ids", async () => {
    const view = (await json("status")) as { openItems: number; rootCauses: RootCause[] };
    assert.equal(view.openItems, 6, "2 root items, 3 bills, 1 payment");
    assert.deepEqual(
      view.rootCauses.map((r) => [r.key, r.item?.code, r.waiting, r.waitingByEntity]),
      [
        [`contact:${ids.nina}`, "sync_match_review", 3, { bill: 2, payment: 1 }],
        [`contact:${ids.ann}`, "sync_customer_ambiguous", 1, { bill: 1 }],
      ],
    );
    const [nina] = view.rootCauses;
    assert.deepEqual(
      nina?.examples.map((e) => [e.key, e.client, e.amount]),
      [
        [`bill:${ids.n1}`, "Nina Near", "100.00"],
        [`bill:${ids.n2}`, "Nina Near", "250.00"],
        [nina?.examples[2]?.key, "Nina Near", "40.00"],
      ],
    );
    assert.deepEqual(nina?.item?.links, {}, "emulators serve no pages: no links");

    const text = await cli("status");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^6 open item\(s\) from 2 root cause\(s\); 4 of the items wait on another one/);
    assert.match(
      text.stdout,
      new RegExp(`#${nina?.item?.id} \\[sync_match_review\\] Nina Near \\(Clio contact ${ids.nina}\\)`),
    );
    assert.match(text.stdout, /3 item\(s\) wait on it \(2 bills, 1 payment\), for example:/);
    assert.match(text.stdout, /#\d+ Bill N-2 · Nina Near · 250\.00 \(Clio bill \d+\)/);
    assert.doesNotMatch(text.stdout, /https?:\/\//, "no link to a page that does not exist");
    // Without the emulators' addresses the configuration names Clio's US region and Intuit's
    // production: the links still follow where the records came from, not these flags.
    const bare = await runCli(["status", "--data-dir", pair.config.dataDir, "--log-level", "silent"]);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stdout, /Nina Near/);
    assert.doesNotMatch(bare.stdout, /app\.clio\.com|qbo\.intuit\.com/);
  });

  it("--each lists every item with the root cause it waits on (a payment: through its bill)", async () => {
    const { items } = (await json("status", "--each")) as { items: Item[] };
    assert.equal(items.length, 6);
    const payment = items.find((i) => i.key.startsWith("payment:"));
    assert.equal(payment?.code, "sync_invoice_not_synced");
    assert.equal(payment?.rootCause?.key, `contact:${ids.nina}`);
    assert.equal(items.find((i) => i.key === `contact:${ids.nina}`)?.waitingOnIt, 3);
    const text = await cli("status", "--each");
    assert.match(text.stdout, /waits for: #\d+ Nina Near \(Clio contact \d+\)/);
  });

  it("an unknown --code is a coded error naming the code; a known code with no items says so", async () => {
    const unknown = await cli("status", "--code", "sync_no_such_code");
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^lexbridge: \[status_unknown_code\] "sync_no_such_code" is not a lexbridge error code.*docs\/errors\.md/m,
    );
    assert.match(unknown.stderr, /fix: /);
    assert.doesNotMatch(unknown.stderr, STACK_LINE);
    assert.doesNotMatch(unknown.stdout, /everything synced/);
    const none = await cli("status", "--code", "sync_link_broken");
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /No open items with code sync_link_broken\./);
  });

  it("resync and match accept|reject of an id that does not exist exit non-zero naming the id", async () => {
    for (const args of [
      ["resync", "98765"],
      ["match", "accept", "98765"],
      ["match", "reject", "contact:98765"],
    ]) {
      const run = await cli(...args);
      assert.notEqual(run.code, 0, args.join(" "));
      assert.match(run.stderr, /^lexbridge: \[status_item_not_found\] .*98765/m, args.join(" "));
      assert.doesNotMatch(run.stderr, STACK_LINE);
    }
    const unknownCode = await cli("resync", "--code", "sync_no_such_code");
    assert.equal(unknownCode.code, 2);
    assert.match(unknownCode.stderr, /\[status_unknown_code\]/);
  });

  it("reconcile names the client beside its id", async () => {
    const run = await cli("reconcile");
    assert.match(run.stdout, new RegExp(`Nina Near \\(Clio contact ${ids.nina}\\)`));
  });

  it("match accept takes the Sync Status item id; the next pass syncs what waited, and audit names it", async () => {
    const list = await cli("match", "list");
    const listed = new RegExp(
      `^#(\\d+) Nina Near \\(Clio contact ${ids.nina}\\) ↔ Nina Nearby \\(QuickBooks customer \\d+\\)`,
      "m",
    ).exec(list.stdout);
    assert.ok(listed, list.stdout);
    const accepted = await cli("match", "accept", listed[1]!);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(
      accepted.stdout,
      /Match of Nina Near \(Clio contact \d+\) with QuickBooks customer \d+ accepted/,
    );
    assert.equal((await cli("sync", "--once")).code, 0);
    const view = (await json("status")) as { rootCauses: RootCause[] };
    assert.deepEqual(
      view.rootCauses.map((r) => [r.key, r.waiting]),
      [[`contact:${ids.ann}`, 1]],
    );
    const withResolved = (await json("status", "--resolved")) as { resolved: Item[] };
    assert.ok(
      withResolved.resolved.some((i) => i.key === `contact:${ids.nina}`),
      "the accepted match's item is listed as resolved",
    );
    const all = (await json("status", "--all")) as { items: Array<Item & { state: string }> };
    assert.deepEqual(
      all.items.filter((i) => i.state === "open").map((i) => i.key),
      [`contact:${ids.ann}`, `bill:${ids.a1}`],
    );
    const audit = await cli("audit");
    assert.match(audit.stdout, /invoice create bill N-2 · Nina Near · 250\.00 \(Clio \d+ → QBO \d+\)/);
    assert.match(audit.stdout, /^ {4}set DocNumber: N-2; .*Line: 1 line\(s\), 250\.00/m);
  });
});
