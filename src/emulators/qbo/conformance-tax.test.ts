/**
 * Conformance with qbo-tax-and-currency.md §7 (E1–E13, E22–E25): companies per country, their tax
 * lists, QBO's validation of line codes, tax computed per line (global) or per invoice (AST), the
 * AST override, tax booked to the agency's liability account, and currencies.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompanyProfileId } from "./company-profiles.ts";
import { type Json, kit } from "./test-kit.ts";

function company(profile: CompanyProfileId, multiCurrency = false, rules: Json = {}) {
  return kit({ company: { profile, multiCurrency }, rules });
}

type Kit = ReturnType<typeof kit>;

async function codeId(t: Kit, name: string): Promise<string> {
  const r = await t.query(`select * from TaxCode where Name = '${name}'`);
  return r.body.QueryResponse.TaxCode[0].Id;
}

function line(amount: number, taxCode?: string): Json {
  return {
    Amount: amount,
    DetailType: "SalesItemLineDetail",
    SalesItemLineDetail: { ItemRef: { value: "19" }, ...(taxCode ? { TaxCodeRef: { value: taxCode } } : {}) },
  };
}

async function customer(t: Kit, extra: Json = {}): Promise<string> {
  return (await t.create("Customer", { DisplayName: `C ${Math.random()}`, ...extra })).Id;
}

async function balanceOf(t: Kit, name: string): Promise<number> {
  const r = await t.query(`select * from Account where Name = '${name}'`);
  return r.body.QueryResponse.Account[0].CurrentBalance;
}

describe("E1–E2 companies per country", () => {
  it("each profile has its country, home currency, TaxPrefs and read-only tax lists", async () => {
    const cases: Array<[CompanyProfileId, string, string, Json]> = [
      ["us", "US", "USD", { UsingSalesTax: false, PartnerTaxEnabled: false }],
      ["ca", "CA", "CAD", { UsingSalesTax: true }],
      ["gb", "GB", "GBP", { UsingSalesTax: true }],
      ["au", "AU", "AUD", { UsingSalesTax: true }],
    ];
    for (const [profile, country, currency, taxPrefs] of cases) {
      const t = company(profile);
      const info = await t.get(`/companyinfo/${t.realm}`);
      assert.equal(info.body.CompanyInfo.Country, country);
      const prefs = (await t.get("/preferences")).body.Preferences;
      assert.deepEqual(prefs.TaxPrefs, taxPrefs, profile);
      assert.equal(prefs.CurrencyPrefs.HomeCurrency.value, currency);
    }
    const ast = company("us-ast");
    const prefs = (await ast.get("/preferences")).body.Preferences;
    assert.equal(prefs.TaxPrefs.PartnerTaxEnabled, true);
    assert.equal(prefs.TaxPrefs.TaxGroupCodeRef.value, await codeId(ast, "Springfield, IL"));
  });

  it("CA lists GST, HST and the two-rate GST/QST code; TaxCode and TaxRate cannot be created", async () => {
    const t = company("ca");
    const codes = (await t.query("select * from TaxCode")).body.QueryResponse.TaxCode;
    assert.deepEqual(
      codes.map((c: Json) => c.Name),
      ["GST", "HST ON", "HST NS", "GST/QST QC", "Zero-rated", "Exempt", "Out of scope"],
    );
    const qc = codes.find((c: Json) => c.Name === "GST/QST QC");
    assert.equal(qc.SalesTaxRateList.TaxRateDetail.length, 2);
    const rates = (await t.query("select * from TaxRate")).body.QueryResponse.TaxRate;
    assert.ok(rates.some((r: Json) => r.Name === "QST QC" && r.RateValue === 9.975));
    assert.equal((await t.post("/taxcode", { Name: "X" })).status, 400);
    assert.equal((await t.post("/taxrate", { Name: "X" })).status, 400);
  });

  it("the admin API creates a company of a profile and refuses an unknown one", async () => {
    const t = kit();
    const made = await t.call("POST", "/__admin/realms", {
      companyName: "UK Firm",
      profile: "gb",
      multiCurrency: true,
    });
    assert.equal(made.status, 201);
    assert.equal(t.emu.state.realms[made.body.realmId]!.company!.profile, "gb");
    const bad = await t.call("POST", "/__admin/realms", { profile: "fr" });
    assert.equal(bad.status, 400);
  });
});

describe("E10–E12 validation of line codes", () => {
  it("CA and UK refuse a sales line without a tax code (6000, the rate named as QBO does)", async () => {
    for (const [profile, word] of [
      ["ca", "GST/HST"],
      ["gb", "VAT"],
    ] as const) {
      const t = company(profile);
      const r = await t.post("/invoice", { CustomerRef: { value: await customer(t) }, Line: [line(100)] });
      assert.equal(r.status, 400);
      assert.equal(t.faultCode(r), "6000");
      assert.equal(
        r.body.Fault.Error[0].Detail,
        `Business Validation Error: Make sure all your transactions have a ${word} rate before you save.`,
      );
    }
  });

  it("an unknown code is 2500, a bad GlobalTaxCalculation 2170; US companies accept only TAX/NON (6100)", async () => {
    const t = company("ca");
    const c = await customer(t);
    assert.equal(
      t.faultCode(await t.post("/invoice", { CustomerRef: { value: c }, Line: [line(10, "999")] })),
      "2500",
    );
    assert.equal(
      t.faultCode(await t.post("/invoice", { CustomerRef: { value: c }, Line: [line(10, "TAX")] })),
      "2500",
    );
    const bad = {
      CustomerRef: { value: c },
      Line: [line(10, await codeId(t, "GST"))],
      GlobalTaxCalculation: "TaxIncluded",
    };
    assert.equal(t.faultCode(await t.post("/invoice", bad)), "2170");
    const us = company("us-ast");
    const r = await us.post("/invoice", {
      CustomerRef: { value: await customer(us) },
      Line: [line(10, "5")],
    });
    assert.equal(us.faultCode(r), "6100");
  });
});

describe("E15 a rate that changes by date", () => {
  it("HST NS is 15 % on an invoice dated before 2025-04-01 and 14 % from then (EffectiveTaxRate)", async () => {
    const t = company("ca");
    const rates = (await t.query("select * from TaxRate where Name = 'HST NS'")).body.QueryResponse.TaxRate;
    assert.deepEqual(
      rates[0].EffectiveTaxRate.map((e: Json) => [
        e.RateValue,
        e.EffectiveDate.slice(0, 10),
        e.EndDate?.slice(0, 10),
      ]),
      [
        [15, "2010-07-01", "2025-03-31"],
        [14, "2025-04-01", undefined],
      ],
    );
    const ns = await codeId(t, "HST NS");
    const taxOn = async (TxnDate: string) =>
      (
        await t.create("Invoice", {
          TxnDate,
          CustomerRef: { value: await customer(t) },
          Line: [line(100, ns)],
        })
      ).TxnTaxDetail.TotalTax;
    assert.deepEqual([await taxOn("2025-03-31"), await taxOn("2025-04-01")], [15, 14]);
  });
});

describe("E13 global tax: per line, per rate, booked to the agency's liability", () => {
  it("HST ON on three lines of 10.03 is 3.90 (per-line rounding), not 3.91", async () => {
    const t = company("ca");
    const hst = await codeId(t, "HST ON");
    const inv = await t.create("Invoice", {
      CustomerRef: { value: await customer(t) },
      Line: [line(10.03, hst), line(10.03, hst), line(10.03, hst)],
    });
    assert.equal(inv.GlobalTaxCalculation, "TaxExcluded");
    assert.equal(inv.TxnTaxDetail.TotalTax, 3.9);
    assert.equal(inv.TotalAmt, 33.99);
    assert.equal(inv.TxnTaxDetail.TaxLine[0].TaxLineDetail.NetAmountTaxable, 30.09);
    assert.equal(await balanceOf(t, "GST/HST Payable"), 3.9);
    assert.equal(await balanceOf(t, "Services"), 30.09);
  });

  it("GST/QST QC splits into one TaxLine per rate, each agency's account gets its part", async () => {
    const t = company("ca");
    const qc = await codeId(t, "GST/QST QC");
    const exempt = await codeId(t, "Exempt");
    const inv = await t.create("Invoice", {
      CustomerRef: { value: await customer(t) },
      Line: [line(4495.16, qc), line(50, exempt)],
    });
    const amounts = inv.TxnTaxDetail.TaxLine.map((l: Json) => l.Amount);
    assert.deepEqual(amounts, [224.76, 448.39]);
    assert.equal(inv.TotalAmt, 4495.16 + 50 + 224.76 + 448.39);
    assert.equal(await balanceOf(t, "QST Payable"), 448.39);
    assert.equal(await balanceOf(t, "GST/HST Payable"), 224.76);
  });

  it("credit memos reverse the tax on the liability account", async () => {
    const t = company("au");
    const gst = await codeId(t, "GST");
    const c = await customer(t);
    await t.create("Invoice", { CustomerRef: { value: c }, Line: [line(1200, gst)] });
    const cm = await t.create("CreditMemo", { CustomerRef: { value: c }, Line: [line(200, gst)] });
    assert.equal(cm.TotalAmt, 220);
    assert.equal(await balanceOf(t, "GST Liabilities Payable"), 100);
  });

  it("taxRounding switches the tie-breaking rule (UNCONFIRMED in QBO)", async () => {
    for (const [rounding, tax] of [
      ["half-up", 0.03],
      ["half-even", 0.02],
    ] as const) {
      const t = company("au", false, { taxRounding: rounding });
      const inv = await t.create("Invoice", {
        CustomerRef: { value: await customer(t) },
        Line: [line(0.25, await codeId(t, "GST"))],
      });
      assert.equal(inv.TxnTaxDetail.TotalTax, tax, rounding);
    }
  });

  it("a supplied TotalTax is recomputed by default and honoured when globalSuppliedTax is honour", async () => {
    for (const [mode, total, delta] of [
      ["recompute", 13, undefined],
      ["honour", 12.99, -0.01],
    ] as const) {
      const t = company("ca", false, { globalSuppliedTax: mode });
      const inv = await t.create("Invoice", {
        CustomerRef: { value: await customer(t) },
        Line: [line(100, await codeId(t, "HST ON"))],
        TxnTaxDetail: { TotalTax: 12.99 },
      });
      assert.equal(inv.TxnTaxDetail.TotalTax, total, mode);
      assert.equal(inv.TxnTaxDetail.OverrideDeltaAmount, delta);
    }
  });
});

describe("E5–E7 US automated sales tax", () => {
  it("computes 9% on TAX lines once per rate; NON lines are not taxed", async () => {
    const t = company("us-ast");
    const inv = await t.create("Invoice", {
      CustomerRef: { value: await customer(t) },
      Line: [line(100, "TAX"), line(50, "NON")],
    });
    assert.equal(inv.TxnTaxDetail.TotalTax, 9);
    assert.equal(inv.TxnTaxDetail.TxnTaxCodeRef.value, await codeId(t, "Springfield, IL"));
    assert.equal(inv.TotalAmt, 159);
  });

  it("TxnTaxCodeRef + TotalTax override the amount, prorated 6.94/1.11/1.95 as in Intuit's sample", async () => {
    const t = company("us-ast");
    const code = await codeId(t, "Springfield, IL");
    const inv = await t.create("Invoice", {
      CustomerRef: { value: await customer(t) },
      Line: [line(1000, "TAX")],
      TxnTaxDetail: { TxnTaxCodeRef: { value: code }, TotalTax: 10 },
    });
    assert.deepEqual(
      inv.TxnTaxDetail.TaxLine.map((l: Json) => l.Amount),
      [6.94, 1.11, 1.95],
    );
    assert.equal(inv.TotalAmt, 1010);
    assert.equal(await balanceOf(t, "Sales Tax Payable"), 10);
  });

  it("a US company without sales tax drops TxnTaxDetail as before", async () => {
    const t = company("us");
    const inv = await t.create("Invoice", {
      CustomerRef: { value: await customer(t) },
      Line: [line(100)],
      TxnTaxDetail: { TotalTax: 5 },
    });
    assert.deepEqual(inv.TxnTaxDetail, { TotalTax: 0 });
    assert.equal(inv.TotalAmt, 100);
  });
});

describe("E23–E25, E28 currencies", () => {
  it("multicurrency off: a transaction or customer in another currency is refused", async () => {
    const t = company("gb");
    const c = await customer(t);
    const code = await codeId(t, "20.0% S");
    const r = await t.post("/invoice", {
      CustomerRef: { value: c },
      CurrencyRef: { value: "EUR" },
      Line: [line(10, code)],
    });
    assert.equal(t.faultCode(r), "6000");
    const cust = await t.post("/customer", { DisplayName: "Euro Co", CurrencyRef: { value: "EUR" } });
    assert.equal(t.faultCode(cust), "6000");
  });

  it("multicurrency on: the invoice takes the customer's currency, HomeTotalAmt uses ExchangeRate", async () => {
    const t = company("gb", true);
    const eur = await customer(t, { CurrencyRef: { value: "EUR" } });
    const code = await codeId(t, "20.0% S");
    const inv = await t.create("Invoice", {
      CustomerRef: { value: eur },
      CurrencyRef: { value: "EUR" },
      ExchangeRate: 0.85,
      Line: [line(100, code)],
    });
    assert.equal(inv.TotalAmt, 120);
    assert.equal(inv.HomeTotalAmt, 102);
    const wrong = await t.post("/invoice", {
      CustomerRef: { value: eur },
      CurrencyRef: { value: "GBP" },
      Line: [line(10, code)],
    });
    assert.equal(t.faultCode(wrong), "6000");
    const rec = (await t.get(`/customer/${eur}`)).body.Customer;
    const change = await t.post("/customer", {
      Id: eur,
      SyncToken: rec.SyncToken,
      sparse: true,
      CurrencyRef: { value: "USD" },
    });
    assert.equal(t.faultCode(change), "6000");
  });
});

describe("E27 exchange rates", () => {
  it("a multicurrency company lists QBO's rate per foreign currency; a home-currency company none", async () => {
    const t = company("ca", true);
    const r = await t.query("select * from ExchangeRate where SourceCurrencyCode = 'USD'");
    const rate = r.body.QueryResponse.ExchangeRate[0];
    assert.equal(rate.TargetCurrencyCode, "CAD");
    assert.equal(rate.Rate, 1.37);
    assert.equal(rate.AsOfDate, "2026-02-03");
    const off = company("ca");
    const none = await off.query("select * from ExchangeRate");
    assert.equal(none.body.QueryResponse.ExchangeRate, undefined);
  });
});
