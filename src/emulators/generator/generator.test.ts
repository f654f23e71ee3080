import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createClioEmulator } from "../clio/app.ts";
import { billState } from "../clio/domain/ledger.ts";
import { ClioState } from "../clio/state.ts";
import { futureDisplayName, generateFirm } from "./index.ts";

describe("firm generator", () => {
  it("is deterministic: the same seed gives an identical export, another seed a different one", () => {
    const a = generateFirm({ size: "medium", seed: 7 });
    const b = generateFirm({ size: "medium", seed: 7 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    const c = generateFirm({ size: "medium", seed: 8 });
    assert.notEqual(JSON.stringify(a.clio), JSON.stringify(c.clio));
  });

  it("sizes medium for a fast end-to-end sync (~150 clients, ~500 bills)", () => {
    const { summary } = generateFirm({ size: "medium", seed: 1 });
    assert.ok(summary.clio.clients >= 140 && summary.clio.clients <= 160);
    assert.ok(summary.clio.bills >= 400 && summary.clio.bills <= 650, `${summary.clio.bills} bills`);
    assert.equal(generateFirm({ size: "empty", seed: 1 }).summary.clio.bills, 0);
  });

  // How long generation takes is a bench figure (bench/), not something a unit test may assert.
  it("large has ≥5,000 syncing clients, 20,000 bills, 30,000 payments+credits, 10,000 trust movements", () => {
    const { clio, summary } = generateFirm({ size: "large", seed: 42 });
    assert.ok(summary.clio.syncingClients >= 5000);
    assert.ok(summary.clio.bills >= 20_000);
    assert.ok(summary.clio.payments + summary.clio.creditMemos >= 30_000);
    assert.ok(summary.clio.trustMovements >= 10_000);
    assert.ok(summary.clio.contacts > summary.clio.syncingClients, "contacts that must not sync exist");
    const dates = clio.tables.bills.map((b) => b.issued_at).sort();
    assert.ok(
      dates[0]!.startsWith("2022") && dates.at(-1)!.localeCompare("2025-01-01") >= 0,
      "spread over several years",
    );
  });

  it("contains the cases that break integrations", () => {
    const firm = generateFirm({ size: "medium", seed: 3 });
    const s = firm.summary.clio;
    const names = firm.clio.tables.contacts.map((c) => c.name);
    assert.ok(
      names.some((n) => n.includes(":")),
      "colon",
    );
    assert.ok(
      names.some((n) => n.includes("&")),
      "ampersand",
    );
    assert.ok(
      names.some((n) => n.includes("\t")),
      "tab",
    );
    assert.ok(
      names.some((n) => /[^\u0000-\u007f]/.test(n)),
      "unicode",
    );
    assert.ok(
      names.some((n) => n.length > 100),
      "very long",
    );
    const dupes = new Map<string, number>();
    for (const c of firm.clio.tables.contacts)
      if (c.type === "Person") dupes.set(c.name, (dupes.get(c.name) ?? 0) + 1);
    assert.ok(
      [...dupes.values()].some((n) => n > 1),
      "identical names",
    );
    const contacts = firm.clio.tables.contacts;
    assert.ok(contacts.some((c) => c.email_addresses.length > 1 && c.email_addresses.some((e) => e.primary)));
    assert.ok(
      contacts.some((c) => c.email_addresses.length > 1 && !c.email_addresses.some((e) => e.primary)),
    );
    assert.ok(contacts.some((c) => c.phone_numbers.length > 1));
    const bills = firm.clio.tables.bills;
    assert.ok(bills.some((b) => b.discount.rate_milli > 0));
    assert.ok(bills.some((b) => b.tax_rate_milli > 0));
    assert.ok(bills.some((b) => b.interest.total_cents > 0));
    assert.ok((s.billsByState.draft ?? 0) > 0 && (s.billsByState.awaiting_approval ?? 0) > 0);
    const perBill = new Map<number, number>();
    for (const a of firm.clio.tables.allocations)
      if (a.bill_id) perBill.set(a.bill_id, (perBill.get(a.bill_id) ?? 0) + 1);
    assert.ok(
      [...perBill.values()].some((n) => n >= 2),
      "partial payments",
    );
    assert.ok(s.multiBillPayments > 0 && s.voidedPayments > 0 && s.creditMemos > 0);
    assert.ok(s.trustTransfersBetweenClients > 0 && s.editedAfterApproval > 0 && s.trustRequests > 0);
    assert.ok(
      firm.clio.tables.payments.some((p) => p.source_bank_account_id !== null),
      "payments from trust",
    );
  });

  it("builds a QBO seed with exact matches, near misses, 6240 vendor collisions and 6140 number collisions", () => {
    const firm = generateFirm({ size: "medium", seed: 5 });
    const q = firm.summary.qbo;
    assert.ok(
      q.exactMatches > 0 && q.nearMisses > 0 && q.vendorCollisions > 0 && q.invoiceNumberCollisions > 0,
    );
    const state = new ClioState();
    state.load(firm.clio);
    const future = new Set([...state.all("contacts")].map(futureDisplayName));
    assert.ok(firm.qbo.vendors.some((v) => future.has(v.DisplayName)));
    const approved = new Set(
      [...state.all("bills")]
        .filter((b) => ["awaiting_payment", "paid"].includes(billState(state, b)))
        .map((b) => b.number),
    );
    assert.ok(firm.qbo.invoices.every((i) => approved.has(String(i.body.DocNumber))));
    const customers = new Set(firm.qbo.customers.map((c) => c.DisplayName.toLowerCase()));
    assert.equal(customers.size, firm.qbo.customers.length, "DisplayNames are unique");
    assert.ok(
      firm.qbo.invoices.every((i) => firm.qbo.customers.some((c) => c.DisplayName === i.customerDisplayName)),
    );
    const emails = new Set(
      [...state.all("contacts")].flatMap((c) =>
        c.email_addresses.filter((e) => e.primary).map((e) => e.address.toLowerCase()),
      ),
    );
    const exact = firm.qbo.customers.filter((c) => {
      const addr = (c.PrimaryEmailAddr as { Address?: string } | undefined)?.Address;
      return addr !== undefined && emails.has(addr.trim().toLowerCase());
    });
    assert.ok(exact.length >= q.exactMatches);
  });

  it("loads into the emulator and serves its bills", async () => {
    const firm = generateFirm({ size: "small", seed: 11 });
    const emulator = createClioEmulator({ firm: firm.clio, rateLimitPerMinute: 1000 });
    const token = emulator.issueToken().access_token;
    const r = await emulator.app.request("/api/v4/bills.json?fields=id,state,total&state=paid", {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await r.json()) as { data: Array<{ total: number }> };
    assert.equal(body.data.length, firm.summary.clio.billsByState.paid);
    assert.ok(body.data.every((b) => b.total > 0));
  });
});
