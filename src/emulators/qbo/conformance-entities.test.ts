/** Conformance with reference/qbo-api.md §14 items 1–4 (stores, envelopes, validation, derived fields). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kit } from "./test-kit.ts";

describe("§14.1 per-realm stores, ids, SyncToken, MetaData", () => {
  it("gives sequential numeric ids per realm, bumps SyncToken per write, writes MetaData in the company offset", async () => {
    const t = kit();
    const a = await t.create("Customer", { DisplayName: "Alpha" });
    const b = await t.create("Customer", { DisplayName: "Beta" });
    assert.equal(Number(b.Id), Number(a.Id) + 1);
    assert.equal(a.SyncToken, "0");
    assert.match(a.MetaData.CreateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-08:00$/);
    const u = await t.post("/customer", { Id: a.Id, SyncToken: "0", sparse: true, Notes: "x" });
    assert.equal(u.body.Customer.SyncToken, "1");
    const other = t.emu.createRealm("Other Co");
    assert.notEqual(other, t.realm);
    assert.equal(t.emu.state.realms[other]!.records.Customer, undefined);
  });

  it("a new company has a US chart of accounts, CompanyInfo, Preferences, TAX/NON and payment methods", async () => {
    const t = kit();
    for (const sub of ["AccountsReceivable", "UndepositedFunds", "Checking", "ServiceFeeIncome"]) {
      assert.ok(await t.account(sub), sub);
    }
    const info = await t.get(`/companyinfo/${t.realm}`);
    assert.equal(info.status, 200);
    assert.ok(info.body.CompanyInfo.CompanyName);
    const prefs = await t.get("/preferences");
    assert.equal(prefs.body.Preferences.SalesFormsPrefs.CustomTxnNumbers, false);
    const tax = await t.query("select * from TaxCode");
    assert.deepEqual(tax.body.QueryResponse.TaxCode.map((x: { Id: string }) => x.Id).sort(), ["NON", "TAX"]);
    const pm = await t.query("select * from PaymentMethod");
    assert.ok(pm.body.QueryResponse.PaymentMethod.some((x: { Name: string }) => x.Name === "Check"));
  });
});

describe("§14.2 envelopes", () => {
  it("wraps entities with time, faults in the data-service shape, auth faults in the gateway shape", async () => {
    const t = kit();
    const r = await t.post("/customer", { DisplayName: "Env" });
    assert.ok(r.body.Customer && typeof r.body.time === "string");
    assert.equal(r.headers.get("content-type"), "application/json;charset=UTF-8");
    const f = await t.get("/customer/99999");
    assert.equal(f.status, 400);
    assert.equal(f.body.Fault.type, "ValidationFault");
    assert.equal(f.body.Fault.Error[0].code, "610");
    assert.ok(f.body.time);
    const auth = await t.call("GET", "/customer/1", undefined, { authorization: "Bearer nope" });
    assert.equal(auth.status, 401);
    assert.equal(auth.body.fault.error[0].code, "3200");
    assert.equal(auth.body.fault.type, "AUTHENTICATION");
    assert.equal(typeof auth.body.time, "number");
  });
});

describe("§14.3 validation", () => {
  it("2050 length with element, 2020 required, forbidden name characters", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Val" });
    const long = await t.post("/invoice", t.invoiceBody(c.Id, 10, { DocNumber: "X".repeat(22) }));
    assert.equal(t.faultCode(long), "2050");
    assert.equal(t.element(long), "DocNumber");
    assert.match(long.body.Fault.Error[0].Detail, /Max:21 supported. Supplied length:22/);
    const req = await t.post("/invoice", { Line: t.invoiceBody(c.Id).Line });
    assert.equal(t.faultCode(req), "2020");
    assert.equal(t.element(req), "CustomerRef");
    for (const bad of ["A:B", "Tab\tName", "New\nLine"]) {
      const r = await t.post("/customer", { DisplayName: bad });
      assert.equal(r.status, 400, bad);
      assert.equal(t.element(r), "DisplayName");
    }
    const acct = await t.post("/account", { Name: 'Bad "Quote"', AccountType: "Bank" });
    assert.equal(t.element(acct), "Name");
  });

  it("6240 duplicate DisplayName across Customer, Vendor and Employee", async () => {
    const t = kit();
    await t.create("Vendor", { DisplayName: "Expert Witness" });
    const r = await t.post("/customer", { DisplayName: "Expert Witness" });
    assert.equal(t.faultCode(r), "6240");
    const e = await t.post("/employee", {
      GivenName: "Expert",
      FamilyName: "Witness",
      DisplayName: "expert witness",
    });
    assert.equal(t.faultCode(e), "6240");
  });

  it("6070 Amount must equal Qty × UnitPrice; 6100 US tax codes", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Amt" });
    const body = t.invoiceBody(c.Id, 100);
    body.Line[0].SalesItemLineDetail.Qty = 3;
    body.Line[0].SalesItemLineDetail.UnitPrice = 33.33;
    assert.equal(t.faultCode(await t.post("/invoice", body)), "6070");
    body.Line[0].Amount = 99.99;
    assert.equal((await t.post("/invoice", body)).status, 200);
    body.Line[0].SalesItemLineDetail.TaxCodeRef = { value: "GST" };
    assert.equal(t.faultCode(await t.post("/invoice", body)), "6100");
  });

  it("journal entries must balance and A/R lines need a customer; transfers are asset-only", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "JE Client" });
    const bank = await t.account("Checking");
    const ar = await t.account("AccountsReceivable");
    const income = await t.account("ServiceFeeIncome");
    const line = (type: string, acct: string, amount: number, entity?: string) => ({
      Amount: amount,
      DetailType: "JournalEntryLineDetail",
      JournalEntryLineDetail: {
        PostingType: type,
        AccountRef: { value: acct },
        ...(entity ? { Entity: { Type: "Customer", EntityRef: { value: entity } } } : {}),
      },
    });
    const unbalanced = await t.post("/journalentry", {
      Line: [line("Debit", bank.Id, 10), line("Credit", income.Id, 9)],
    });
    assert.equal(t.faultCode(unbalanced), "6000");
    const noCustomer = await t.post("/journalentry", {
      Line: [line("Debit", ar.Id, 10), line("Credit", income.Id, 10)],
    });
    assert.match(noCustomer.body.Fault.Error[0].Detail, /Accounts Receivable/);
    const good = await t.post("/journalentry", {
      Line: [line("Debit", ar.Id, 10, c.Id), line("Credit", income.Id, 10)],
    });
    assert.equal(good.status, 200);
    assert.equal(good.body.JournalEntry.TotalAmt, 10);
    const transfer = await t.post("/transfer", {
      FromAccountRef: { value: bank.Id },
      ToAccountRef: { value: income.Id },
      Amount: 5,
    });
    assert.equal(transfer.status, 400);
    const savings = await t.account("Savings");
    assert.equal(
      (
        await t.post("/transfer", {
          FromAccountRef: { value: bank.Id },
          ToAccountRef: { value: savings.Id },
          Amount: 5,
        })
      ).status,
      200,
    );
  });

  it("610 for a missing or inactive reference", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Soon Inactive" });
    await t.post("/customer", { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Active: false });
    const r = await t.post("/invoice", t.invoiceBody(c.Id));
    assert.equal(t.faultCode(r), "610");
    assert.match(r.body.Fault.Error[0].Detail, /inactive/);
    assert.equal(t.faultCode(await t.post("/invoice", t.invoiceBody("424242"))), "610");
  });

  it("6140 duplicate DocNumber while the emulator's rule is on; include=allowduplicatedocnum bypasses; the rule is an admin switch", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Docs" });
    await t.create("Invoice", t.invoiceBody(c.Id, 10, { DocNumber: "CL-1" }));
    assert.equal(
      t.faultCode(await t.post("/invoice", t.invoiceBody(c.Id, 10, { DocNumber: "CL-1" }))),
      "6140",
    );
    const bypass = await t.post(
      "/invoice?include=allowduplicatedocnum",
      t.invoiceBody(c.Id, 10, { DocNumber: "CL-1" }),
    );
    assert.equal(bypass.status, 200);
    const prefs = await t.get("/preferences");
    const names = prefs.body.Preferences.OtherPrefs.NameValue.map((n: { Name: string }) => n.Name);
    assert.ok(!names.includes("WarnDuplicateDocNum"), "no made-up Preferences name");
    const off = await t.call("PUT", "/__admin/rules", { rejectDuplicateDocNumber: false });
    assert.equal(off.body.rejectDuplicateDocNumber, false);
    const allowed = await t.post("/invoice", t.invoiceBody(c.Id, 10, { DocNumber: "CL-1" }));
    assert.equal(allowed.status, 200, "with the rule off a duplicate number is accepted");
  });

  it("6540 deposited payments can't change; 6210 closed books", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Dep" });
    const inv = await t.create("Invoice", t.invoiceBody(c.Id, 50, { TxnDate: "2026-01-10" }));
    const pay = await t.create("Payment", {
      CustomerRef: { value: c.Id },
      TotalAmt: 50,
      TxnDate: "2026-01-15",
      Line: [{ Amount: 50, LinkedTxn: [{ TxnId: inv.Id, TxnType: "Invoice" }] }],
    });
    const dep = await t.post(`/__admin/realms/${t.realm}/deposit`, { paymentIds: [pay.Id] });
    assert.equal(dep.status, 201);
    const fresh = (await t.get(`/payment/${pay.Id}`)).body.Payment;
    assert.equal(
      t.faultCode(await t.post("/payment?operation=delete", { Id: pay.Id, SyncToken: fresh.SyncToken })),
      "6540",
    );
    assert.equal(
      t.faultCode(
        await t.post("/payment", { Id: pay.Id, SyncToken: fresh.SyncToken, sparse: true, PrivateNote: "x" }),
      ),
      "6540",
    );
    await t.post(`/__admin/realms/${t.realm}/close-books`, { date: "2026-01-31" });
    assert.equal(
      t.faultCode(await t.post("/invoice", t.invoiceBody(c.Id, 5, { TxnDate: "2026-01-20" }))),
      "6210",
    );
    assert.equal((await t.post("/invoice", t.invoiceBody(c.Id, 5, { TxnDate: "2026-02-01" }))).status, 200);
  });

  it("5010 on a stale SyncToken", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Stale" });
    await t.post("/customer", { Id: c.Id, SyncToken: "0", sparse: true, Notes: "one" });
    const r = await t.post("/customer", { Id: c.Id, SyncToken: "0", sparse: true, Notes: "two" });
    assert.equal(t.faultCode(r), "5010");
    assert.match(r.body.Fault.Error[0].Detail, /^Stale Object Error : You and/);
  });
});

describe("§3 update, delete and void semantics", () => {
  it("full update clears omitted fields, sparse update keeps them", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Upd", Notes: "keep", CompanyName: "Co" });
    const sparse = await t.post("/customer?operation=update", {
      Id: c.Id,
      SyncToken: "0",
      sparse: true,
      CompanyName: "New Co",
    });
    assert.equal(sparse.body.Customer.Notes, "keep");
    const full = await t.post("/customer?operation=update", { Id: c.Id, SyncToken: "1", DisplayName: "Upd" });
    assert.equal(full.body.Customer.Notes, undefined);
    assert.equal(full.body.Customer.CompanyName, undefined);
  });

  it("name lists can't be deleted; invoices delete and void; payments void with include=void", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Del" });
    assert.equal(
      t.faultCode(await t.post("/customer?operation=delete", { Id: c.Id, SyncToken: "0" })),
      "500",
    );
    const inv = await t.create("Invoice", t.invoiceBody(c.Id, 20, { PrivateNote: "bill 1" }));
    const voided = await t.post("/invoice?operation=void", { Id: inv.Id, SyncToken: inv.SyncToken });
    assert.equal(voided.body.Invoice.TotalAmt, 0);
    assert.match(voided.body.Invoice.PrivateNote, /^Voided/);
    const inv2 = await t.create("Invoice", t.invoiceBody(c.Id, 20));
    const del = await t.post("/invoice?operation=delete", { Id: inv2.Id, SyncToken: inv2.SyncToken });
    assert.deepEqual(del.body.Invoice, { status: "Deleted", domain: "QBO", Id: inv2.Id });
    assert.equal(t.faultCode(await t.get(`/invoice/${inv2.Id}`)), "610");
    const pay = await t.create("Payment", { CustomerRef: { value: c.Id }, TotalAmt: 15 });
    const pv = await t.post("/payment?operation=update&include=void", {
      Id: pay.Id,
      SyncToken: pay.SyncToken,
      sparse: true,
    });
    assert.equal(pv.body.Payment.TotalAmt, 0);
  });
});

describe("§14.4 derived fields", () => {
  it("invoice TotalAmt/Balance/LinkedTxn, subtotal line, payment UnappliedAmt, credit memo RemainingCredit, balances", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Derived" });
    const inv = await t.create("Invoice", {
      CustomerRef: { value: c.Id },
      Line: [
        { Amount: 0.1, DetailType: "SalesItemLineDetail", SalesItemLineDetail: { ItemRef: { value: "19" } } },
        { Amount: 0.2, DetailType: "SalesItemLineDetail", SalesItemLineDetail: { ItemRef: { value: "19" } } },
      ],
    });
    assert.equal(inv.TotalAmt, 0.3);
    assert.equal(inv.Balance, 0.3);
    const sub = inv.Line.find((l: { DetailType: string }) => l.DetailType === "SubTotalLineDetail");
    assert.equal(sub.Amount, 0.3);
    const big = await t.create("Invoice", t.invoiceBody(c.Id, 300));
    const cm = await t.create("CreditMemo", t.invoiceBody(c.Id, 100));
    assert.equal(cm.RemainingCredit, 100);
    const pay = await t.create("Payment", {
      CustomerRef: { value: c.Id },
      TotalAmt: 250,
      Line: [{ Amount: 200, LinkedTxn: [{ TxnId: big.Id, TxnType: "Invoice" }] }],
    });
    assert.equal(pay.UnappliedAmt, 50);
    const apply = await t.create("Payment", {
      CustomerRef: { value: c.Id },
      TotalAmt: 0,
      Line: [
        { Amount: 60, LinkedTxn: [{ TxnId: big.Id, TxnType: "Invoice" }] },
        { Amount: 60, LinkedTxn: [{ TxnId: cm.Id, TxnType: "CreditMemo" }] },
      ],
    });
    assert.equal(apply.UnappliedAmt, 0);
    const after = (await t.get(`/invoice/${big.Id}`)).body.Invoice;
    assert.equal(after.Balance, 40);
    assert.deepEqual(
      after.LinkedTxn.map((l: { TxnId: string }) => l.TxnId),
      [pay.Id, apply.Id],
    );
    assert.equal((await t.get(`/creditmemo/${cm.Id}`)).body.CreditMemo.RemainingCredit, 40);
    // 0.30 + 40 open on invoices − 40 credit − 50 unapplied
    assert.equal((await t.get(`/customer/${c.Id}`)).body.Customer.Balance, -49.7);
    const ar = await t.account("AccountsReceivable");
    assert.equal(ar.CurrentBalance, -49.7);
    const uf = await t.account("UndepositedFunds");
    assert.equal(uf.CurrentBalance, 250);
  });
});
