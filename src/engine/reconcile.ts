import { type Cents, formatMoney, parseMoney } from "../core/money.ts";
import type { ClioAllocationView, ClioBillView } from "../mapping/clio-billing-views.ts";
import {
  type ClioTrustTransactionView,
  liabilityByCustomer,
  signedAmount,
} from "../mapping/trust-journal.ts";
import { pairTransferLegs } from "../mapping/trust-transfer-pairing.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { IssueInput } from "../store/port.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { trustDriftKey } from "./plan-trust.ts";
import type { EngineDeps } from "./ports.ts";
import { listClioTrustAccounts, readTrustAccountMap } from "./setup-trust.ts";
import { writtenTransferPairs } from "./trust-transfers.ts";

export type ReconcileArea = "receivables" | "invoice" | "payment" | "trust";

/** One difference, down to the record that causes it. Amounts are decimal text. */
export interface ReconcileItem {
  area: ReconcileArea;
  clientId: string;
  /** The Clio record (bill, payment, trust transaction or transfer). */
  clioRecord: string;
  /** The QBO record (invoice, payment, journal entry), when there is one. */
  qboRecord?: string;
  clio: string;
  qbo: string;
  difference: string;
  reason: string;
}

export interface Comparison {
  clio: string;
  qbo: string;
  difference: string;
}

export interface ClientReconciliation {
  clientId: string;
  name?: string;
  customerId?: string;
  receivables: Comparison;
  invoices: Comparison;
  payments: Comparison;
  trust: Comparison;
}

export interface TrustAccountReconciliation {
  clioAccountId: string;
  name: string;
  /** Clio's account balance. */
  clioBalance: string;
  /** Sum of the Clio client ledgers in the account. */
  clioClientSum: string;
  qboBankBalance?: string;
  qboLiabilityBalance?: string;
}

export interface ReconcileReport {
  generatedAt: string;
  ok: boolean;
  clients: ClientReconciliation[];
  totals: Omit<ClientReconciliation, "clientId" | "name" | "customerId">;
  trustAccounts: TrustAccountReconciliation[];
  items: ReconcileItem[];
}

type Sums = Record<"receivables" | "invoices" | "payments" | "trust", { clio: Cents; qbo: Cents }>;
const zero = (): Sums => ({
  receivables: { clio: 0 as Cents, qbo: 0 as Cents },
  invoices: { clio: 0 as Cents, qbo: 0 as Cents },
  payments: { clio: 0 as Cents, qbo: 0 as Cents },
  trust: { clio: 0 as Cents, qbo: 0 as Cents },
});
const money = (v: unknown): Cents => parseMoney((v ?? 0) as number | string);
const cmp = (s: { clio: Cents; qbo: Cents }): Comparison => ({
  clio: formatMoney(s.clio),
  qbo: formatMoney(s.qbo),
  difference: formatMoney((s.qbo - s.clio) as Cents),
});

/**
 * The reconciliation report (PRODUCT.md §2): per client and in total, receivables (Clio's
 * outstanding balance of the bills that sync vs the QBO balance of their invoices), invoice totals,
 * payments, and trust (the client's Clio trust ledger vs the QBO trust liability attributed to the
 * client's customer), plus each trust bank account's balance on both sides. Everything is read
 * fresh from both APIs — never from the engine's mirror — and every difference is itemised down to
 * the record. With `raiseIssues`, a client whose synced records drift gets a Sync Status issue
 * (`sync_trust_drift`, `sync_balance_drift`); those that agree again are resolved.
 */
export async function reconcile(
  deps: EngineDeps,
  options: { raiseIssues?: boolean } = {},
): Promise<ReconcileReport> {
  const items: ReconcileItem[] = [];
  const sums = new Map<string, Sums>();
  const sumsOf = (client: string) => {
    const found = sums.get(client);
    if (found) return found;
    const fresh = zero();
    sums.set(client, fresh);
    return fresh;
  };
  const customerOfClient = new Map<string, string>();
  const clientOfCustomer = new Map<string, string>();
  for (const l of await deps.store.listLinks("customer")) {
    if (l.state !== "linked") continue;
    customerOfClient.set(l.clioId, l.qboId);
    clientOfCustomer.set(l.qboId, l.clioId);
  }
  const names = new Map<string, string>();

  // Receivables and invoice totals, bill by bill.
  const invoices = new Map<string, Record<string, unknown>>();
  for await (const inv of deps.qbo.queryAll<"Invoice">(qboQuery("Invoice")))
    invoices.set(String(inv.Id), inv as Record<string, unknown>);
  const invoiceable = new Set<string>();
  for await (const page of deps.clio.list("bill", undefined)) {
    for (const bill of page.records as unknown as ClioBillView[]) {
      if (!isInvoiceable(bill, deps.settings.startDate)) continue;
      const id = String(bill.id);
      invoiceable.add(id);
      const client = clientIdOf(bill) ?? "";
      if (bill.client?.name) names.set(client, String(bill.client.name));
      const s = sumsOf(client);
      const link = await deps.store.getLink("invoice", id);
      const inv = link?.state === "linked" ? invoices.get(link.qboId) : undefined;
      const clioTotal = money(bill.total);
      const clioBalance = money(bill.balance);
      const qboTotal = inv ? money(inv.TotalAmt) : (0 as Cents);
      const qboBalance = inv ? money(inv.Balance) : (0 as Cents);
      s.invoices.clio = (s.invoices.clio + clioTotal) as Cents;
      s.invoices.qbo = (s.invoices.qbo + qboTotal) as Cents;
      s.receivables.clio = (s.receivables.clio + clioBalance) as Cents;
      s.receivables.qbo = (s.receivables.qbo + qboBalance) as Cents;
      const record = `bill ${bill.number} (Clio ${id})`;
      const qboRecord = link ? `invoice ${link.qboId}` : undefined;
      const reason = !link
        ? "bill not synced"
        : link.state !== "linked"
          ? "invoice deleted in QuickBooks"
          : !inv
            ? "invoice missing in QuickBooks"
            : "";
      if (clioTotal !== qboTotal)
        items.push(
          item("invoice", client, record, qboRecord, clioTotal, qboTotal, reason || "total differs"),
        );
      if (clioBalance !== qboBalance)
        items.push(
          item(
            "receivables",
            client,
            record,
            qboRecord,
            clioBalance,
            qboBalance,
            reason || "balance differs",
          ),
        );
    }
  }

  // Payments, Clio payment by Clio payment (the part applied to bills that sync).
  const clioPayments = new Map<string, { client: string; amount: Cents }>();
  for await (const page of deps.clio.list("allocation", undefined)) {
    for (const a of page.records as unknown as ClioAllocationView[]) {
      const parent = (a as unknown as { parent?: { id?: unknown; type?: unknown } }).parent;
      if (parent?.type !== "Payment" || a.voided_at || !a.bill || !invoiceable.has(String(a.bill.id)))
        continue;
      const id = String(parent.id);
      const p = clioPayments.get(id) ?? { client: String(a.contact?.id ?? ""), amount: 0 as Cents };
      p.amount = (p.amount + money(a.amount)) as Cents;
      clioPayments.set(id, p);
    }
  }
  const qboPayments = new Map<string, Record<string, unknown>>();
  for await (const p of deps.qbo.queryAll<"Payment">(qboQuery("Payment")))
    qboPayments.set(String(p.Id), p as Record<string, unknown>);
  for (const [id, p] of clioPayments) {
    const link = await deps.store.getLink("payment", id);
    const q = link?.state === "linked" ? qboPayments.get(link.qboId) : undefined;
    const qboAmount = q ? money(q.TotalAmt) : (0 as Cents);
    const s = sumsOf(p.client);
    s.payments.clio = (s.payments.clio + p.amount) as Cents;
    s.payments.qbo = (s.payments.qbo + qboAmount) as Cents;
    if (qboAmount !== p.amount) {
      const reason = !link ? "payment not synced" : !q ? "payment missing in QuickBooks" : "amount differs";
      items.push(
        item(
          "payment",
          p.client,
          `payment ${id}`,
          link ? `payment ${link.qboId}` : undefined,
          p.amount,
          qboAmount,
          reason,
        ),
      );
    }
  }

  // Trust: Clio ledgers per client (fresh), QBO liability per customer from the journal entries.
  const map = await readTrustAccountMap(deps);
  const liabilityIds = new Set(Object.values(map).map((p) => p.liability));
  const expected = new Map<string, Cents>(); // `${key}|${client}` → liability change
  const clientSumByAccount = new Map<string, Cents>();
  const transactions: ClioTrustTransactionView[] = [];
  for await (const page of deps.clio.list("bank_transaction", undefined))
    transactions.push(...(page.records as unknown as ClioTrustTransactionView[]));
  // Transfer legs are paired as the sync pairs them, written pairs first, so keys match the links.
  const legs = pairTransferLegs(transactions, new Set((await writtenTransferPairs(deps)).values()));
  for (const tx of transactions) {
    const client = String(tx.client?.id ?? "");
    if (tx.client?.name) names.set(client, String(tx.client.name));
    const amount = signedAmount(tx);
    const s = sumsOf(client);
    s.trust.clio = (s.trust.clio + amount) as Cents;
    const leg = legs.get(String(tx.id));
    const k = `${leg?.state === "paired" ? leg.key : `tx:${tx.id}`}|${client}`;
    expected.set(k, ((expected.get(k) ?? 0) + amount) as Cents);
    const account = String(tx.bank_account?.id ?? "");
    clientSumByAccount.set(account, ((clientSumByAccount.get(account) ?? 0) + amount) as Cents);
  }
  const actual = new Map<string, Cents>();
  const entryOf = new Map<string, string>(); // `${key}|${client}` → JE id
  if (liabilityIds.size > 0) {
    for await (const je of deps.qbo.queryAll<"JournalEntry">(qboQuery("JournalEntry"))) {
      const effect = liabilityByCustomer(je as Record<string, unknown>, liabilityIds);
      if (effect.size === 0) continue;
      const link = await deps.store.getLinkByQboId("journal_entry", String(je.Id));
      const key = link?.clioId ?? `qbo-entry:${je.Id}`;
      for (const [customer, amount] of effect) {
        const client = clientOfCustomer.get(customer) ?? `qbo-customer:${customer}`;
        sumsOf(client).trust.qbo = (sumsOf(client).trust.qbo + amount) as Cents;
        const k = `${key}|${client}`;
        actual.set(k, ((actual.get(k) ?? 0) + amount) as Cents);
        entryOf.set(k, String(je.Id));
      }
    }
  }
  for (const k of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(k) ?? (0 as Cents);
    const got = actual.get(k) ?? (0 as Cents);
    if (want === got) continue;
    const [key, client] = k.split("|") as [string, string];
    const link = key.startsWith("qbo-entry:") ? undefined : await deps.store.getLink("journal_entry", key);
    const entry = entryOf.get(k) ?? link?.qboId;
    const reason = !customerOfClient.has(client)
      ? "client has no QuickBooks customer"
      : key.startsWith("qbo-entry:")
        ? "entry not written by lexbridge"
        : !link
          ? "movement not synced"
          : link.state !== "linked" || !entryOf.has(k)
            ? "journal entry deleted in QuickBooks"
            : "journal entry differs";
    items.push(
      item(
        "trust",
        client,
        key.startsWith("qbo-entry:") ? "-" : `trust ${key.replace(":", " ")}`,
        entry ? `journal entry ${entry}` : undefined,
        want,
        got,
        reason,
      ),
    );
  }

  const trustAccounts: TrustAccountReconciliation[] = [];
  for (const a of await listClioTrustAccounts(deps)) {
    const id = String(a.id);
    const pair = map[id];
    const row: TrustAccountReconciliation = {
      clioAccountId: id,
      name: String(a.name ?? id),
      clioBalance: formatMoney(money(a.balance)),
      clioClientSum: formatMoney(clientSumByAccount.get(id) ?? (0 as Cents)),
    };
    if (pair) {
      const bank = await deps.qbo.read("Account", pair.bank);
      const liability = await deps.qbo.read("Account", pair.liability);
      if (bank.ok)
        row.qboBankBalance = formatMoney(money((bank.value as Record<string, unknown>).CurrentBalance));
      if (liability.ok)
        row.qboLiabilityBalance = formatMoney(
          money((liability.value as Record<string, unknown>).CurrentBalance),
        );
    }
    trustAccounts.push(row);
  }

  const clients: ClientReconciliation[] = [...sums.entries()]
    .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : 1))
    .map(([clientId, s]) => ({
      clientId,
      ...(names.has(clientId) ? { name: names.get(clientId) } : {}),
      ...(customerOfClient.has(clientId) ? { customerId: customerOfClient.get(clientId) } : {}),
      receivables: cmp(s.receivables),
      invoices: cmp(s.invoices),
      payments: cmp(s.payments),
      trust: cmp(s.trust),
    }));
  const total = zero();
  for (const s of sums.values())
    for (const area of Object.keys(total) as Array<keyof Sums>) {
      total[area].clio = (total[area].clio + s[area].clio) as Cents;
      total[area].qbo = (total[area].qbo + s[area].qbo) as Cents;
    }
  const accountsOk = trustAccounts.every(
    (a) =>
      a.clioBalance === a.clioClientSum &&
      (a.qboBankBalance === undefined || a.qboBankBalance === a.clioBalance) &&
      (a.qboLiabilityBalance === undefined || a.qboLiabilityBalance === a.clioBalance),
  );
  const report: ReconcileReport = {
    generatedAt: new Date(deps.clock.now()).toISOString(),
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
  if (options.raiseIssues) await raiseDriftIssues(deps, report, customerOfClient);
  return report;
}

function item(
  area: ReconcileArea,
  clientId: string,
  clioRecord: string,
  qboRecord: string | undefined,
  clio: Cents,
  qbo: Cents,
  reason: string,
): ReconcileItem {
  return {
    area,
    clientId,
    clioRecord,
    ...(qboRecord ? { qboRecord } : {}),
    clio: formatMoney(clio),
    qbo: formatMoney(qbo),
    difference: formatMoney((qbo - clio) as Cents),
    reason,
  };
}

/** Records whose own issue already says why they are not in QBO do not count as drift. */
const NOT_DRIFT = new Set([
  "bill not synced",
  "payment not synced",
  "movement not synced",
  "client has no QuickBooks customer",
]);

export const balanceDriftKey = (clientId: string) => `balance:${clientId}`;

async function raiseDriftIssues(
  deps: EngineDeps,
  report: ReconcileReport,
  customerOfClient: Map<string, string>,
): Promise<void> {
  const issues: IssueInput[] = [];
  const drifting = new Set<string>();
  const byKey = new Map<string, ReconcileItem[]>();
  for (const i of report.items) {
    if (NOT_DRIFT.has(i.reason) || !customerOfClient.has(i.clientId)) continue;
    const key = i.area === "trust" ? trustDriftKey(i.clientId) : balanceDriftKey(i.clientId);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  }
  for (const [key, list] of byKey) {
    drifting.add(key);
    const clientId = list[0]!.clientId;
    const row = report.clients.find((c) => c.clientId === clientId);
    const trust = key.startsWith("trust:");
    const what = trust
      ? `trust liability ${row?.trust.qbo} in QuickBooks vs trust balance ${row?.trust.clio} in Clio (difference ${row?.trust.difference})`
      : `receivables, invoices or payments differ (${list.length} record${list.length === 1 ? "" : "s"})`;
    const records = list
      .slice(0, 5)
      .map((i) => `${i.qboRecord ?? i.clioRecord}: ${i.reason}, ${i.difference}`)
      .join("; ");
    issues.push({
      key,
      code: trust ? "sync_trust_drift" : "sync_balance_drift",
      message: `${row?.name ?? `Client ${clientId}`}: ${what}. ${records}${list.length > 5 ? "; …" : ""}`,
      entity: "contact",
      clioId: clientId,
      ...(row?.name ? { clioName: row.name } : {}),
      ...(customerOfClient.has(clientId) ? { qboId: customerOfClient.get(clientId) } : {}),
      details: { items: list },
    });
  }
  const resolve = (await deps.store.listIssues({ state: "open" }))
    .filter((i) => (i.code === "sync_trust_drift" || i.code === "sync_balance_drift") && !drifting.has(i.key))
    .map((i) => i.key);
  if (issues.length > 0 || resolve.length > 0)
    await deps.store.commit({ issues, resolveIssues: resolve }, deps.clock.now());
}

/** The report as CSV: one row per client and a total row, then one row per itemised difference. */
export function reconcileCsv(report: ReconcileReport): string {
  const esc = (v: unknown) => {
    const s = v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const rows: unknown[][] = [
    [
      "client_id",
      "name",
      "customer_id",
      ...["receivables", "invoices", "payments", "trust"].flatMap((a) => [
        `${a}_clio`,
        `${a}_qbo`,
        `${a}_difference`,
      ]),
    ],
  ];
  const flat = (c: Omit<ClientReconciliation, "clientId" | "name" | "customerId">) =>
    [c.receivables, c.invoices, c.payments, c.trust].flatMap((x) => [x.clio, x.qbo, x.difference]);
  for (const c of report.clients) rows.push([c.clientId, c.name, c.customerId, ...flat(c)]);
  rows.push(["TOTAL", "", "", ...flat(report.totals)]);
  rows.push([]);
  rows.push(["area", "client_id", "clio_record", "qbo_record", "clio", "qbo", "difference", "reason"]);
  for (const i of report.items)
    rows.push([i.area, i.clientId, i.clioRecord, i.qboRecord, i.clio, i.qbo, i.difference, i.reason]);
  return `${rows.map((r) => r.map(esc).join(",")).join("\n")}\n`;
}
