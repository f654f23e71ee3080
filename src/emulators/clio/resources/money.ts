import type { Hono } from "hono";
import { createBankAccount } from "../domain/accounts.ts";
import { id as idOf } from "../domain/input.ts";
import { accountBalance } from "../domain/ledger.ts";
import { createTrustRequest } from "../domain/trust.ts";
import { boolParam, commonFilter, enumParam, idParam } from "../filters.ts";
import { type ApiEnv, checkIfMatch, invalid, notFound, parseId, readData, showRecord } from "../http.ts";
import { listResponse } from "../paging.ts";
import type { BankAccountRec } from "../records.ts";

/** Allocations, credit memos, bank accounts/transactions/transfers, trust requests (§5.6–§5.8). */
export function registerMoney(api: Hono<ApiEnv>): void {
  api.get("/allocations", (c) => {
    const state = c.get("state");
    const billId = idParam(c, "bill_id");
    const contactId = idParam(c, "contact_id");
    const matterId = idParam(c, "matter_id");
    const parentId = idParam(c, "parent_id");
    // parent_type is an integer in the spec; which integer is which is UNCONFIRMED: 1 Payment, 2 CreditMemo.
    const parentTypeRaw = c.req.query("parent_type");
    const parentType =
      parentTypeRaw === undefined
        ? undefined
        : (
            { "1": "Payment", "2": "CreditMemo", Payment: "Payment", CreditMemo: "CreditMemo" } as Record<
              string,
              string
            >
          )[parentTypeRaw];
    if (parentTypeRaw !== undefined && !parentType) throw invalid("parent_type is not valid");
    const status = enumParam(c, "status", ["valid", "invalid"] as const);
    const records = commonFilter(c, state.all("allocations")).filter(
      (a) =>
        (billId === undefined || a.bill_id === billId) &&
        (contactId === undefined || a.contact_id === contactId) &&
        (matterId === undefined || a.matter_id === matterId) &&
        (parentId === undefined || a.parent_id === parentId) &&
        (!parentType || a.parent_type === parentType) &&
        (!status || (status === "valid") === (a.voided_at === null)),
    );
    return listResponse(
      c,
      { resource: "allocation", defaultOrder: "date(asc)", orders: { id: (a) => a.id, date: (a) => a.date } },
      records,
    );
  });
  api.get("/allocations/:id", (c) => {
    const rec = c.get("state").get("allocations", parseId(c.req.param("id")));
    if (!rec) throw notFound("Allocation", c.req.param("id"));
    return showRecord(c, "allocation", rec);
  });

  api.get("/credit_memos", (c) => {
    const contactId = idParam(c, "contact_id");
    const records = commonFilter(c, c.get("state").all("credit_memos")).filter(
      (m) => contactId === undefined || m.contact_id === contactId,
    );
    return listResponse(
      c,
      {
        resource: "credit_memo",
        defaultOrder: "date(asc)",
        orders: { id: (m) => m.id, date: (m) => m.date },
      },
      records,
    );
  });
  api.get("/credit_memos/:id", (c) => {
    const rec = c.get("state").get("credit_memos", parseId(c.req.param("id")));
    if (!rec) throw notFound("CreditMemo", c.req.param("id"));
    return showRecord(c, "credit_memo", rec);
  });

  api.get("/bank_accounts", (c) => {
    const state = c.get("state");
    // The filter says OperatingAccount/TrustAccount while the field says Operating/Trust (§5.7).
    const type = enumParam(c, "type", ["OperatingAccount", "TrustAccount"] as const);
    const showEmpty = boolParam(c, "show_empty_accounts");
    const records = commonFilter(c, state.all("bank_accounts")).filter(
      (a) =>
        (!type || `${a.type}Account` === type) && (showEmpty !== false || accountBalance(state, a.id) !== 0),
    );
    return listResponse(
      c,
      {
        resource: "bank_account",
        defaultOrder: "id(asc)",
        orders: {
          id: (a) => a.id,
          name: (a) => a.name,
          institution: (a) => a.institution,
          type: (a) => a.type,
          updated_at: (a) => a.updated_at,
        },
      },
      records,
    );
  });
  api.get("/bank_accounts/:id", (c) =>
    showRecord(c, "bank_account", findAccount(c.get("state"), c.req.param("id"))),
  );
  api.post("/bank_accounts", async (c) =>
    showRecord(c, "bank_account", createBankAccount(c.get("state"), await readData(c)), 201),
  );
  api.patch("/bank_accounts/:id", async (c) => {
    const state = c.get("state");
    const account = findAccount(state, c.req.param("id"));
    checkIfMatch(c, account);
    const data = await readData(c);
    const patch: Partial<BankAccountRec> = {};
    for (const k of [
      "name",
      "account_number",
      "transit_number",
      "institution",
      "swift",
      "holder",
      "general_ledger_number",
    ] as const) {
      if (data[k] !== undefined)
        (patch as Record<string, unknown>)[k] = data[k] === null ? null : String(data[k]);
    }
    if (data.default_account !== undefined) patch.default_account = Boolean(data.default_account);
    return showRecord(c, "bank_account", state.update("bank_accounts", account.id, patch));
  });
  api.delete("/bank_accounts/:id", (c) => {
    const state = c.get("state");
    const account = findAccount(state, c.req.param("id"));
    if (
      (state.index("bank_transactions", "account", (t) => t.bank_account_id).get(account.id)?.length ?? 0) > 0
    ) {
      throw invalid("A bank account with transactions cannot be deleted");
    }
    state.remove("bank_accounts", account.id);
    return c.body(null, 204);
  });

  api.get("/bank_transactions", (c) => {
    const state = c.get("state");
    const accountId = idParam(c, "bank_account_id");
    const clientId = idParam(c, "client_id");
    const matterId = idParam(c, "matter_id");
    const type = enumParam(c, "type", ["asset", "liability"] as const);
    const records = commonFilter(c, state.all("bank_transactions")).filter(
      (t) =>
        (accountId === undefined || t.bank_account_id === accountId) &&
        (clientId === undefined || t.client_id === clientId) &&
        (matterId === undefined || t.matter_id === matterId) &&
        (!type || t.type === type),
    );
    return listResponse(
      c,
      { resource: "bank_transaction", defaultOrder: "id(asc)", orders: { id: (t) => t.id } },
      records,
    );
  });
  api.get("/bank_transactions/:id", (c) => {
    const rec = c.get("state").get("bank_transactions", parseId(c.req.param("id")));
    if (!rec) throw notFound("BankTransaction", c.req.param("id"));
    return showRecord(c, "bank_transaction", rec);
  });
  api.get("/bank_transfers/:id", (c) => {
    const rec = c.get("state").get("bank_transfers", parseId(c.req.param("id")));
    if (!rec) throw notFound("BankTransfer", c.req.param("id"));
    return showRecord(c, "bank_transfer", rec);
  });

  api.post("/trust_requests", async (c) => {
    const bill = createTrustRequest(c.get("state"), await readData(c));
    return showRecord(c, "trust_request", bill, 201);
  });

  api.get("/users/who_am_i", (c) => {
    const user = c.get("state").get("users", c.get("userId"));
    if (!user) throw notFound("User", c.get("userId"));
    return showRecord(c, "user", user);
  });
  api.get("/users/:id", (c) => {
    const user = c.get("state").get("users", parseId(c.req.param("id")));
    if (!user) throw notFound("User", c.req.param("id"));
    return showRecord(c, "user", user);
  });
}

function findAccount(state: ApiEnv["Variables"]["state"], raw: string): BankAccountRec {
  const account = state.get("bank_accounts", idOf(raw, "id"));
  if (!account) throw notFound("BankAccount", raw);
  return account;
}
