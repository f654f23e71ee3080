import { type Cents, formatMoney, parseMoney } from "../core/money.ts";
import type { ClioAllocationView, ClioBillView } from "../mapping/clio-billing-views.ts";
import type { ClioTrustTransactionView } from "../mapping/trust-journal.ts";
import { openingKey } from "../mapping/trust-opening.ts";
import { pairTransferLegs, type TransferPair, transferKey } from "../mapping/trust-transfer-pairing.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import type {
  ClientReconciliation,
  Comparison,
  ReconcileArea,
  ReconcileItem,
  ReconcileReport,
  TrustAccountReconciliation,
} from "./reconcile-report.ts";

/** A link as the compare needs it: the QBO id, and whether it is still live (not deleted in QBO). */
export interface LinkRef {
  qboId: string;
  linked: boolean;
}

/** What was read from both sides and the store (reconcile-read.ts); nothing here does IO. */
export interface ReconcileInput {
  generatedAt: string;
  startDate: string;
  /** Compare and report only these clients (after a pass: the ones it touched); all when absent. */
  clients?: ReadonlySet<string>;
  /** Clio client id → QBO customer id, linked customers only. */
  customerOfClient: ReadonlyMap<string, string>;
  bills: ClioBillView[];
  /** Clio bill id → its invoice link. */
  invoiceLinks: ReadonlyMap<string, LinkRef>;
  /** QBO invoices by id. */
  invoices: ReadonlyMap<string, Record<string, unknown>>;
  allocations: ClioAllocationView[];
  /** Clio payment id → its QBO payment link. */
  paymentLinks: ReadonlyMap<string, LinkRef>;
  /** QBO payments by id. */
  payments: ReadonlyMap<string, Record<string, unknown>>;
  trustTransactions: ClioTrustTransactionView[];
  /** Transfer pairs already written, so legs are keyed as their journal entry links are. */
  writtenTransferPairs: TransferPair[];
  /** Movement key (`tx:<id>` or `transfer:<from>-<to>`) → its journal entry link. */
  entryLinks: ReadonlyMap<string, LinkRef>;
  /** QBO journal entry id → the movement key it was written for. */
  keyOfEntry: ReadonlyMap<string, string>;
  /** The QBO trust liability accounts (one per mapped Clio trust account). */
  liabilityAccountIds: ReadonlySet<string>;
  journalEntries: Array<Record<string, unknown>>;
  /**
   * The trust cut-over (`trustStartDate`): a client's Clio movements before it are compared, as one
   * sum, with its opening balance entry (`opening:<account>-<client>`) — or, in an account mapped by
   * `qboTrustAccounts` (`mappedLiabilities`: QBO liability id → Clio account), with the entries dated
   * before it that QuickBooks already held. A clients compare reads no such history, so there the
   * movements before the cut-over of mapped accounts are left out on both sides.
   */
  cutover?: { date: string; mappedLiabilities: ReadonlyMap<string, string> };
  /** Full compare only: each Clio trust account with the QBO balances of its mapped accounts. */
  trustAccounts?: Array<{
    id: string;
    name: string;
    balance: unknown;
    qboBankBalance?: unknown;
    qboLiabilityBalance?: unknown;
  }>;
}

type Pair = { clio: Cents; qbo: Cents };
type Sums = Record<"receivables" | "invoices" | "payments" | "trust", Pair>;
const zero = (): Sums => ({
  receivables: { clio: 0 as Cents, qbo: 0 as Cents },
  invoices: { clio: 0 as Cents, qbo: 0 as Cents },
  payments: { clio: 0 as Cents, qbo: 0 as Cents },
  trust: { clio: 0 as Cents, qbo: 0 as Cents },
});
const money = (v: unknown): Cents => parseMoney((v ?? 0) as number | string);
const plus = (a: Cents, b: Cents) => (a + b) as Cents;
const cmp = (s: Pair): Comparison => ({
  clio: formatMoney(s.clio),
  qbo: formatMoney(s.qbo),
  difference: formatMoney((s.qbo - s.clio) as Cents),
});

/**
 * Compares what was read, per client: receivables (Clio outstanding vs QBO invoice balance) and
 * invoice totals bill by bill, payments Clio payment by Clio payment (the part applied to bills
 * that sync), and trust movement by movement (the Clio ledger change vs the QBO liability change
 * attributed to the client's customer). Every difference is itemised down to the record.
 *
 * Trust amounts are computed here from the raw fields (funds in minus funds out; credit minus
 * debit on the liability lines), not with the trust mapper's functions, so that a mistake in the
 * mapper shows up as a difference instead of being repeated on both sides of the comparison.
 */
export function compareReconciliation(input: ReconcileInput): ReconcileReport {
  const inScope = (client: string) => !input.clients || input.clients.has(client);
  const items: ReconcileItem[] = [];
  const sums = new Map<string, Sums>();
  const names = new Map<string, string>();
  const sumsOf = (client: string) => {
    const found = sums.get(client);
    if (found) return found;
    const fresh = zero();
    sums.set(client, fresh);
    return fresh;
  };
  const clientOfCustomer = new Map([...input.customerOfClient].map(([c, q]) => [q, c]));

  const invoiceable = new Set<string>();
  for (const bill of input.bills) {
    if (!isInvoiceable(bill, input.startDate)) continue;
    const client = clientIdOf(bill) ?? "";
    if (!inScope(client)) continue;
    const id = String(bill.id);
    invoiceable.add(id);
    if (bill.client?.name) names.set(client, String(bill.client.name));
    const link = input.invoiceLinks.get(id);
    const inv = link?.linked ? input.invoices.get(link.qboId) : undefined;
    const total = { clio: money(bill.total), qbo: inv ? money(inv.TotalAmt) : (0 as Cents) };
    const balance = { clio: money(bill.balance), qbo: inv ? money(inv.Balance) : (0 as Cents) };
    const s = sumsOf(client);
    s.invoices = { clio: plus(s.invoices.clio, total.clio), qbo: plus(s.invoices.qbo, total.qbo) };
    s.receivables = {
      clio: plus(s.receivables.clio, balance.clio),
      qbo: plus(s.receivables.qbo, balance.qbo),
    };
    const why = !link
      ? "bill not synced"
      : !link.linked
        ? "invoice deleted in QuickBooks"
        : !inv
          ? "invoice missing in QuickBooks"
          : "";
    const record = `bill ${bill.number} (Clio ${id})`;
    const qboRecord = link ? `invoice ${link.qboId}` : undefined;
    if (total.clio !== total.qbo)
      items.push(item("invoice", client, record, qboRecord, total, why || "total differs"));
    if (balance.clio !== balance.qbo)
      items.push(item("receivables", client, record, qboRecord, balance, why || "balance differs"));
  }

  const clioPayments = new Map<string, { client: string; amount: Cents }>();
  for (const a of input.allocations) {
    if (a.parent?.type !== "Payment" || a.voided_at || !a.bill || !invoiceable.has(String(a.bill.id)))
      continue;
    const id = String(a.parent.id);
    const p = clioPayments.get(id) ?? { client: String(a.contact?.id ?? ""), amount: 0 as Cents };
    p.amount = plus(p.amount, money(a.amount));
    clioPayments.set(id, p);
  }
  for (const [id, p] of clioPayments) {
    const link = input.paymentLinks.get(id);
    const q = link?.linked ? input.payments.get(link.qboId) : undefined;
    const amounts = { clio: p.amount, qbo: q ? money(q.TotalAmt) : (0 as Cents) };
    const s = sumsOf(p.client);
    s.payments = { clio: plus(s.payments.clio, amounts.clio), qbo: plus(s.payments.qbo, amounts.qbo) };
    if (amounts.clio !== amounts.qbo) {
      const why = !link ? "payment not synced" : !q ? "payment missing in QuickBooks" : "amount differs";
      const qboRecord = link ? `payment ${link.qboId}` : undefined;
      items.push(item("payment", p.client, `payment ${id}`, qboRecord, amounts, why));
    }
  }

  const trust = compareTrust(input, clientOfCustomer, inScope);
  for (const [client, t] of trust.byClient) sumsOf(client).trust = t;
  for (const [client, name] of trust.names) names.set(client, name);
  items.push(...trust.items);

  const trustAccounts: TrustAccountReconciliation[] = (input.trustAccounts ?? []).map((a) => ({
    clioAccountId: a.id,
    name: a.name,
    clioBalance: formatMoney(money(a.balance)),
    clioClientSum: formatMoney(trust.sumByAccount.get(a.id) ?? (0 as Cents)),
    ...(a.qboBankBalance !== undefined ? { qboBankBalance: formatMoney(money(a.qboBankBalance)) } : {}),
    ...(a.qboLiabilityBalance !== undefined
      ? { qboLiabilityBalance: formatMoney(money(a.qboLiabilityBalance)) }
      : {}),
  }));

  const clients: ClientReconciliation[] = [...sums.entries()]
    .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : 1))
    .map(([clientId, s]) => ({
      clientId,
      ...(names.has(clientId) ? { name: names.get(clientId) } : {}),
      ...(input.customerOfClient.has(clientId) ? { customerId: input.customerOfClient.get(clientId) } : {}),
      receivables: cmp(s.receivables),
      invoices: cmp(s.invoices),
      payments: cmp(s.payments),
      trust: cmp(s.trust),
    }));
  const total = zero();
  for (const s of sums.values())
    for (const area of Object.keys(total) as Array<keyof Sums>)
      total[area] = { clio: plus(total[area].clio, s[area].clio), qbo: plus(total[area].qbo, s[area].qbo) };
  const accountsOk = trustAccounts.every(
    (a) =>
      a.clioBalance === a.clioClientSum &&
      (a.qboBankBalance === undefined || a.qboBankBalance === a.clioBalance) &&
      (a.qboLiabilityBalance === undefined || a.qboLiabilityBalance === a.clioBalance),
  );
  return {
    generatedAt: input.generatedAt,
    scope: input.clients ? "clients" : "full",
    ok: items.length === 0 && accountsOk,
    clients,
    totals: {
      receivables: cmp(total.receivables),
      invoices: cmp(total.invoices),
      payments: cmp(total.payments),
      trust: cmp(total.trust),
    },
    trustAccounts,
    items,
  };
}

/** The movement key a Clio trust transaction's journal entry is linked under. */
export function movementKeys(
  transactions: ClioTrustTransactionView[],
  written: TransferPair[],
): Map<string, string> {
  const legs = pairTransferLegs(transactions, written);
  // A leg left unpaired (its partner belongs to a client a touched-only read did not list) is keyed
  // by the pair it was written in.
  const writtenOf = new Map<string, TransferPair>();
  for (const p of written) {
    writtenOf.set(p.from, p);
    writtenOf.set(p.to, p);
  }
  const out = new Map<string, string>();
  for (const tx of transactions) {
    const id = String(tx.id);
    const leg = legs.get(id);
    const w = writtenOf.get(id);
    out.set(id, leg?.state === "paired" ? leg.key : w ? transferKey(w.from, w.to) : `tx:${id}`);
  }
  return out;
}

const beforeCutover = (date: unknown, cutover: string) =>
  typeof date === "string" && date !== "" && date.slice(0, 10) < cutover;

function compareTrust(
  input: ReconcileInput,
  clientOfCustomer: Map<string, string>,
  inScope: (client: string) => boolean,
) {
  const byClient = new Map<string, Pair>();
  const names = new Map<string, string>();
  const sumByAccount = new Map<string, Cents>();
  const items: ReconcileItem[] = [];
  const add = (client: string, side: "clio" | "qbo", amount: Cents) => {
    const p = byClient.get(client) ?? { clio: 0 as Cents, qbo: 0 as Cents };
    p[side] = plus(p[side], amount);
    byClient.set(client, p);
  };
  const expected = new Map<string, Cents>(); // `${key}|${client}` → liability change
  const keys = movementKeys(input.trustTransactions, input.writtenTransferPairs);
  const cutover = input.cutover;
  const mappedAccounts = new Set(cutover?.mappedLiabilities.values() ?? []);
  for (const tx of input.trustTransactions) {
    const client = String(tx.client?.id ?? "");
    const amount = (money(tx.funds_in) - money(tx.funds_out)) as Cents;
    const account = String(tx.bank_account?.id ?? "");
    sumByAccount.set(account, plus(sumByAccount.get(account) ?? (0 as Cents), amount));
    if (!inScope(client)) continue;
    if (tx.client?.name) names.set(client, String(tx.client.name));
    const early = cutover !== undefined && beforeCutover(tx.date, cutover.date);
    if (early && input.clients && mappedAccounts.has(account)) continue;
    add(client, "clio", amount);
    const key = early ? openingKey(account, client) : keys.get(String(tx.id));
    const k = `${key}|${client}`;
    expected.set(k, plus(expected.get(k) ?? (0 as Cents), amount));
  }

  const actual = new Map<string, Cents>();
  const entryOf = new Map<string, string>(); // `${key}|${client}` → JE id
  for (const je of input.journalEntries) {
    const id = String(je.Id);
    const own = input.keyOfEntry.get(id);
    for (const line of (je.Line ?? []) as Array<Record<string, unknown>>) {
      const d = line.JournalEntryLineDetail as Record<string, unknown> | undefined;
      const account = (d?.AccountRef as { value?: unknown } | undefined)?.value;
      if (!d || !input.liabilityAccountIds.has(String(account))) continue;
      const customer = String((d.Entity as { EntityRef?: { value?: unknown } })?.EntityRef?.value ?? "");
      const client = clientOfCustomer.get(customer) ?? `qbo-customer:${customer}`;
      if (!inScope(client)) continue;
      // History QuickBooks held before the cut-over in a mapped account stands for the opening balance.
      const history = cutover?.mappedLiabilities.get(String(account));
      const key =
        own ??
        (history !== undefined && beforeCutover(je.TxnDate, cutover!.date)
          ? openingKey(history, client)
          : `qbo-entry:${id}`);
      // The liability is credit-normal: a credit raises what the firm holds for the client.
      const amount = d.PostingType === "Credit" ? money(line.Amount) : (-money(line.Amount) as Cents);
      add(client, "qbo", amount);
      const k = `${key}|${client}`;
      actual.set(k, plus(actual.get(k) ?? (0 as Cents), amount));
      entryOf.set(k, id);
    }
  }

  for (const k of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(k) ?? (0 as Cents);
    const got = actual.get(k) ?? (0 as Cents);
    if (want === got) continue;
    const [key, client] = k.split("|") as [string, string];
    const foreign = key.startsWith("qbo-entry:");
    const link = foreign ? undefined : input.entryLinks.get(key);
    const entry = entryOf.get(k) ?? link?.qboId;
    const why = !input.customerOfClient.has(client)
      ? "client has no QuickBooks customer"
      : foreign
        ? "entry not written by lexbridge"
        : !link
          ? "movement not synced"
          : !link.linked || !entryOf.has(k)
            ? "journal entry deleted in QuickBooks"
            : "journal entry differs";
    const record = foreign ? "-" : `trust ${key.replace(":", " ")}`;
    const qboRecord = entry ? `journal entry ${entry}` : undefined;
    items.push(item("trust", client, record, qboRecord, { clio: want, qbo: got }, why));
  }
  return { byClient, names, sumByAccount, items };
}

function item(
  area: ReconcileArea,
  clientId: string,
  clioRecord: string,
  qboRecord: string | undefined,
  amounts: Pair,
  reason: string,
): ReconcileItem {
  return {
    area,
    clientId,
    clioRecord,
    ...(qboRecord ? { qboRecord } : {}),
    clio: formatMoney(amounts.clio),
    qbo: formatMoney(amounts.qbo),
    difference: formatMoney((amounts.qbo - amounts.clio) as Cents),
    reason,
  };
}
