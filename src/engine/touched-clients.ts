import { parseOpeningKey } from "../mapping/trust-opening.ts";
import { parseTransferKey } from "../mapping/trust-transfer-pairing.ts";
import type { MirrorKind } from "../store/port.ts";
import type { PlanEntry } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";

const idOf = (ref: unknown): string | undefined => {
  const id = (ref as { id?: unknown } | null | undefined)?.id;
  return id === undefined || id === null ? undefined : String(id);
};

/**
 * The client a changed Clio record belongs to, as far as the record itself says: a contact is
 * its own, bills and trust transactions name a `client`, allocations and credit memos a
 * `contact`. A line item names only its bill (see clientsOfLineItems); a bank account no client.
 */
export function clientOfRecord(kind: MirrorKind, record: Record<string, unknown>): string | undefined {
  if (kind === "contact") return idOf(record);
  if (kind === "bill" || kind === "bank_transaction") return idOf(record.client);
  if (kind === "allocation" || kind === "credit_memo") return idOf(record.contact);
  return undefined;
}

/** Clients of mirrored records, by kind and id (records the mirror lacks are skipped). */
async function clientOfMirror(deps: EngineDeps, kind: MirrorKind, id: string): Promise<string | undefined> {
  const m = await deps.store.getMirror(kind, id);
  return m ? clientOfRecord(kind, m.data) : undefined;
}

/** The bill a line item belongs to: all a pass keeps of a changed line item (memory stays flat). */
export function billOfLineItem(record: Record<string, unknown>): string | undefined {
  return idOf(record.bill);
}

/** The clients of the bills whose line items changed in Clio: each bill's client, from the mirror. */
export async function clientsOfLineItems(deps: EngineDeps, bills: Iterable<string>) {
  const out = new Set<string>();
  for (const bill of bills) {
    const client = await clientOfMirror(deps, "bill", bill);
    if (client) out.add(client);
  }
  return out;
}

/**
 * The clients whose QBO records a pass planned to write (its plan, which also carries what QBO
 * changes made it re-plan): a customer's Clio id is the client; an invoice's is its bill; a
 * payment's or credit memo's the allocations under it; a journal entry's the transaction(s) it
 * was written for. Entries that write nothing are left out — items raised, and matches proposed
 * for review (planned again on every pass while they wait) — since nothing changed for them.
 */
export async function clientsOfPlan(deps: EngineDeps, plan: PlanEntry[]): Promise<Set<string>> {
  const out = new Set<string>();
  const add = (client: string | undefined) => {
    if (client) out.add(client);
  };
  for (const entry of plan) {
    if (entry.action === "propose") continue;
    const id = entry.clioId;
    if (entry.phase === "customer") add(id);
    else if (entry.phase === "invoice") add(await clientOfMirror(deps, "bill", id));
    else if (
      entry.phase === "payment" ||
      entry.phase === "credit_memo" ||
      entry.phase === "credit_application"
    ) {
      const parent = `${entry.phase === "payment" ? "Payment" : "CreditMemo"}:${id}`;
      for (const a of await deps.store.listMirrorByParent("allocation", parent))
        add(clientOfRecord("allocation", a.data));
      if (entry.phase !== "payment") add(await clientOfMirror(deps, "credit_memo", id));
    } else if (entry.phase === "journal_entry") {
      const opening = parseOpeningKey(id);
      if (opening) add(opening.client);
      const pair = parseTransferKey(id);
      const txs = pair ? [pair.from, pair.to] : id.startsWith("tx:") ? [id.slice(3)] : [];
      for (const tx of txs) add(await clientOfMirror(deps, "bank_transaction", tx));
    }
  }
  return out;
}
