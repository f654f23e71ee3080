import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

const NESTED =
  "id,name,first_name,last_name,type,primary_email_address,email_addresses{id,address,name,primary},phone_numbers{id,number,name,primary},addresses{id,name,street,city,primary}";

describe("Clio emulator contacts (clio-api.md §5.1)", () => {
  it("creates Person and Company contacts; writes say default_*, reads say primary", async () => {
    const h = harness();
    const r = await h.api("POST", `contacts.json?fields=${NESTED}`, {
      data: {
        type: "Company",
        name: "Example Holdings Ltd",
        email_addresses: [{ name: "Work", address: "ap@example.test", default_email: true }],
        phone_numbers: [{ name: "Work", number: "555-0199", default_number: true }],
        addresses: [
          {
            name: "Billing",
            street: "9 Ledger St",
            city: "Metro",
            province: "NY",
            postal_code: "10001",
            country: "United States",
          },
        ],
      },
    });
    assert.equal(r.status, 201);
    const c = r.json.data;
    assert.equal(c.type, "Company");
    assert.equal(c.email_addresses[0].primary, true);
    assert.equal("default_email" in c.email_addresses[0], false);
    assert.equal(c.phone_numbers[0].primary, true);
    assert.equal(c.primary_email_address, "ap@example.test");
    assert.equal(c.addresses[0].name, "Billing");
    const bad = await h.api("GET", "contacts.json?fields=email_addresses{default_email}");
    assert.equal(bad.status, 400, "default_email is write-only");
  });

  it("a Person needs first or last name (422); a bare name is split", async () => {
    const h = harness();
    const none = await h.api("POST", "contacts.json", { data: { type: "Person" } });
    assert.equal(none.status, 422);
    assert.match(none.json.error.message, /first name or last name/);
    const split = await h.api("POST", "contacts.json?fields=first_name,last_name", {
      data: { type: "Person", name: "Dana Q Example" },
    });
    assert.deepEqual(split.json.data, { first_name: "Dana Q", last_name: "Example" });
    assert.equal((await h.api("POST", "contacts.json", { data: { type: "Robot", name: "X" } })).status, 422);
  });

  it("PATCH merges nested items: id updates, no id creates, _destroy deletes, omitted are kept", async () => {
    const h = harness();
    const created = await h.api("POST", `contacts.json?fields=${NESTED}`, {
      data: {
        type: "Person",
        first_name: "Dana",
        last_name: "Example",
        email_addresses: [
          { name: "Work", address: "w@example.test", default_email: true },
          { name: "Home", address: "h@example.test" },
          { name: "Other", address: "o@example.test" },
        ],
      },
    });
    const [w, home, other] = created.json.data.email_addresses;
    const r = await h.api("PATCH", `contacts/${created.json.data.id}.json?fields=${NESTED}`, {
      data: {
        email_addresses: [
          { id: home.id, default_email: true, address: "home@example.test" },
          { id: other.id, _destroy: true },
          { name: "Work", address: "new@example.test" },
        ],
      },
    });
    assert.equal(r.status, 200);
    const emails = r.json.data.email_addresses;
    assert.deepEqual(
      emails.map((e: { address: string; primary: boolean }) => [e.address, e.primary]),
      [
        ["w@example.test", false],
        ["home@example.test", true],
        ["new@example.test", false],
      ],
    );
    assert.equal(emails[0].id, w.id);
    assert.equal(r.json.data.primary_email_address, "home@example.test");
  });

  it("allows several emails with no primary at all", async () => {
    const h = harness();
    const r = await h.api("POST", `contacts.json?fields=${NESTED}`, {
      data: {
        type: "Person",
        last_name: "Solo",
        email_addresses: [{ address: "a@x.test" }, { address: "b@x.test" }],
      },
    });
    assert.equal(r.json.data.primary_email_address, null);
    assert.ok(
      r.json.data.email_addresses.every(
        (e: { primary: boolean; name: string }) => !e.primary && e.name === "Other",
      ),
    );
  });

  it("validates the write enum of phone names", async () => {
    const h = harness();
    const ok = await h.api("POST", "contacts.json", {
      data: {
        type: "Person",
        last_name: "P",
        phone_numbers: [
          { number: "1", name: "Mobile" },
          { number: "2", name: "Fax" },
        ],
      },
    });
    assert.equal(ok.status, 201);
    const bad = await h.api("POST", "contacts.json", {
      data: { type: "Person", last_name: "P", phone_numbers: [{ number: "1", name: "Telex" }] },
    });
    assert.equal(bad.status, 422);
  });

  it("lists email_addresses and phone_numbers through the 4.0.11 sub-endpoints", async () => {
    const h = harness();
    const { contactId } = await h.client({
      email_addresses: [{ address: "a@x.test", default_email: true }],
      phone_numbers: [{ number: "1" }],
    });
    const e = await h.api("GET", `contacts/${contactId}/email_addresses.json?fields=address,primary`);
    assert.deepEqual(e.json.data, [{ address: "a@x.test", primary: true }]);
    const p = await h.api("GET", `contacts/${contactId}/phone_numbers.json?fields=number`);
    assert.deepEqual(p.json.data, [{ number: "1" }]);
  });

  it("filters by type and client_only; is_client marks clients of a matter", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const other = await h.admin("POST", "contacts", { type: "Company", name: "Opposing Counsel LLP" });
    const people = await h.api("GET", "contacts.json?type=Person&fields=id");
    assert.deepEqual(
      people.json.data.map((c: { id: number }) => c.id),
      [contactId],
    );
    const clients = await h.api("GET", "contacts.json?client_only=true&fields=id,is_client");
    assert.deepEqual(clients.json.data, [{ id: contactId, is_client: true }]);
    const o = await h.api("GET", `contacts/${other.json.data.id}.json?fields=is_client`);
    assert.equal(o.json.data.is_client, false);
  });

  it("reports account_balances per bank account as {id, balance, type, name, currency_id}", async () => {
    const h = harness();
    const { contactId, matterId } = await h.client();
    await h.admin("POST", "trust/deposits", { matter_id: matterId, amount: "250.50" });
    const r = await h.api("GET", `contacts/${contactId}.json?fields=account_balances`);
    const [b] = r.json.data.account_balances;
    assert.deepEqual(Object.keys(b).sort(), ["balance", "currency_id", "id", "name", "type"]);
    assert.equal(b.balance, 250.5);
    assert.equal(b.type, "Trust");
    const m = await h.api("GET", `matters/${matterId}.json?fields=account_balances{balance,type}`);
    assert.deepEqual(m.json.data.account_balances, [{ balance: 250.5, type: "Trust" }]);
  });

  it("DELETE removes the contact (404 afterwards)", async () => {
    const h = harness();
    const c = await h.admin("POST", "contacts", { type: "Company", name: "Gone" });
    assert.equal((await h.api("DELETE", `contacts/${c.json.data.id}`)).status, 204);
    assert.equal((await h.api("GET", `contacts/${c.json.data.id}`)).status, 404);
  });
});
