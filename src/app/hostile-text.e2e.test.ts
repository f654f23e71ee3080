import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Obj } from "../emulators/qbo/state.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { brokenCluster } from "../testing/hostile-text.ts";

type Row = Record<string, unknown>;

// Valid in Clio, hostile to QuickBooks: emoji (2 UTF-16 units each), ZWJ sequences, combining
// marks, control characters, Unicode line separators, lone surrogates, and texts far over QBO's
// limits (qbo-api.md §10).
const FAMILY = "👨‍👩‍👧‍👦";
const EMOJI_NAME = `😀${FAMILY}`.repeat(12); // 13 units a repeat: 156 in all, 108 code points
const LONG_TEXT = `Review 📄\u2028${"α\u0308\u0301".repeat(3)} ${FAMILY} \u0000`.repeat(300); // ~8,700 units
const SUBJECT = "S".repeat(5000);

/**
 * Issue 10, rule 5: hostile records go through `lexbridge sync --once` (a real process against
 * both emulators, the QBO one counting lengths in UTF-16 units) and come out cleaned: no QBO
 * length error (2050) on Sync Status, and every record either synced or a coded item.
 */
describe("hostile text syncs cleaned (lexbridge sync --once against the emulators)", () => {
  let pair: EmulatorPair;
  const ids: Record<string, number> = {};
  let summary: { written: { sent: number; failed: number }; cleanings: number };
  let issues: Row[];

  const idOf = (r: Row) => Number((r.data as { id: number }).id);
  const records = (type: string): Obj[] =>
    Object.values(pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!.records[type] ?? {}).map(
      (r) => r.data,
    );
  const customerOf = (clioId: number) =>
    records("Customer").find((c) => String(c.DisplayName).endsWith(`(Clio ${clioId})`));

  before(async () => {
    pair = await startEmulatorPair();
    const admin = pair.clioAdmin;
    ids.person = idOf(
      await admin("POST", "/contacts", {
        type: "Person",
        first_name: `${EMOJI_NAME}\u0085`,
        last_name: `Núñez\u000b:\u2029${"e\u0301".repeat(60)}`,
        email_addresses: [{ address: "person@example.test", name: "Work", default_email: true }],
        phone_numbers: [
          { number: `+1 555\u2028 0100 ext ${"😀".repeat(12)}`, name: "Work", default_number: true },
        ],
        addresses: [
          {
            name: "Work",
            street: LONG_TEXT,
            city: `Zürich\r\n${"🏔️".repeat(100)}`,
            postal_code: "8000\ud800",
          },
        ],
      }),
    );
    ids.company = idOf(
      await admin("POST", "/contacts", {
        type: "Company",
        name: `Ωmega: Holdings 🏳️‍🌈\u0007 ${"Партнёры ".repeat(40)}`,
        email_addresses: [{ address: `${"a".repeat(110)}@example.test`, name: "Work", default_email: true }],
      }),
    );
    ids.nameless = idOf(await admin("POST", "/contacts", { type: "Company", name: "\u0000\u0007" }));

    const bill = async (client: string, number: string, extra: Row) => {
      const matter = idOf(await admin("POST", "/matters", { client_id: ids[client], description: "Matter" }));
      const made = idOf(
        await admin("POST", "/bills", { matter_id: matter, number, issued_at: "2026-03-01", ...extra }),
      );
      await admin("POST", `/bills/${made}/approve`);
      return made;
    };
    ids.lines = await bill("person", "HOST-1", {
      line_items: [
        { kind: "Service", description: LONG_TEXT, quantity: 2, price: 150 },
        { kind: "Expense", description: `Fee\u0000${FAMILY.repeat(500)}`, quantity: 1, price: 40 },
      ],
    });
    ids.zero = await bill("company", "HOST-2", {
      subject: SUBJECT,
      line_items: [{ kind: "Service", description: "No charge", quantity: 1, price: 0 }],
    });
    ids.oddNumber = await bill("nameless", "H\u0000-😀-3", {
      line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 10 }],
    });
    ids.longNumber = await bill("nameless", "HOSTILE-NUMBER-THAT-IS-TOO-LONG", {
      line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 10 }],
    });
    ids.memo = idOf(
      await admin("POST", "/credit_memos", {
        bill_id: ids.lines,
        amount: 20,
        date: "2026-03-02",
        description: LONG_TEXT,
      }),
    );
    const matter = idOf(await admin("POST", "/matters", { client_id: ids.person, description: "Trust" }));
    ids.deposit = idOf(
      await admin("POST", "/trust/deposits", {
        matter_id: matter,
        amount: "500",
        date: "2026-03-03",
        description: LONG_TEXT,
      }),
    );

    const sync = await runCli(["sync", "--once", "--json", ...pair.cliFlags]);
    assert.equal(sync.code, 0, sync.stderr);
    summary = JSON.parse(sync.stdout);
    const status = await runCli(["status", "--each", "--json", ...pair.cliFlags]);
    assert.equal(status.code, 0, status.stderr);
    issues = JSON.parse(status.stdout).items;
  });

  after(async () => {
    await pair?.close();
  });

  it("leaves no QBO length error (2050), no refused write, on Sync Status", () => {
    assert.deepEqual(
      issues.filter((i) => i.providerCode === "2050"),
      [],
    );
    assert.equal(summary.written.failed, 0);
    assert.ok(summary.cleanings > 0, "the cleanings are counted");
  });

  it("syncs every hostile record, or shows it as a coded item", () => {
    for (const contact of ["person", "company", "nameless"])
      assert.ok(customerOf(ids[contact]!), `customer for the ${contact} contact`);
    const docNumbers = records("Invoice").map((i) => i.DocNumber);
    for (const number of ["HOST-1", "HOST-2", "H-😀-3"]) assert.ok(docNumbers.includes(number), number);
    assert.ok(
      records("CreditMemo").some((m) => m.DocNumber === `CM-${ids.memo}`),
      "credit memo",
    );
    assert.ok(
      records("JournalEntry").some((j) => String(j.PrivateNote).includes(`transaction ${ids.deposit}`)),
      "trust journal entry",
    );
    assert.deepEqual(
      issues.map((i) => [i.code, i.clioId]),
      [["sync_doc_number_too_long", String(ids.longNumber)]],
      "the one record QBO cannot take is a coded item",
    );
  });

  it("cleans names of control characters and cuts texts at whole characters", () => {
    const person = customerOf(ids.person!)!;
    // 7 repeats of 13 units and one emoji more make 93; the family that follows (11) would not fit.
    assert.equal(person.GivenName, `${EMOJI_NAME.slice(0, 91)}😀`);
    assert.equal(brokenCluster(String(person.GivenName), false), undefined);
    assert.ok(!/[\p{Cc}\u2028\u2029:]/u.test(String(person.FamilyName)));
    assert.equal((person.ShipAddr as Row).PostalCode, "8000");
    const company = customerOf(ids.company!)!;
    assert.equal(company.PrimaryEmailAddr, undefined, "an email over 100 characters is left out");
    assert.equal(customerOf(ids.nameless!)!.DisplayName, `Unnamed client (Clio ${ids.nameless})`);
    const zero = records("Invoice").find((i) => i.DocNumber === "HOST-2")!;
    const only = (zero.Line as Row[]).filter((l) => l.DetailType === "SalesItemLineDetail");
    assert.deepEqual(
      only.map((l) => l.Description),
      ["S".repeat(4000)],
      "the zero bill's subject line is shortened like any description",
    );
  });

  it("writes nothing more on the next pass", async () => {
    const again = await runCli(["sync", "--once", "--json", ...pair.cliFlags]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).written.sent, 0);
  });
});
