import type { Context, Hono } from "hono";
import type { ClioEmulator } from "../app.ts";
import { approveBill, createBill, deleteBill, findBill, patchBill } from "../domain/bills.ts";
import { createContact } from "../domain/contacts.ts";
import { createMatter } from "../domain/matters.ts";
import {
  createCreditMemo,
  deleteAllocation,
  deleteParent,
  editParent,
  recordPayment,
  voidParent,
} from "../domain/payments.ts";
import {
  createTrustRequest,
  deleteTransaction,
  deleteTransfer,
  editTransaction,
  editTransfer,
  payTrustRequest,
  transferTransactions,
  trustDeposit,
  trustTransfer,
  trustWithdrawal,
} from "../domain/trust.ts";
import { parseFields, project } from "../fields.ts";
import { ApiFailure, notFound } from "../http.ts";
import type { BankTransferRec } from "../records.ts";
import { body, idFrom } from "./body.ts";

/**
 * The web-app actions: bills (create with line items, approve, edit after approval, void,
 * delete), payments (one or several bills, operating or trust), credit memos (write-offs), voids,
 * trust additions/subtractions/transfers and trust requests. Every answer is the full record.
 */
const ALL = (resource: string): string => {
  const all: Record<string, string> = {
    bill: "id,etag,number,state,kind,type,issued_at,due_at,sub_total,discount,tax_sum,secondary_tax_sum,interest,total,paid,credits_issued,balance,client{id,name},matters{id,display_number},updated_at",
    payment:
      "id,etag,date,amount,description,reference,source_fund_type,voided_at,contact{id,name},source_bank_account{id,type},destination_bank_account{id,type},updated_at",
    credit_memo: "id,etag,date,amount,description,discount,voided_at,contact{id,name},updated_at",
    bank_transaction:
      "id,etag,type,transaction_type,source,date,amount,funds_in,funds_out,description,current_account_balance,bank_account{id,type},client{id,name},matter{id,display_number},updated_at",
    bank_transfer:
      "id,etag,amount,date,description,client{id,name},matter{id,display_number},source_account{id,type},destination_account{id,type},updated_at",
    contact:
      "id,etag,type,name,first_name,last_name,email_addresses{id,address,name,primary},phone_numbers{id,number,name,primary},updated_at",
    matter: "id,etag,number,display_number,description,status,client{id,name},updated_at",
  };
  return all[resource]!;
};

export function registerAdminMoney(app: Hono, emulator: ClioEmulator): void {
  const p = "/__admin";
  const st = emulator.state;
  const out = (c: Context, resource: string, rec: unknown, status: 200 | 201 = 200) =>
    c.json(
      {
        data: project(resource, rec, parseFields(ALL(resource)), {
          state: st,
          apiVersion: emulator.config.defaultVersion,
        }),
      },
      status,
    );

  app.post(`${p}/contacts`, async (c) => out(c, "contact", createContact(st, await body(c)), 201));
  app.post(`${p}/matters`, async (c) => out(c, "matter", createMatter(st, await body(c)), 201));

  app.post(`${p}/bills`, async (c) => out(c, "bill", createBill(st, await body(c)), 201));
  app.post(`${p}/bills/:id/approve`, (c) => out(c, "bill", approveBill(st, findBill(st, idFrom(c)))));
  app.patch(`${p}/bills/:id`, async (c) =>
    out(c, "bill", patchBill(st, findBill(st, idFrom(c)), await body(c), true)),
  );
  app.post(`${p}/bills/:id/void`, (c) => {
    const bill = findBill(st, idFrom(c));
    if (bill.state !== "awaiting_payment")
      throw new ApiFailure(422, "RecordInvalid", "Only approved unpaid bills can be voided");
    return out(c, "bill", deleteBill(st, bill));
  });
  app.delete(`${p}/bills/:id`, (c) => out(c, "bill", deleteBill(st, findBill(st, idFrom(c)))));
  app.get(`${p}/bills/:id`, (c) => out(c, "bill", findBill(st, idFrom(c))));

  app.post(`${p}/payments`, async (c) => out(c, "payment", recordPayment(st, await body(c)), 201));
  app.get(`${p}/payments/:id`, (c) =>
    out(c, "payment", st.get("payments", idFrom(c)) ?? fail("Payment", idFrom(c))),
  );
  app.patch(`${p}/payments/:id`, async (c) => {
    editParent(st, "Payment", idFrom(c), await body(c));
    return out(c, "payment", st.get("payments", idFrom(c)));
  });
  app.post(`${p}/payments/:id/void`, (c) => {
    voidParent(st, "Payment", idFrom(c));
    return out(c, "payment", st.get("payments", idFrom(c)));
  });
  app.delete(`${p}/payments/:id`, (c) => {
    deleteParent(st, "Payment", idFrom(c));
    return c.body(null, 204);
  });

  app.delete(`${p}/allocations/:id`, (c) => {
    deleteAllocation(st, idFrom(c));
    return c.body(null, 204);
  });

  app.post(`${p}/credit_memos`, async (c) => out(c, "credit_memo", createCreditMemo(st, await body(c)), 201));
  app.patch(`${p}/credit_memos/:id`, async (c) => {
    editParent(st, "CreditMemo", idFrom(c), await body(c));
    return out(c, "credit_memo", st.get("credit_memos", idFrom(c)));
  });
  app.post(`${p}/credit_memos/:id/void`, (c) => {
    voidParent(st, "CreditMemo", idFrom(c));
    return out(c, "credit_memo", st.get("credit_memos", idFrom(c)));
  });
  app.delete(`${p}/credit_memos/:id`, (c) => {
    deleteParent(st, "CreditMemo", idFrom(c));
    return c.body(null, 204);
  });

  app.post(`${p}/trust/deposits`, async (c) =>
    out(c, "bank_transaction", trustDeposit(st, await body(c)), 201),
  );
  app.post(`${p}/trust/withdrawals`, async (c) =>
    out(c, "bank_transaction", trustWithdrawal(st, await body(c)), 201),
  );
  app.patch(`${p}/bank_transactions/:id`, async (c) => {
    const tx = st.get("bank_transactions", idFrom(c)) ?? fail("BankTransaction", idFrom(c));
    return out(c, "bank_transaction", editTransaction(st, tx, await body(c)));
  });
  app.delete(`${p}/bank_transactions/:id`, (c) => {
    deleteTransaction(st, st.get("bank_transactions", idFrom(c)) ?? fail("BankTransaction", idFrom(c)));
    return c.body(null, 204);
  });
  // Clio names neither the legs of a transfer nor where it came from (clio-api.md §5.7): only this
  // admin answer does, so tests know which transactions a transfer made.
  const transferOut = (c: Context, t: BankTransferRec, status: 200 | 201 = 200) => {
    const legs = transferTransactions(st, t.id);
    const from = legs.find((l) => l.amount_cents < 0)?.id;
    const to = legs.find((l) => l.amount_cents > 0)?.id;
    const data = project("bank_transfer", t, parseFields(ALL("bank_transfer")), {
      state: st,
      apiVersion: emulator.config.defaultVersion,
    });
    return c.json({ data: { ...data, legs: { from, to } } }, status);
  };
  app.post(`${p}/trust/transfers`, async (c) => transferOut(c, trustTransfer(st, await body(c)), 201));
  app.patch(`${p}/bank_transfers/:id`, async (c) => {
    const t = st.get("bank_transfers", idFrom(c)) ?? fail("BankTransfer", idFrom(c));
    return transferOut(c, editTransfer(st, t, await body(c)));
  });
  app.delete(`${p}/bank_transfers/:id`, (c) => {
    deleteTransfer(st, st.get("bank_transfers", idFrom(c)) ?? fail("BankTransfer", idFrom(c)));
    return c.body(null, 204);
  });
  app.post(`${p}/trust_requests`, async (c) => out(c, "bill", createTrustRequest(st, await body(c)), 201));
  app.post(`${p}/trust_requests/:id/pay`, async (c) =>
    out(c, "payment", payTrustRequest(st, findBill(st, idFrom(c)), await body(c)), 201),
  );
}

function fail(what: string, id: number): never {
  throw notFound(what, id);
}
