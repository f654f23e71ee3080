import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { clioContactById, linkedQboRecord } from "../testing/linked-records.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;

/**
 * Every row of PRODUCT.md §1.1's field table, edited on one side and then cleared there, must reach
 * the other side — both directions — through real HTTP and the three-way merge.
 */
describe("every mapped contact field, both ways, set and cleared", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let ids: Record<string, number>;
  let realm: string;

  const pass = () => runSyncPass(engine.deps);
  const customer = (name: string) => linkedQboRecord(engine, "customer", "Customer", ids[name]!);
  const contact = (name: string) => clioContactById(engine, ids[name]!);
  const editQbo = async (name: string, patch: Row) => {
    const c = await customer(name);
    await pair.qboAdmin("PATCH", `/realms/${realm}/customer/${String(c.Id)}`, patch);
  };
  const phone = (c: Row, name: string) => (c.phone_numbers as Row[]).find((p) => p.name === name)?.number;
  const address = (c: Row, name: string) => (c.addresses as Row[]).find((a) => a.name === name);
  const free = (c: Row, key: string) =>
    ((c[key] as Row | undefined)?.FreeFormNumber as string | undefined) || undefined;

  /** Jane gets a Home and a Fax phone and Work and Billing addresses in Clio; Acme a new name. */
  const setInClio = async () => {
    await engine.deps.clio.updateContact(String(ids.jane), {
      phone_numbers: [
        { name: "Home", number: "555-0201" },
        { name: "Fax", number: "555-0202" },
      ],
      addresses: [
        {
          name: "Work",
          street: "1 Office Rd",
          city: "Springfield",
          province: "IL",
          postal_code: "62701",
          country: "US",
        },
        {
          name: "Billing",
          street: "PO Box 9",
          city: "Springfield",
          province: "IL",
          postal_code: "62702",
          country: "US",
        },
      ],
    });
    await engine.deps.clio.updateContact(String(ids.acme), { name: "Acme Holdings Group" });
  };
  /** Every mapped field of Jane's customer is set in QBO, and Acme's company name changed. */
  const setInQbo = async () => {
    await editQbo("jane", {
      Mobile: { FreeFormNumber: "555-0301" },
      AlternatePhone: { FreeFormNumber: "555-0302" },
      Fax: { FreeFormNumber: "555-0303" },
      ShipAddr: {
        Line1: "2 Court St",
        City: "Capital",
        CountrySubDivisionCode: "NY",
        PostalCode: "10001",
        Country: "US",
      },
      BillAddr: {
        Line1: "3 Ledger Ave",
        City: "Capital",
        CountrySubDivisionCode: "NY",
        PostalCode: "10002",
        Country: "US",
      },
      PrimaryEmailAddr: { Address: "jane.qbo@example.test" },
      FamilyName: "Doe-QBO",
    });
    await editQbo("acme", { CompanyName: "Acme From QBO" });
  };

  // Each test starts from its own freshly synced hand-built firm, and a test that clears fields
  // first sets them itself, so any one of them can run alone (--test-name-pattern).
  beforeEach(async () => {
    pair = await startEmulatorPair();
    ids = await buildHandFirm(pair);
    realm = pair.qbo.defaultRealmId;
    engine = await createEngine(pair.config, silentLogger);
    await pass();
  });

  afterEach(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("Clio → QBO: phones named Mobile, Home and Fax, Work and Billing addresses, company name", async () => {
    await setInClio();
    await pass();
    const jane = await customer("jane");
    assert.equal(free(jane, "Mobile"), "555-0199");
    assert.equal(free(jane, "AlternatePhone"), "555-0201");
    assert.equal(free(jane, "Fax"), "555-0202");
    assert.equal((jane.ShipAddr as Row).Line1, "1 Office Rd");
    assert.equal((jane.BillAddr as Row).Line1, "PO Box 9");
    assert.equal((jane.BillAddr as Row).PostalCode, "62702");
    assert.equal((await customer("acme")).CompanyName, "Acme Holdings Group");
  });

  it("Clio → QBO: clearing each of them clears it in QBO", async () => {
    await setInClio();
    await pass();
    const jane = await contact("jane");
    const destroy = (items: Row[], names: string[]) =>
      items.filter((i) => names.includes(String(i.name))).map((i) => ({ id: i.id, _destroy: true }));
    await engine.deps.clio.updateContact(String(ids.jane), {
      phone_numbers: destroy(jane.phone_numbers as Row[], ["Mobile", "Home", "Fax"]),
      addresses: destroy(jane.addresses as Row[], ["Work", "Billing"]),
    });
    await pass();
    const after = await customer("jane");
    for (const key of ["Mobile", "AlternatePhone", "Fax"]) assert.equal(free(after, key), undefined, key);
    for (const key of ["ShipAddr", "BillAddr"]) assert.ok(!(after[key] as Row | undefined)?.Line1, key);
  });

  it("QBO → Clio: each field set in QBO reaches Clio", async () => {
    await setInQbo();
    await pass();
    const jane = await contact("jane");
    assert.equal(phone(jane, "Mobile"), "555-0301");
    assert.equal(phone(jane, "Home"), "555-0302");
    assert.equal(phone(jane, "Fax"), "555-0303");
    assert.equal(address(jane, "Work")?.street, "2 Court St");
    assert.equal(address(jane, "Billing")?.postal_code, "10002");
    assert.equal((jane.email_addresses as Row[]).find((e) => e.primary)?.address, "jane.qbo@example.test");
    assert.equal(jane.last_name, "Doe-QBO");
    assert.equal((await contact("acme")).name, "Acme From QBO");
  });

  it("QBO → Clio: each field cleared in QBO is cleared in Clio, and then nothing is left to write", async () => {
    await setInQbo();
    await pass();
    await editQbo("jane", {
      Mobile: { FreeFormNumber: "" },
      AlternatePhone: { FreeFormNumber: "" },
      Fax: { FreeFormNumber: "" },
      ShipAddr: { Line1: "", City: "", CountrySubDivisionCode: "", PostalCode: "", Country: "" },
      BillAddr: { Line1: "", City: "", CountrySubDivisionCode: "", PostalCode: "", Country: "" },
    });
    await pass();
    const jane = await contact("jane");
    for (const name of ["Mobile", "Home", "Fax"]) assert.equal(phone(jane, name), undefined, name);
    for (const name of ["Work", "Billing"]) assert.equal(address(jane, name), undefined, name);
    assert.equal((await pass()).written.sent, 0);
  });
});
