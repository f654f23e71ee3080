/**
 * The trust cut-over (`trustStartDate`, docs/trust.md): before anything of a Clio trust account is
 * posted, what its QBO liability account already holds before the cut-over is compared with what
 * lexbridge expects there —
 * - accounts mapped by `qboTrustAccounts` must hold Clio's balance on that date (they hold the
 *   history: no opening balances are posted to them);
 * - accounts lexbridge found by name or created must hold nothing before it (lexbridge posts each
 *   client's opening balance there; anything already there would count twice).
 * An account that fails is held — none of its entries is written — with one Sync Status item
 * naming both amounts; the check is repeated each pass until it passes, and remembered once it does.
 * Then each client's opening balance is planned (planners/trust-opening.ts).
 *
 * What QBO "holds before the cut-over" is read as lexbridge reads trust everywhere (reconciliation
 * included): the journal entry lines on the liability account dated before `trustStartDate`.
 */
import { type Cents, formatMoney } from "../core/money.ts";
import { liabilityByCustomer, signedAmount } from "../mapping/trust-journal.ts";
import { openingKey, parseOpeningKey } from "../mapping/trust-opening.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { IssueInput } from "../store/port.ts";
import { requestIdFor } from "./hash.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import type { PassContext } from "./pass-context.ts";
import { type OpeningPlan, type OpeningToPlan, planOpeningBalances } from "./planners/trust-opening.ts";
import type { EngineDeps } from "./ports.ts";
import type { TrustAccountPair, TrustSetup } from "./setup-trust.ts";

/** Clio trust account id → the `trustStartDate` its check passed for. */
export const CUTOVER_KV_KEY = "qbo:trust-cutover";
const PAGE = 1000;

export const cutoverIssueKey = (account: string) => `trust_cutover:${account}`;

export interface CutoverResult {
  operations: PlannedOperation[];
  /** Clio trust accounts whose check failed: nothing of them is posted this pass. */
  held: Set<string>;
  /** `${account}-${client}` whose opening balance is not settled: their earlier movements stay dirty. */
  pending: Set<string>;
  /** Opening balances dated in QBO's closed books (joined to the closed-books item). */
  closed: string[];
}

const NONE: CutoverResult = { operations: [], held: new Set(), pending: new Set(), closed: [] };

/**
 * The cut-over's part of the trust phase. `beforeCutoverDirty`: whether this pass plans a movement
 * dated before the cut-over (only then, or while a check or an opening balance is unsettled, are
 * Clio's balances added up again from the mirror).
 */
export async function planCutover(
  deps: EngineDeps,
  ctx: PassContext,
  setup: TrustSetup,
  beforeCutoverDirty: boolean,
): Promise<CutoverResult> {
  const date = deps.settings.trustStartDate;
  if (!date) return NONE;
  const passed = JSON.parse((await deps.store.getKv(CUTOVER_KV_KEY)) ?? "{}") as Record<string, string>;
  const unchecked = Object.keys(setup.map).filter((a) => passed[a] !== date);
  const openingIssue = [...ctx.openIssues.keys()].some((k) =>
    parseOpeningKey(k.replace(/^journal_entry:/, "")),
  );
  // A re-sync of a client's trust drift re-writes its opening balances too.
  const forced = new Map<string, string>();
  for (const issue of ctx.openIssues.values())
    if (issue.retryRequested && issue.key.startsWith("trust:"))
      forced.set(issue.key.slice("trust:".length), `d${issue.attempts}`);
  if (!beforeCutoverDirty && unchecked.length === 0 && !openingIssue && forced.size === 0) return NONE;

  const clio = await clioBalancesBefore(deps, date);
  const result: CutoverResult = { operations: [], held: new Set(), pending: new Set(), closed: [] };
  const resolve: string[] = [];
  // One read of QBO's entries before the cut-over, for every account to check.
  const qbo =
    unchecked.length > 0
      ? await qboLiabilitiesBefore(
          deps,
          unchecked.map((a) => setup.map[a]!.liability),
          date,
        )
      : new Map();
  for (const account of unchecked) {
    const issue = await checkAccount(deps, setup.map[account]!, account, date, clio, qbo);
    if (issue) {
      result.held.add(account);
      await raise(deps, ctx, issue);
    } else {
      passed[account] = date;
      resolve.push(cutoverIssueKey(account));
    }
  }
  if (resolve.length > 0)
    await deps.store.commit(
      { kv: { [CUTOVER_KV_KEY]: JSON.stringify(passed) }, resolveIssues: resolve },
      deps.clock.now(),
    );

  const openings: OpeningToPlan[] = [];
  for (const b of clio.byClient.values()) {
    if (result.held.has(b.account)) {
      result.pending.add(`${b.account}-${b.client}`);
      continue;
    }
    const key = openingKey(b.account, b.client);
    openings.push({
      ...b,
      accountName: setup.map[b.account]?.name ?? b.account,
      date,
      link: await deps.store.getLink("journal_entry", key),
      customer: await deps.store.getLink("customer", b.client),
      ...(forced.has(b.client) ? { forcedSalt: forced.get(b.client)! } : {}),
    });
  }
  const needsEquity = openings.some((o) => o.amount !== 0 && !setup.map[o.account]?.mapped);
  const plan: OpeningPlan = planOpeningBalances({
    realmId: deps.qbo.realmId,
    accounts: setup.map,
    equityAccountId: needsEquity ? await openingBalanceEquity(deps) : "",
    openIssues: ctx.openIssues,
    openings,
    ...(ctx.tax?.bookCloseDate ? { bookCloseDate: ctx.tax.bookCloseDate } : {}),
    ...(ctx.tracking ? { tracking: ctx.tracking } : {}),
  });
  ctx.plan.push(...plan.entries);
  for (const issue of plan.issues) await raise(deps, ctx, issue);
  if (plan.clean.length > 0)
    await deps.store.commit(
      { mirrorClean: plan.clean.map((id) => ({ kind: "bank_transaction" as const, id })) },
      deps.clock.now(),
    );
  for (const p of plan.pending) result.pending.add(p);
  result.closed.push(...plan.closed);
  result.operations.push(...plan.operations);
  return result;
}

interface ClioBefore {
  /** `${account}-${client}` → the client's ledger before the cut-over. */
  byClient: Map<string, Omit<OpeningToPlan, "accountName" | "date" | "link" | "customer">>;
  /** Clio trust account → the sum of its ledgers before the cut-over. */
  byAccount: Map<string, Cents>;
}

/** Every client's Clio trust ledger before the cut-over, from the mirror (one read of it). */
async function clioBalancesBefore(deps: EngineDeps, date: string): Promise<ClioBefore> {
  const out: ClioBefore = { byClient: new Map(), byAccount: new Map() };
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bank_transaction", { afterId: after, limit: PAGE });
    for (const m of page) {
      const tx = m.data;
      const day = String(tx.date ?? "").slice(0, 10);
      const client = tx.client?.id;
      if (!day || day >= date || client === undefined || client === null) continue;
      const account = String(tx.bank_account?.id ?? "");
      const key = `${account}-${client}`;
      const b = out.byClient.get(key) ?? {
        account,
        client: String(client),
        ...(tx.client?.name ? { clientName: String(tx.client.name) } : {}),
        amount: 0 as Cents,
        sources: [],
      };
      out.byClient.set(key, b);
      if (m.dirty) b.sources.push(m.id);
      if (tx.deleted === true) continue;
      const amount = signedAmount(tx);
      b.amount = (b.amount + amount) as Cents;
      out.byAccount.set(account, ((out.byAccount.get(account) ?? 0) + amount) as Cents);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return out;
}

/** The Sync Status item of an account whose QBO balance before the cut-over is not what it must be. */
async function checkAccount(
  deps: EngineDeps,
  pair: TrustAccountPair,
  account: string,
  date: string,
  clio: ClioBefore,
  qboBefore: Map<string, LiabilityBefore>,
): Promise<IssueInput | undefined> {
  const held = qboBefore.get(pair.liability) ?? { total: 0 as Cents, byCustomer: new Map() };
  const clioTotal = clio.byAccount.get(account) ?? (0 as Cents);
  const want = pair.mapped ? clioTotal : (0 as Cents);
  if (held.total === want) return undefined;
  const base = {
    key: cutoverIssueKey(account),
    code: "sync_trust_opening_mismatch",
    entity: "run" as const,
    clioId: account,
    clioName: `Trust cut-over of ${pair.name}`,
    qboId: pair.liability,
  };
  const qbo = `QuickBooks trust liability account ${pair.liability} holds ${formatMoney(held.total)} in journal entries dated before ${date}`;
  if (!pair.mapped)
    return {
      ...base,
      message: `${qbo}; lexbridge would post Clio's ${formatMoney(clioTotal)} there as opening balances, so that history would count twice. Nothing of Clio trust account "${pair.name}" is posted until this is settled.`,
    };
  const clients = await clientDifferences(deps, account, clio, held.byCustomer);
  return {
    ...base,
    message: `${qbo}; Clio trust account "${pair.name}" holds ${formatMoney(clioTotal)} then (difference ${formatMoney((held.total - clioTotal) as Cents)})${clients.length > 0 ? `. By client: ${clients.slice(0, 5).join("; ")}${clients.length > 5 ? ` and ${clients.length - 5} more` : ""}` : ""}. Nothing of it is posted until they agree.`,
    details: { qbo: formatMoney(held.total), clio: formatMoney(clioTotal), clients },
  };
}

/** "client 1001: Clio 1250.00, QuickBooks 1000.00" for each client whose two sides differ. */
async function clientDifferences(
  deps: EngineDeps,
  account: string,
  clio: ClioBefore,
  qboByCustomer: Map<string, Cents>,
): Promise<string[]> {
  const clientOfCustomer = new Map<string, string>();
  for (const l of await deps.store.listLinks("customer"))
    if (l.state === "linked") clientOfCustomer.set(l.qboId, l.clioId);
  const byClient = new Map<string, { clio: Cents; qbo: Cents }>();
  const at = (c: string) => byClient.get(c) ?? byClient.set(c, { clio: 0 as Cents, qbo: 0 as Cents }).get(c)!;
  for (const b of clio.byClient.values()) if (b.account === account) at(b.client).clio = b.amount;
  for (const [customer, amount] of qboByCustomer)
    at(clientOfCustomer.get(customer) ?? `QuickBooks customer ${customer || "(none)"}`).qbo = amount;
  const out: string[] = [];
  for (const [client, v] of byClient)
    if (v.clio !== v.qbo)
      out.push(
        `${client.startsWith("QuickBooks") ? client : `client ${client}`}: Clio ${formatMoney(v.clio)}, QuickBooks ${formatMoney(v.qbo)}`,
      );
  return out;
}

export interface LiabilityBefore {
  total: Cents;
  byCustomer: Map<string, Cents>;
}

/**
 * Each liability account's balance before the date, in total and by customer, from the journal
 * entries dated before it (one listing for all of them).
 */
export async function qboLiabilitiesBefore(
  deps: EngineDeps,
  liabilities: string[],
  date: string,
): Promise<Map<string, LiabilityBefore>> {
  const out = new Map<string, LiabilityBefore>(
    liabilities.map((l) => [l, { total: 0 as Cents, byCustomer: new Map() }]),
  );
  for await (const je of deps.qbo.queryAll<"JournalEntry">(
    qboQuery("JournalEntry").where("TxnDate", "<", date),
  ))
    for (const liability of liabilities) {
      const held = out.get(liability)!;
      for (const [customer, amount] of liabilityByCustomer(
        je as Record<string, unknown>,
        new Set([liability]),
      )) {
        held.byCustomer.set(customer, ((held.byCustomer.get(customer) ?? 0) + amount) as Cents);
        held.total = (held.total + amount) as Cents;
      }
    }
  return out;
}

/**
 * QBO's Opening Balance Equity account (every company has one; QuickBooks books opening balances
 * against it), created with a deterministic request id if someone removed it.
 */
async function openingBalanceEquity(deps: EngineDeps): Promise<string> {
  for await (const a of deps.qbo.queryAll<"Account">(qboQuery("Account").where("AccountType", "=", "Equity")))
    if (a.AccountSubType === "OpeningBalanceEquity" && a.Active !== false) return String(a.Id);
  const made = await deps.qbo.create(
    "Account",
    { Name: "Opening Balance Equity", AccountType: "Equity", AccountSubType: "OpeningBalanceEquity" },
    { requestId: requestIdFor([deps.qbo.realmId, "opening-balance-equity"]) },
  );
  if (!made.ok) throw made.error;
  return String(made.value.Id);
}
