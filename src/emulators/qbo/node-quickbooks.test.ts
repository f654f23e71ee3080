/**
 * The emulator driven by `node-quickbooks` (unchanged, from npm) over real HTTP: its sandbox base
 * URL constant is pointed at the emulator. Proves the emulator speaks the API as real clients use it.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type RunningQboEmulator, startQboEmulator } from "./index.ts";

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped third-party client
const QuickBooks: any = require("node-quickbooks");

describe("node-quickbooks against the emulator", () => {
  let server: RunningQboEmulator;
  // biome-ignore lint/suspicious/noExplicitAny: untyped third-party client
  let qbo: any;
  // biome-ignore lint/suspicious/noExplicitAny: untyped third-party client
  const call = (method: string, ...args: unknown[]): Promise<any> =>
    promisify(qbo[method].bind(qbo))(...args);

  before(async () => {
    server = await startQboEmulator({ port: 0 });
    QuickBooks.V3_ENDPOINT_BASE_URL = `${server.url}/v3/company/`;
    const tokens = server.emulator.issueTokens();
    qbo = new QuickBooks(
      "client-id",
      "client-secret",
      tokens.access_token,
      false,
      server.defaultRealmId,
      true,
      false,
      75,
      "2.0",
      tokens.refresh_token,
    );
  });
  after(async () => {
    await server.close();
  });

  it("creates, reads, updates (full and sparse) a customer and finds it with criteria", async () => {
    const created = await call("createCustomer", {
      DisplayName: "O'Neil & Sons",
      CompanyName: "ONS",
      Notes: "n1",
    });
    assert.equal(created.SyncToken, "0");
    const read = await call("getCustomer", created.Id);
    assert.equal(read.DisplayName, "O'Neil & Sons");
    const sparse = await call("updateCustomer", {
      Id: read.Id,
      SyncToken: read.SyncToken,
      CompanyName: "ONS 2",
    });
    assert.equal(sparse.CompanyName, "ONS 2");
    assert.equal(sparse.Notes, "n1");
    const full = await call("updateCustomer", {
      Id: sparse.Id,
      SyncToken: sparse.SyncToken,
      sparse: false,
      DisplayName: "O'Neil & Sons",
    });
    assert.equal(full.Notes, undefined);
    const found = await call("findCustomers", [
      { field: "DisplayName", value: "O'Neil & Sons", operator: "=" },
    ]);
    assert.equal(found.QueryResponse.Customer.length, 1);
    assert.equal(found.QueryResponse.Customer[0].Id, created.Id);
    const like = await call("findCustomers", { DisplayName: "%Neil%" });
    assert.equal(like.QueryResponse.Customer, undefined, "= with a % is not LIKE");
    const liked = await call("findCustomers", [{ field: "DisplayName", value: "%Neil%", operator: "LIKE" }]);
    assert.equal(liked.QueryResponse.Customer.length, 1);
  });

  it("creates, voids and deletes invoices; voids a payment", async () => {
    const customer = await call("createCustomer", { DisplayName: "Invoice Client" });
    const line = {
      Amount: 250,
      DetailType: "SalesItemLineDetail",
      SalesItemLineDetail: { ItemRef: { value: "19" }, Qty: 2, UnitPrice: 125 },
    };
    const inv = await call("createInvoice", {
      CustomerRef: { value: customer.Id },
      Line: [line],
      DocNumber: "NQ-1",
    });
    assert.equal(inv.TotalAmt, 250);
    const voided = await call("voidInvoice", { Id: inv.Id, SyncToken: inv.SyncToken });
    assert.equal(voided.Invoice.TotalAmt, 0);
    const inv2 = await call("createInvoice", {
      CustomerRef: { value: customer.Id },
      Line: [line],
      DocNumber: "NQ-2",
    });
    const deleted = await call("deleteInvoice", inv2.Id);
    assert.equal(deleted.Invoice.status, "Deleted");
    const pay = await call("createPayment", { CustomerRef: { value: customer.Id }, TotalAmt: 40 });
    const pv = await call("voidPayment", { Id: pay.Id, SyncToken: pay.SyncToken });
    assert.equal(pv.TotalAmt, 0);
  });

  it("reports faults the way node-quickbooks expects (Fault.Error[])", async () => {
    await call("createCustomer", { DisplayName: "Dup Name" });
    await assert.rejects(
      call("createCustomer", { DisplayName: "Dup Name" }),
      (err: { response?: { data?: any } }) => {
        assert.equal(err.response?.data?.Fault?.Error?.[0]?.code, "6240");
        return true;
      },
    );
  });

  it("runs batch and change data capture round trips", async () => {
    const since = new Date(Date.now() - 60_000);
    const res = await call("batch", [
      { bId: "1", operation: "create", Customer: { DisplayName: "Batch NQ" } },
      { bId: "2", Query: "select * from Customer where DisplayName = 'Invoice Client'" },
    ]);
    assert.equal(res.BatchItemResponse[0].Customer.DisplayName, "Batch NQ");
    assert.equal(res.BatchItemResponse[1].QueryResponse.Customer.length, 1);
    const cdc = await call("changeDataCapture", ["Customer", "Invoice"], since);
    const groups = cdc.CDCResponse[0].QueryResponse;
    assert.ok(groups[0].Customer.some((c: { DisplayName: string }) => c.DisplayName === "Batch NQ"));
    assert.ok(groups[1].Invoice.some((i: { status?: string }) => i.status === "Deleted"));
  });
});
