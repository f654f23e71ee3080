/**
 * Issue 14, end to end per region: a firm whose bills carry two taxes, a discount, untaxed lines,
 * a cent of rounding and a credit memo, synced over real HTTP into a QBO company of each country.
 * Every invoice total equals Clio's to the cent, and the tax sits on the agency's liability account.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { silentLogger } from "../core/logger.ts";
import type { CompanyProfileId } from "../emulators/qbo/index.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { approvedBill, clioIdOf } from "../testing/cli-firm.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

interface Region {
  profile: CompanyProfileId;
  /** The firm bills in the company's home currency. */
  currency: string;
  rate: number;
  secondary?: number;
  taxCodes?: string;
  /** Liability accounts the tax lands on (none: sales tax off, tax stays an item line). */
  liabilities: string[];
}

const REGIONS: Region[] = [
  { profile: "us", currency: "USD", rate: 8.875, liabilities: [] },
  { profile: "us-ast", currency: "USD", rate: 8.875, liabilities: ["Sales Tax Payable"] },
  {
    profile: "ca",
    currency: "CAD",
    rate: 5,
    secondary: 9.975,
    taxCodes: "0=Exempt",
    liabilities: ["GST/HST Payable", "QST Payable"],
  },
  { profile: "gb", currency: "GBP", rate: 20, taxCodes: "0=No VAT", liabilities: ["VAT Control"] },
  {
    profile: "au",
    currency: "AUD",
    rate: 10,
    taxCodes: "0=Out of Scope",
    liabilities: ["GST Liabilities Payable"],
  },
];

async function buildTaxedFirm(pair: EmulatorPair, region: Region): Promise<void> {
  const client = clioIdOf(
    await pair.clioAdmin("POST", "/contacts", { type: "Company", name: "Maple Holdings" }),
  );
  const rates = {
    currency: region.currency,
    tax_rate: region.rate,
    ...(region.secondary ? { secondary_tax_rate: region.secondary } : {}),
  };
  // Two taxes (where the region has a second), a tax-exempt expense and a discount before tax.
  const first = await approvedBill(pair, client, "TAX-1", {
    ...rates,
    line_items: [
      {
        kind: "Service",
        description: "Advice",
        quantity: 3,
        price: 333.33,
        taxable: true,
        secondary_taxable: !!region.secondary,
      },
      { kind: "Service", description: "Research", quantity: 1, price: 120, taxable: true },
      { kind: "Expense", description: "Filing fee", quantity: 1, price: 75 },
    ],
    discount: { rate: 10, type: "percentage" },
  });
  // Three lines whose per-line tax differs from a bill-level tax by a cent.
  await approvedBill(pair, client, "TAX-2", {
    ...rates,
    line_items: [1, 2, 3].map(() => ({
      kind: "Service",
      description: "Call",
      quantity: 1,
      price: 10.03,
      taxable: true,
    })),
  });
  await pair.clioAdmin("POST", "/credit_memos", {
    bill_id: first,
    amount: 50,
    date: "2026-03-12",
    description: "Courtesy",
  });
}

interface QboInvoiceRead {
  DocNumber: string;
  TotalAmt: number;
  Balance: number;
  TxnTaxDetail: { TotalTax: number };
  Line: Array<{ Description?: string }>;
}

for (const region of REGIONS) {
  describe(`sync with tax: ${region.profile}`, () => {
    let pair: EmulatorPair;
    let engine: EngineHandle;
    let pass: Awaited<ReturnType<typeof runSyncPass>>;

    before(async () => {
      pair = await startEmulatorPair({ qbo: { company: { profile: region.profile } } });
      await buildTaxedFirm(pair, region);
      const config = loadConfig({
        flags: { ...pair.config, ...(region.taxCodes ? { qboTaxCodes: region.taxCodes } : {}) },
      });
      engine = await createEngine(config, silentLogger);
      pass = await runSyncPass(engine.deps);
    });
    after(async () => {
      await engine?.close();
      await pair?.close();
    });

    const all = async <T>(entity: "Invoice" | "CreditMemo" | "Account"): Promise<T[]> => {
      const out: T[] = [];
      for await (const r of engine.deps.qbo.queryAll(qboQuery(entity))) out.push(r as T);
      return out;
    };
    const invoicesOf = () => all<QboInvoiceRead>("Invoice");

    it("writes every invoice and the credit memo, with no Sync Status items", async () => {
      assert.equal(pass.written.failed, 0, JSON.stringify(await engine.store.listIssues()));
      assert.deepEqual(await engine.store.listIssues({ state: "open" }), []);
      assert.equal((await invoicesOf()).length, 2);
      assert.equal((await all("CreditMemo")).length, 1);
    });

    it("QBO's invoice totals equal Clio's to the cent", async () => {
      const invoices = await invoicesOf();
      for (const bill of await engine.store.listMirror("bill")) {
        const invoice = invoices.find((i) => i.DocNumber === bill.data.number)!;
        assert.equal(invoice.TotalAmt, bill.data.total, `${bill.data.number} total`);
        assert.equal(
          invoice.Balance,
          bill.data.number === "TAX-1" ? Number((bill.data.total! - 50).toFixed(2)) : bill.data.total,
        );
      }
    });

    it("the tax sits on the agency's liability account, not on income", async () => {
      const invoices = await invoicesOf();
      const accounts = await all<{ Name: string; CurrentBalance: number }>("Account");
      const qboTax = invoices.reduce((s, i) => s + Math.round(i.TxnTaxDetail.TotalTax * 100), 0);
      const liability = accounts
        .filter((a) => region.liabilities.includes(a.Name))
        .reduce((s, a) => s + Math.round(a.CurrentBalance * 100), 0);
      assert.equal(liability, qboTax);
      const taxItemIncome = invoices.flatMap((i) => i.Line).filter((l) => l.Description === "Tax");
      if (region.liabilities.length === 0) assert.equal(taxItemIncome.length, 2);
      else {
        assert.ok(qboTax > 0);
        assert.deepEqual(taxItemIncome, []);
      }
      if (region.profile === "us-ast") {
        // Clio's amount overrides AST's own: the tax on QBO's books is Clio's.
        const clioTax = (await engine.store.listMirror("bill")).reduce(
          (s, b) => s + Math.round(((b.data.tax_sum ?? 0) + (b.data.secondary_tax_sum ?? 0)) * 100),
          0,
        );
        assert.equal(qboTax, clioTax);
      }
    });

    it("writes nothing on a second pass", async () => {
      const second = await runSyncPass(engine.deps);
      assert.equal(second.written.sent, 0);
    });
  });
}

describe("sync with tax: a rate that changed by date (Nova Scotia HST 15 % → 14 % on 2025-04-01)", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;

  before(async () => {
    pair = await startEmulatorPair({ qbo: { company: { profile: "ca" } } });
    const client = clioIdOf(
      await pair.clioAdmin("POST", "/contacts", { type: "Company", name: "Bluenose Ltd" }),
    );
    for (const [number, issued_at, tax_rate] of [
      ["NS-1", "2025-03-15", 15],
      ["NS-2", "2025-05-01", 14],
    ] as const)
      await approvedBill(pair, client, number, {
        currency: "CAD",
        issued_at,
        due_at: issued_at,
        tax_rate,
        line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 333.33, taxable: true }],
      });
    engine = await createEngine(
      loadConfig({ flags: { ...pair.config, qboTaxCodes: "0=Exempt" } }),
      silentLogger,
    );
    await runSyncPass(engine.deps);
  });
  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("each bill gets the code whose rate was in force on its date, and QBO's total equals Clio's", async () => {
    assert.deepEqual(await engine.store.listIssues({ state: "open" }), []);
    const invoices: QboInvoiceRead[] = [];
    for await (const r of engine.deps.qbo.queryAll(qboQuery("Invoice"))) invoices.push(r as never);
    const bills = await engine.store.listMirror("bill");
    assert.deepEqual(
      invoices.map((i) => [i.DocNumber, i.TxnTaxDetail.TotalTax, i.TotalAmt]).sort(),
      bills.map((b) => [b.data.number, b.data.tax_sum, b.data.total]).sort(),
    );
    assert.deepEqual(invoices.map((i) => i.TxnTaxDetail.TotalTax).sort(), [46.67, 50]);
  });
});
