import { invalid, notFound } from "../http.ts";
import type { BankAccountRec, BankTransactionRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import { cents, type Input, id, text } from "./input.ts";
import { ledgerBalances } from "./ledger.ts";

/** Bank accounts and the helpers money movements share. */
export function createBankAccount(state: ClioState, data: Input): BankAccountRec {
  if (data.type !== "Operating" && data.type !== "Trust") throw invalid("Type must be Operating or Trust");
  if (!data.currency) throw invalid("Currency can't be blank");
  const isDefault =
    data.default_account === undefined
      ? ![...state.all("bank_accounts")].some((a) => a.type === data.type && a.default_account)
      : Boolean(data.default_account);
  return state.insert("bank_accounts", {
    type: data.type,
    name: String(data.name ?? `${data.type} Account`),
    account_number: text(data.account_number),
    transit_number: text(data.transit_number),
    institution: text(data.institution),
    swift: text(data.swift),
    holder: text(data.holder),
    currency: String(data.currency),
    opening_balance_cents:
      data.balance === undefined ? 0 : cents(data.balance, "balance", { positive: false }),
    default_account: isDefault,
    controlled_account: Boolean(data.controlled_account),
    general_ledger_number: text(data.general_ledger_number),
  });
}

export function accountOf(state: ClioState, type: "Operating" | "Trust", raw?: unknown): BankAccountRec {
  if (raw !== undefined && raw !== null) {
    const account = state.get("bank_accounts", id(raw, "bank_account_id"));
    if (!account) throw notFound("BankAccount", raw);
    if (account.type !== type) throw invalid(`Bank account ${account.id} is not a ${type} account`);
    return account;
  }
  let fallback: BankAccountRec | undefined;
  for (const a of state.all("bank_accounts")) {
    if (a.type !== type) continue;
    if (a.default_account) return a;
    fallback ??= a;
  }
  if (fallback) return fallback;
  // A firm always has somewhere to put money: create the default account on first use.
  return createBankAccount(state, { type, currency: "USD", name: `${type} Account`, default_account: true });
}

export function addTransaction(
  state: ClioState,
  account: BankAccountRec,
  fields: Partial<BankTransactionRec> & {
    date: string;
    amount_cents: number;
    transaction_type: string;
    source: string;
  },
): BankTransactionRec {
  return state.insert("bank_transactions", {
    bank_account_id: account.id,
    type: account.type === "Trust" ? "liability" : "asset",
    description: null,
    confirmation: null,
    client_id: null,
    matter_id: null,
    bill_id: null,
    allocation_id: null,
    payment_id: null,
    bank_transfer_id: null,
    ...fields,
  });
}

/** The trust ledger balance of a matter (or of a client across matters) in one account. */
export function trustBalance(
  state: ClioState,
  accountId: number,
  by: "client" | "matter",
  ownerId: number,
): number {
  return ledgerBalances(state, by, ownerId).find((b) => b.account_id === accountId)?.balance ?? 0;
}

export function resolveMatterClient(
  state: ClioState,
  data: Input,
): { matterId: number | null; clientId: number } {
  if (data.matter_id !== undefined && data.matter_id !== null) {
    const matter = state.get("matters", id(data.matter_id, "matter_id"));
    if (!matter) throw notFound("Matter", data.matter_id);
    return { matterId: matter.id, clientId: matter.client_id };
  }
  const clientId = id(data.client_id ?? data.contact_id, "client_id");
  if (!state.get("contacts", clientId)) throw notFound("Contact", clientId);
  return { matterId: null, clientId };
}
