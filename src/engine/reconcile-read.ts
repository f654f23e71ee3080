import type { ClioSyncRecords } from "../clio/schemas/index.ts";
import { openingKey } from "../mapping/trust-opening.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { QboEntityName } from "../qbo/schemas.ts";
import type { EntityKind } from "../store/port.ts";
import { holdsQboRecord } from "./link-state.ts";
import type { ClioClientListKind, EngineDeps } from "./ports.ts";
import { type LinkRef, movementKeys, type ReconcileInput } from "./reconcile-compare.ts";
import { listClioTrustAccounts, readTrustAccountMap } from "./setup-trust.ts";
import { writtenTransferPairs } from "./trust-transfers.ts";

/** Everything, or only some clients' records (those a pass touched). */
export type ReconcileScope = { kind: "full" } | { kind: "clients"; clients: string[] };

/** QBO `Id IN (…)` values per query: short enough for any URL or body limit. */
const IDS_PER_QUERY = 100;

/**
 * Reads what the compare needs, fresh from both APIs (never from the engine's mirror): links come
 * from the store. A full read lists every bill, allocation, trust transaction, invoice, payment and
 * journal entry, and the trust accounts' balances. A clients read asks Clio for those clients'
 * bills, allocations and trust transactions only (one filtered listing of each per client) and
 * QBO for the invoices, payments and journal entries linked to what was read (`Id IN (…)`); an
 * entry lexbridge did not write is only found by the full read.
 */
export async function readReconciliation(deps: EngineDeps, scope: ReconcileScope): Promise<ReconcileInput> {
  const customerOfClient = new Map<string, string>();
  for (const l of await deps.store.listLinks("customer"))
    if (l.state === "linked") customerOfClient.set(l.clioId, l.qboId);
  const clients = scope.kind === "clients" ? scope.clients : undefined;
  const read = async <K extends ClioClientListKind>(kind: K): Promise<ClioSyncRecords[K][]> => {
    const out: ClioSyncRecords[K][] = [];
    const pages = clients
      ? clients.map((c) => deps.clio.listOfClient(kind, c))
      : [deps.clio.list(kind, undefined)];
    for (const stream of pages) for await (const page of stream) out.push(...page.records);
    return out;
  };

  const bills = await read("bill");
  const invoiceLinks = await linksOf(
    deps,
    "invoice",
    bills.map((b) => String(b.id)),
  );
  const allocations = await read("allocation");
  const paymentIds = allocations.flatMap((a) => (a.parent?.type === "Payment" ? [String(a.parent.id)] : []));
  const paymentLinks = await linksOf(deps, "payment", paymentIds);
  const trustTransactions = await read("bank_transaction");
  const writtenPairs = [...new Set((await writtenTransferPairs(deps)).values())];
  const keys = [...new Set(movementKeys(trustTransactions, writtenPairs).values())];
  const map = await readTrustAccountMap(deps);
  const cutoverDate = deps.settings.trustStartDate;
  if (cutoverDate)
    for (const tx of trustTransactions) {
      const day = String(tx.date ?? "").slice(0, 10);
      if (day && day < cutoverDate && tx.client?.id != null)
        keys.push(openingKey(String(tx.bank_account?.id ?? ""), String(tx.client.id)));
    }
  const entryLinks = await linksOf(deps, "journal_entry", keys);

  const liabilityAccountIds = new Set(Object.values(map).map((p) => p.liability));
  const input: ReconcileInput = {
    generatedAt: new Date(deps.clock.now()).toISOString(),
    startDate: deps.settings.startDate,
    ...(clients ? { clients: new Set(clients) } : {}),
    customerOfClient,
    bills,
    invoiceLinks,
    invoices: await qboRows(deps, "Invoice", clients && linkedIds(invoiceLinks)),
    allocations,
    paymentLinks,
    payments: await qboRows(deps, "Payment", clients && linkedIds(paymentLinks)),
    trustTransactions,
    writtenTransferPairs: writtenPairs,
    entryLinks,
    keyOfEntry: new Map(),
    liabilityAccountIds,
    journalEntries: [],
    ...(cutoverDate
      ? {
          cutover: {
            date: cutoverDate,
            mappedLiabilities: new Map(
              Object.entries(map).flatMap(([clio, p]) => (p.mapped ? [[p.liability, clio] as const] : [])),
            ),
          },
        }
      : {}),
  };
  if (liabilityAccountIds.size > 0) {
    const entries = await qboRows(deps, "JournalEntry", clients && linkedIds(entryLinks));
    input.journalEntries = [...entries.values()];
    const keyOfEntry = new Map<string, string>();
    for (const id of entries.keys()) {
      const link = await deps.store.getLinkByQboId("journal_entry", id);
      if (link) keyOfEntry.set(id, link.clioId);
    }
    input.keyOfEntry = keyOfEntry;
  }
  if (!clients) input.trustAccounts = await readTrustAccounts(deps, map);
  return input;
}

async function linksOf(
  deps: EngineDeps,
  entity: EntityKind,
  clioIds: string[],
): Promise<Map<string, LinkRef>> {
  const out = new Map<string, LinkRef>();
  for (const id of new Set(clioIds)) {
    const link = await deps.store.getLink(entity, id);
    if (link) out.set(id, { qboId: link.qboId, linked: holdsQboRecord(link) });
  }
  return out;
}

const linkedIds = (links: Map<string, LinkRef>) =>
  [...links.values()].filter((l) => l.linked).map((l) => l.qboId);

/** QBO records by id: every one, or only `ids` (none to read: no request). */
async function qboRows(
  deps: EngineDeps,
  entity: QboEntityName & ("Invoice" | "Payment" | "JournalEntry"),
  ids: string[] | undefined,
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const queries =
    ids === undefined
      ? [qboQuery(entity)]
      : chunks([...new Set(ids)], IDS_PER_QUERY).map((c) => qboQuery(entity).where("Id", "IN", c));
  for (const q of queries)
    for await (const row of deps.qbo.queryAll(q)) out.set(String(row.Id), row as Record<string, unknown>);
  return out;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function readTrustAccounts(
  deps: EngineDeps,
  map: Awaited<ReturnType<typeof readTrustAccountMap>>,
): Promise<NonNullable<ReconcileInput["trustAccounts"]>> {
  const out: NonNullable<ReconcileInput["trustAccounts"]> = [];
  for (const a of await listClioTrustAccounts(deps)) {
    const id = String(a.id);
    const pair = map[id];
    const row: (typeof out)[number] = { id, name: String(a.name ?? id), balance: a.balance };
    if (pair) {
      const bank = await deps.qbo.read("Account", pair.bank);
      const liability = await deps.qbo.read("Account", pair.liability);
      if (bank.ok) row.qboBankBalance = (bank.value as Record<string, unknown>).CurrentBalance ?? 0;
      if (liability.ok)
        row.qboLiabilityBalance = (liability.value as Record<string, unknown>).CurrentBalance ?? 0;
    }
    out.push(row);
  }
  return out;
}
