import { type Cents, parseMoney, toDecimalNumber } from "../core/money.ts";
import type { Mapped, MappingNote } from "./mapping-issue.ts";
import { cleanText, QBO_LIMITS } from "./qbo-text-rules.ts";

/** The fields of a Clio trust bank transaction the trust sync reads (clio-api.md §5.7). */
export interface ClioTrustTransactionView {
  id: number | string;
  date?: string | null;
  funds_in?: number | string | null;
  funds_out?: number | string | null;
  description?: string | null;
  /** Clio's reference code for the transaction. */
  confirmation?: string | null;
  created_at?: string | null;
  source?: string | null;
  transaction_type?: string | null;
  client?: { id: number | string; name?: string | null } | null;
  matter?: { id: number | string; display_number?: string | null } | null;
  bank_account?: { id: number | string } | null;
  bill?: { id: number | string; number?: string | null } | null;
  /** Set by lexbridge on a mirrored transaction that Clio no longer has. */
  deleted?: boolean;
}

/**
 * One journal entry's worth of Clio trust activity: a transaction, or both legs of a transfer
 * (paired by trust-transfer-pairing.ts).
 */
export type TrustMovement =
  | { kind: "single"; tx: ClioTrustTransactionView }
  | { kind: "transfer"; from: ClioTrustTransactionView; to: ClioTrustTransactionView };

export type MovementType = "deposit" | "trust_request" | "withdrawal" | "bill_payment" | "transfer";

export interface TrustJournalContext {
  /** QBO trust bank account (Bank / TrustAccounts) of the Clio account. */
  bankAccountId: string;
  /** QBO trust liability account (Other Current Liability / TrustAccountsLiabilities). */
  liabilityAccountId: string;
  /** Clio client id → QBO customer id. */
  customerIdByClient: ReadonlyMap<string, string>;
}

/** Money into the ledger (positive) or out of it (negative), in cents. */
export function signedAmount(tx: ClioTrustTransactionView): Cents {
  const inflow = parseMoney(tx.funds_in ?? 0);
  const outflow = parseMoney(tx.funds_out ?? 0);
  return (inflow - outflow) as Cents;
}

export function movementType(m: TrustMovement): MovementType {
  if (m.kind === "transfer") return "transfer";
  const tx = m.tx;
  const inflow = signedAmount(tx) >= 0;
  if (inflow) return tx.source === "TrustRequest" ? "trust_request" : "deposit";
  return tx.source === "BillPayment" || (tx.bill !== null && tx.bill !== undefined)
    ? "bill_payment"
    : "withdrawal";
}

const LABEL: Record<MovementType, string> = {
  deposit: "Trust deposit",
  trust_request: "Trust request payment",
  withdrawal: "Trust withdrawal",
  bill_payment: "Bill paid from trust",
  transfer: "Trust transfer",
};

const clientOf = (tx: ClioTrustTransactionView) =>
  tx.client?.id === undefined || tx.client === null ? undefined : String(tx.client.id);

const matterText = (tx: ClioTrustTransactionView) =>
  tx.matter?.display_number ? `matter ${tx.matter.display_number}` : "no matter";

/** The clients a movement's lines name (one, or two for a transfer between clients). */
export function movementClients(m: TrustMovement): string[] {
  const txs = m.kind === "single" ? [m.tx] : [m.from, m.to];
  return [...new Set(txs.map(clientOf).filter((c): c is string => c !== undefined))];
}

/**
 * A Clio trust movement → one balanced QBO JournalEntry (PRODUCT.md §1.5):
 * - manual addition, payment of a trust request: Dr trust bank / Cr trust liability;
 * - manual subtraction, payment of a revenue bill from trust: Dr trust liability / Cr trust bank;
 * - matter-to-matter transfer: Dr liability (from client) / Cr liability (to client).
 * Every line names the client's customer (Entity) and carries the matter number and the Clio
 * transaction id; the header's PrivateNote names the Clio record. A zero-amount movement has no
 * value (QBO refuses empty entries): the engine deletes an entry written before.
 */
export function toTrustJournalEntry(
  m: TrustMovement,
  ctx: TrustJournalContext,
): Mapped<Record<string, unknown>> {
  const notes: MappingNote[] = [];
  const legs = m.kind === "single" ? [m.tx] : [m.from, m.to];
  let amount: Cents;
  let type: MovementType;
  try {
    type = movementType(m);
    amount = Math.abs(signedAmount(m.kind === "single" ? m.tx : m.to)) as Cents;
    if (m.kind === "transfer" && Math.abs(signedAmount(m.from)) !== amount) {
      notes.push({
        severity: "error",
        code: "trust_transfer_unbalanced",
        field: "amount",
        message: `The two legs of the Clio transfer (transactions ${m.from.id} → ${m.to.id}) move different amounts`,
      });
    }
  } catch {
    notes.push({ severity: "error", code: "money_invalid", field: "amount", message: "Amount is not money" });
    return { value: undefined, notes };
  }
  for (const tx of legs) {
    const client = clientOf(tx);
    if (!client) {
      notes.push({
        severity: "error",
        code: "trust_no_client",
        field: "client",
        message: `Clio trust transaction ${tx.id} names no client`,
      });
    } else if (!ctx.customerIdByClient.has(client)) {
      notes.push({
        severity: "error",
        code: "trust_customer_missing",
        field: "client",
        message: `Client ${client} has no QuickBooks customer`,
      });
    }
  }
  if (notes.some((n) => n.severity === "error")) return { value: undefined, notes };
  if (amount === 0) return { value: undefined, notes };

  // Both lines of one Clio transaction carry the same text, so it is cleaned (and noted) once.
  const text = (tx: ClioTrustTransactionView, role: string) =>
    cleanText(describe(type, tx, role), `transaction ${tx.id} description`, notes, QBO_LIMITS.Description);
  const line = (
    posting: "Debit" | "Credit",
    account: string,
    tx: ClioTrustTransactionView,
    description: string,
  ) => ({
    Amount: toDecimalNumber(amount),
    DetailType: "JournalEntryLineDetail",
    Description: description,
    JournalEntryLineDetail: {
      PostingType: posting,
      AccountRef: { value: account },
      Entity: { Type: "Customer", EntityRef: { value: ctx.customerIdByClient.get(clientOf(tx)!)! } },
    },
  });
  const { bankAccountId: bank, liabilityAccountId: liability } = ctx;
  let lines: unknown[];
  let note: string;
  if (m.kind === "transfer") {
    lines = [
      line("Debit", liability, m.from, text(m.from, "from")),
      line("Credit", liability, m.to, text(m.to, "to")),
    ];
    note = `Clio trust transfer of transactions ${m.from.id} → ${m.to.id}`;
  } else {
    const description = text(m.tx, "");
    const inflow = type === "deposit" || type === "trust_request";
    lines = inflow
      ? [line("Debit", bank, m.tx, description), line("Credit", liability, m.tx, description)]
      : [line("Debit", liability, m.tx, description), line("Credit", bank, m.tx, description)];
    note = `Clio trust transaction ${m.tx.id}`;
  }
  const date = (m.kind === "single" ? m.tx.date : m.to.date) ?? undefined;
  return {
    value: {
      ...(date ? { TxnDate: date.slice(0, 10) } : {}),
      PrivateNote: cleanText(
        `${note}; ${LABEL[type].toLowerCase()}`,
        "PrivateNote",
        notes,
        QBO_LIMITS.PrivateNote,
      ),
      Line: lines,
    },
    notes,
  };
}

function describe(type: MovementType, tx: ClioTrustTransactionView, role: string): string {
  const parts = [`${LABEL[type]}${role ? ` (${role})` : ""}`, matterText(tx), `Clio transaction ${tx.id}`];
  if (type === "bill_payment" && tx.bill?.number) parts.push(`bill ${tx.bill.number}`);
  if (tx.description) parts.push(tx.description.replace(/\s+/g, " ").trim());
  return parts.join(" — ");
}

/** How a QBO journal entry changes a customer's trust liability (credit-normal), in cents. */
export function liabilityByCustomer(
  entry: Record<string, unknown>,
  liabilityAccountIds: ReadonlySet<string>,
): Map<string, Cents> {
  const out = new Map<string, Cents>();
  for (const raw of (entry.Line ?? []) as Array<Record<string, unknown>>) {
    const d = raw.JournalEntryLineDetail as Record<string, unknown> | undefined;
    const account = String((d?.AccountRef as { value?: unknown } | undefined)?.value ?? "");
    if (!d || !liabilityAccountIds.has(account)) continue;
    const entity = (d.Entity as { EntityRef?: { value?: unknown } } | undefined)?.EntityRef?.value;
    const key = entity === undefined ? "" : String(entity);
    const amount = parseMoney(raw.Amount as number);
    const signed = d.PostingType === "Credit" ? amount : -amount;
    out.set(key, ((out.get(key) ?? 0) + signed) as Cents);
  }
  return out;
}
