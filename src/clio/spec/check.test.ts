import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkClioRequest, findClioOperation } from "./check.ts";

const url = (path: string) => `https://app.clio.com/api/v4/${path}`;

describe("checking a request against the Clio spec facts", () => {
  it("finds operations with or without .json, preferring literal segments", () => {
    assert.equal(findClioOperation("GET", "/api/v4/users/who_am_i.json")?.key, "GET /users/who_am_i");
    assert.equal(findClioOperation("GET", "/api/v4/users/12")?.key, "GET /users/{}");
    assert.equal(
      findClioOperation("GET", "contacts/7/email_addresses")?.key,
      "GET /contacts/{}/email_addresses",
    );
    assert.equal(findClioOperation("POST", "/api/v4/bills.json"), undefined, "Clio has no bill create");
  });

  it("accepts what the spec declares", () => {
    assert.deepEqual(
      checkClioRequest(
        "GET",
        url(
          "bank_transactions.json?type=liability&limit=200&order=id(asc)&fields=id,client{id,name},bank_account{id,type}",
        ),
      ),
      [],
    );
    assert.deepEqual(
      checkClioRequest("GET", url("contacts.json?ids[]=1&ids[]=2&custom_field_values[12]=>3")),
      [],
    );
    assert.deepEqual(
      checkClioRequest("GET", url("bills.json?fields=matters{client}")),
      [],
      "a bare association inside braces",
    );
  });

  it("names unknown parameters, enum values and fields, nested ones too", () => {
    assert.deepEqual(checkClioRequest("GET", url("line_items.json?order=id(asc)")), [
      "GET /line_items: order is not a declared parameter",
    ]);
    assert.deepEqual(checkClioRequest("GET", url("contacts.json?ids=1,2")), [
      "GET /contacts: ids is not a declared parameter",
    ]);
    assert.deepEqual(checkClioRequest("GET", url("bank_accounts.json?type=Trust")), [
      "GET /bank_accounts: type=Trust is not one of OperatingAccount, TrustAccount",
    ]);
    assert.deepEqual(checkClioRequest("GET", url("bank_transactions.json?fields=id,bank_transfer{id}")), [
      "GET /bank_transactions: BankTransaction.bank_transfer is not a valid field",
    ]);
    assert.deepEqual(
      checkClioRequest("GET", url("bank_transfers/1.json?fields=source_client{id},client{id,nickname}")),
      [
        "GET /bank_transfers/{}: BankTransfer.source_client is not a valid field",
        "GET /bank_transfers/{}: Contact.nickname (in BankTransfer.client) is not a valid field",
      ],
    );
  });

  it("refuses braces on a plain field and a second level of braces (§2.2)", () => {
    assert.deepEqual(checkClioRequest("GET", url("bills.json?fields=id{x}")), [
      "GET /bills: Bill.id is not an association, so it takes no braces",
    ]);
    assert.deepEqual(checkClioRequest("GET", url("bills.json?fields=matters{client{name}}")), [
      "GET /bills: Bill.matters{client{name}}: one level of braces only",
    ]);
  });

  it("refuses an operation the spec does not have", () => {
    assert.deepEqual(checkClioRequest("GET", url("bank_transfers.json")), [
      "GET /api/v4/bank_transfers.json is not a Clio operation",
    ]);
  });
});
