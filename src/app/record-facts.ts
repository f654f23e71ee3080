import { type Cents, formatMoney, parseMoney, sumMoney } from "../core/money.ts";
import { isAllocationGone } from "../mapping/clio-billing-views.ts";
import { type ClioContactView, clioContactName } from "../mapping/clio-contact.ts";
import { type ClioTrustTransactionView, signedAmount } from "../mapping/trust-journal.ts";
import { parseOpeningKey } from "../mapping/trust-opening.ts";
import type { Store, SyncIssue } from "../store/port.ts";

/**
 * What a bookkeeper recognises a record by, read from the mirrored Clio records: the client's
 * name, the bill number, the amount. Shown beside the ids in `status`, `match`, `reconcile` and
 * `audit`; anything not mirrored is simply left out.
 */
export interface RecordFacts {
  client?: string;
  /** The bill number (bills), or the numbers of the bills a payment or credit applies to. */
  billNumber?: string;
  /** Decimal text, e.g. "1200.00". */
  amount?: string;
}

type Item = Pick<SyncIssue, "entity" | "clioId">;

export class RecordFactsReader {
  readonly #store: Store;
  readonly #names = new Map<string, string | undefined>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** The client's name by Clio contact id (cached: many items name the same client). */
  async clientName(contactId: string | number | undefined | null): Promise<string | undefined> {
    if (contactId === undefined || contactId === null) return undefined;
    const id = String(contactId);
    if (!this.#names.has(id)) {
      const contact = (await this.#store.getMirror("contact", id))?.data as ClioContactView | undefined;
      this.#names.set(id, contact ? clioContactName(contact) || undefined : undefined);
    }
    return this.#names.get(id);
  }

  async of(item: Item): Promise<RecordFacts> {
    const id = item.clioId;
    if (!id) return {};
    switch (item.entity) {
      case "contact":
      case "customer":
        return compact({ client: await this.clientName(id) });
      case "bill":
      case "invoice":
        return this.#bill(id);
      case "payment":
        return this.#allocations(`Payment:${id}`, undefined);
      case "credit_memo":
      case "credit_application":
        return this.#allocations(`CreditMemo:${id}`, id);
      case "journal_entry":
        return this.#trust(id);
      default:
        return {};
    }
  }

  async #bill(id: string): Promise<RecordFacts> {
    const bill = (await this.#store.getMirror("bill", id))?.data;
    if (!bill) return {};
    const clientName = typeof bill.client?.name === "string" ? bill.client.name : undefined;
    return compact({
      client: (await this.clientName(bill.client?.id)) ?? clientName,
      billNumber: bill.number ?? undefined,
      amount: money(bill.total),
    });
  }

  async #allocations(parent: string, memoId: string | undefined): Promise<RecordFacts> {
    const allocations = (await this.#store.listMirrorByParent("allocation", parent))
      .map((m) => m.data)
      .filter((a) => !isAllocationGone(a));
    const memo = memoId ? (await this.#store.getMirror("credit_memo", memoId))?.data : undefined;
    const contactId = memo?.contact?.id ?? allocations.find((a) => a.contact)?.contact?.id;
    const numbers = [
      ...new Set(
        allocations.map((a) => a.bill?.number).filter((n): n is string | number => n != null && n !== ""),
      ),
    ];
    const amount = memo
      ? money(memo.amount)
      : sumOf(allocations.flatMap((a) => (a.amount == null ? [] : [a.amount])));
    return compact({
      client: await this.clientName(contactId),
      billNumber: numbers.length > 0 ? numbers.join(", ") : undefined,
      amount,
    });
  }

  /** A trust item's Clio id is `tx:<id>` or `transfer:<from>-<to>` (its journal entry's key). */
  async #trust(key: string): Promise<RecordFacts> {
    const opening = parseOpeningKey(key);
    if (opening) return compact({ client: await this.clientName(opening.client) });
    const [kind, rest = ""] = key.split(":");
    const ids = kind === "transfer" ? rest.split("-") : [rest];
    const txs: ClioTrustTransactionView[] = [];
    for (const txId of ids) {
      const tx = (await this.#store.getMirror("bank_transaction", txId))?.data as
        | ClioTrustTransactionView
        | undefined;
      if (tx) txs.push(tx);
    }
    if (txs.length === 0) return {};
    const clients: string[] = [];
    for (const tx of txs) {
      const name = (await this.clientName(tx.client?.id)) ?? tx.client?.name ?? undefined;
      if (name && !clients.includes(name)) clients.push(name);
    }
    const first = txs[0]!;
    return compact({
      client: clients.length > 0 ? clients.join(" → ") : undefined,
      billNumber: first.bill?.number ?? undefined,
      amount: safeMoney(() => formatMoney(Math.abs(signedAmount(first)) as Cents)),
    });
  }
}

function money(value: number | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  return safeMoney(() => formatMoney(parseMoney(value)));
}

function sumOf(values: Array<number | string>): string | undefined {
  if (values.length === 0) return undefined;
  return safeMoney(() => formatMoney(sumMoney(values.map((v) => parseMoney(v)))));
}

/** An amount Clio sent that is no valid money value is left out of a label, never guessed. */
function safeMoney(format: () => string): string | undefined {
  try {
    return format();
  } catch {
    return undefined;
  }
}

function compact(facts: RecordFacts): RecordFacts {
  return Object.fromEntries(
    Object.entries(facts).filter(([, v]) => v !== undefined && v !== ""),
  ) as RecordFacts;
}
