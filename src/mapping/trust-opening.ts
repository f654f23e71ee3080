/**
 * The trust cut-over's opening balance (docs/trust.md, "Cut-over"): what a client held in one Clio
 * trust account before `trustStartDate`, as one QBO journal entry dated that day. Each of the two
 * trust accounts gets its opening balance against Opening Balance Equity, the way QuickBooks books
 * every opening balance, so the entry has four lines and the equity account nets to zero:
 *
 *   Dr trust bank / Cr Opening Balance Equity, Dr Opening Balance Equity / Cr trust liability
 *
 * (the other way round for an overdrawn ledger). Every line names the client's customer, so the
 * liability attributed to the customer starts at the client's Clio balance.
 */
import { type Cents, formatMoney, toDecimalNumber } from "../core/money.ts";
import type { Mapped, MappingNote } from "./mapping-issue.ts";
import { cleanText, QBO_LIMITS } from "./qbo-text-rules.ts";

const PREFIX = "opening:";

/** The journal entry link key of a client's opening balance in one Clio trust account. */
export const openingKey = (account: string, client: string): string => `${PREFIX}${account}-${client}`;

export function parseOpeningKey(key: string): { account: string; client: string } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const [account, client] = key.slice(PREFIX.length).split("-");
  return account && client ? { account, client } : undefined;
}

export interface OpeningBalance {
  /** Clio trust bank account id and name. */
  account: string;
  accountName: string;
  client: string;
  clientName?: string;
  /** The client's ledger before the cut-over: funds in minus funds out (cents; negative if overdrawn). */
  amount: Cents;
  /** `trustStartDate`: the entry's date (the movements on that day are posted on their own). */
  date: string;
}

export interface OpeningAccounts {
  bank: string;
  liability: string;
  equity: string;
  customerId: string;
}

/** The entry, or no value for a zero balance (QBO refuses an entry of zero lines). */
export function toOpeningJournalEntry(
  o: OpeningBalance,
  refs: OpeningAccounts,
): Mapped<Record<string, unknown>> {
  const notes: MappingNote[] = [];
  if (o.amount === 0) return { value: undefined, notes };
  const amount = toDecimalNumber(Math.abs(o.amount) as Cents);
  const who = o.clientName ? `${o.clientName} (Clio client ${o.client})` : `Clio client ${o.client}`;
  const description = cleanText(
    `Trust opening balance before ${o.date} — ${who} — Clio trust account ${o.accountName}`,
    "opening balance description",
    notes,
    QBO_LIMITS.Description,
  );
  const line = (posting: "Debit" | "Credit", account: string) => ({
    Amount: amount,
    DetailType: "JournalEntryLineDetail",
    Description: description,
    JournalEntryLineDetail: {
      PostingType: posting,
      AccountRef: { value: account },
      Entity: { Type: "Customer", EntityRef: { value: refs.customerId } },
    },
  });
  const held = o.amount > 0; // the firm holds money for the client (an overdrawn ledger is the reverse)
  const [dr, cr] = held ? (["Debit", "Credit"] as const) : (["Credit", "Debit"] as const);
  return {
    value: {
      TxnDate: o.date,
      PrivateNote: cleanText(
        `Clio trust opening balance of client ${o.client} in trust account ${o.account}: ${formatMoney(o.amount)} before ${o.date}`,
        "PrivateNote",
        notes,
        QBO_LIMITS.PrivateNote,
      ),
      Line: [line(dr, refs.bank), line(cr, refs.equity), line(dr, refs.equity), line(cr, refs.liability)],
    },
    notes,
  };
}
