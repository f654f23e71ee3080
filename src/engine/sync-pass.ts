import type { ClioBillView } from "../mapping/clio-billing-views.ts";
import type { MirrorKind, WriteUnit } from "../store/port.ts";
import { ArrivingKeys } from "./arriving-keys.ts";
import { noteBillCurrency } from "./bill-currencies.ts";
import { deferReconciliation, takeDeferredClients } from "./deferred-reconcile.ts";
import { findDeletedAllocations } from "./deleted-allocations.ts";
import { type DryRunWrite, dryRunDeps } from "./dry-run.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { type ExecutionHooks, type ExecutionStats, executeOperations, replayOutbox } from "./executor.ts";
import { compareIdSets } from "./id-set-compare.ts";
import { reactivateRequested } from "./inactive-ref-sync.ts";
import type { PlannedOperation } from "./operation.ts";
import { newPassContext, type PassContext, type PlanEntry } from "./pass-context.ts";
import { planCustomers } from "./plan-customers.ts";
import { markBillsOfChangedLines, planEarlyInvoices, planInvoices } from "./plan-invoices.ts";
import { planCreditApplications, planPayments, planVoidedCreditMemos } from "./plan-payments.ts";
import { planTrust, TRUST_STREAMS } from "./plan-trust.ts";
import type { ClioListKind, EngineDeps } from "./ports.ts";
import { pullClioStream } from "./pull-clio.ts";
import { pullQboChanges } from "./pull-qbo.ts";
import { resolveDepositAccount } from "./setup-deposit.ts";
import { ensureItems } from "./setup-items.ts";
import { readCompanyTax } from "./setup-tax.ts";
import { resolveTracking } from "./setup-tracking.ts";
import { replanBillsOnStartDateChange } from "./start-date-change.ts";
import { readTargets, type SyncTargets, targetCount } from "./targeted-reads.ts";
import { pauseOnThrottle } from "./throttle-pause.ts";
import { billOfLineItem, clientOfRecord, clientsOfLineItems, clientsOfPlan } from "./touched-clients.ts";

/**
 * What a pass reports while it runs, for a progress display: the Clio streams it will read, each
 * page read and each stream finished; each write phase once planned (its number of writes) and
 * each batch of it finished. `resume` is the phase of writes an earlier run left in the outbox.
 */
export type ProgressEvent =
  | { type: "reads"; streams: string[] }
  | { type: "pulled"; stream: string; records: number }
  | { type: "read"; stream: string; records: number }
  | { type: "phase"; phase: string; total: number }
  | { type: "progress"; phase: string; done: number };

/** The write phases of a pass, in order (the names ProgressEvent uses). */
export const WRITE_PHASES = [
  "resume",
  "customers",
  "trust customers",
  "journal entries",
  "invoices",
  "payments",
  "credit applications",
  "voided credit memos",
] as const;

export interface PassOptions {
  dryRun?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * A targeted sync (webhook deliveries): just these records are read, by id, and only what they
   * change is planned and written; no cursor moves, so the next pass still reads since its own
   * (targeted-reads.ts). Its clients are reconciled after the next ordinary pass.
   */
  targets?: SyncTargets;
}

export interface PassSummary {
  runId: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  pulled: Record<string, number>;
  /**
   * The plan's entries: all of them in a dry run; in a real pass the first PLAN_ENTRIES_KEPT, so
   * a pass of any size keeps a bounded plan in memory (`planCounts` counts every entry).
   */
  plan: PlanEntry[];
  /** Every entry of the plan counted by `phase action`, e.g. `invoice create` (a pass sets it). */
  planCounts?: Record<string, number>;
  written: ExecutionStats;
  openIssues: number;
  cleanings: number;
  /**
   * The Clio clients whose records changed in Clio or were planned for QBO in this pass: what the
   * reconciliation after it compares (reconcile-scope.ts). Empty when nothing changed.
   */
  touchedClients: string[];
  /** Dry run only: every write the pass would have sent, to QBO and to Clio, in order. */
  writes?: DryRunWrite[];
  /** A targeted sync: how many records were named, and why it planned nothing, if the pass must run. */
  targeted?: { records: number; fallback?: string };
}

/** How many contacts Clio returns for one `ids[]` request (a page: 200). */
const CONTACTS_PER_CALL = 200;

/** Read first, page by page, each page's customers written while the next is read. */
const FIRST_STREAMS: ClioListKind[] = ["bill"];
/**
 * Read, in this order, while the phases that do not need them write. QBO must always have work:
 * with early invoices the line items come first (each page completes bills whose invoices go at
 * once, and the trust transactions are read while they are written); without, the trust
 * transactions come first, so their journal entries are written while the line items are read.
 */
function laterStreams(earlyInvoices: boolean): ClioListKind[] {
  return earlyInvoices
    ? ["line_item", ...TRUST_STREAMS, "allocation", "credit_memo"]
    : [...TRUST_STREAMS, "line_item", "allocation", "credit_memo"];
}

/**
 * Reads the streams one after another in the background; `ready(stream)` resolves once that
 * stream (and those before it) is read, `all` once every one is, and `settled` never rejects.
 */
function readInOrder(streams: ClioListKind[], pull: (stream: ClioListKind) => Promise<void>) {
  const ready = new Map<ClioListKind, Promise<void>>();
  let chain: Promise<void> = Promise.resolve();
  for (const stream of streams) {
    chain = chain.then(() => pull(stream));
    ready.set(stream, chain);
    chain.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }
  return {
    ready: (stream: ClioListKind) => ready.get(stream) ?? Promise.resolve(),
    all: chain,
    settled: chain.catch(() => {}),
  };
}

/**
 * Reads a stream while writing what each page needs: `pick` draws the keys of a page's changed
 * records (a bill's client), and `write` takes every key gathered since it last ran once there
 * are at least `least` of them or the stream is read — more while QBO is slower than Clio. Ends
 * when the stream is read and all it named is written; the first failure of either side is the
 * result (the other side finishes).
 */
async function readWhileWriting(
  pull: (stream: ClioListKind, onChanged: (records: Record<string, unknown>[]) => void) => Promise<void>,
  stream: ClioListKind,
  pick: (records: Record<string, unknown>[]) => Iterable<string>,
  least: number,
  write: (keys: Set<string>) => Promise<void>,
): Promise<void> {
  let pending = new Set<string>();
  let wake: (() => void) | undefined;
  let readDone = false;
  const reading = pull(stream, (records) => {
    for (const key of pick(records)) pending.add(key);
    wake?.();
  }).finally(() => {
    readDone = true;
    wake?.();
  });
  let readFailed = false;
  reading.catch(() => {
    readFailed = true;
  });
  const writing = (async () => {
    for (;;) {
      if (pending.size === 0 || (pending.size < least && !readDone)) {
        if (readDone) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      // A failed read writes nothing more: the pass ends with its error.
      if (readFailed) return;
      const keys = pending;
      pending = new Set();
      await write(keys);
    }
  })();
  const [read, written] = await Promise.allSettled([reading, writing]);
  if (read.status === "rejected") throw read.reason;
  if (written.status === "rejected") throw written.reason;
}

/** The clients of invoiceable bills: the customers a page of bills needs. */
function clientsOfBills(deps: EngineDeps, ctx: PassContext) {
  return (records: Record<string, unknown>[]): string[] => {
    const out: string[] = [];
    for (const bill of records as ClioBillView[]) {
      const client = clientIdOf(bill);
      if (client && isInvoiceable(bill, deps.settings.startDate)) {
        out.push(client);
        noteBillCurrency(ctx, client, bill);
      }
    }
    return out;
  };
}

/**
 * One sync pass: finish what a crash left in the outbox, read what changed on both sides, then
 * plan and write in dependency order — customers, invoices, payments and credit memos, credit
 * applications — each phase written before the next is planned, so later phases see the ids the
 * earlier ones created. Within a phase, writes are sent while the rest of it is planned. A dry run reads and plans the same way and writes nothing to either side.
 * QuickBooks throttling pauses the pass instead of ending it (throttle-pause.ts).
 */
export async function runSyncPass(given: EngineDeps, options: PassOptions = {}): Promise<PassSummary> {
  if (!options.dryRun) return runPass(given, options);
  // A dry run is the same pass against a scratch copy of the store and providers that only
  // pretend to write (dry-run.ts): what it plans is what the next real pass would write.
  const dry = await dryRunDeps(given);
  try {
    const summary = await runPass(dry.deps, { ...options, dryRun: false }, "every entry");
    return {
      ...summary,
      dryRun: true,
      written: { sent: 0, succeeded: 0, failed: 0, batches: 0 },
      openIssues: (await given.store.listIssues({ state: "open" })).length,
      writes: dry.writes,
    };
  } finally {
    await dry.close();
  }
}

/** How many plan entries a real pass keeps for its summary (a dry run keeps every one). */
export const PLAN_ENTRIES_KEPT = 10_000;

async function runPass(
  given: EngineDeps,
  options: PassOptions,
  planKept: "every entry" | "the first entries" = "the first entries",
): Promise<PassSummary> {
  const startedAt = given.clock.now();
  const deps: EngineDeps = {
    ...given,
    qbo: pauseOnThrottle(
      given.qbo,
      given.clock,
      given.logger.child({ run: `run-${startedAt}` }),
      undefined,
      given.signal,
    ),
  };
  const ctx = newPassContext(`run-${startedAt}`, await deps.store.listIssues({ state: "open" }));
  const written: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const emit = (event: ProgressEvent) => options.onProgress?.(event);
  const hooksOf = (phase: string): ExecutionHooks => ({
    runId: ctx.runId,
    onStart: (total) => emit({ type: "phase", phase, total }),
    onProgress: (done) => emit({ type: "progress", phase, done }),
  });
  const early = given.settings.earlyInvoices !== false;
  emit({ type: "reads", streams: options.targets ? [] : [...FIRST_STREAMS, ...laterStreams(early)] });
  add(written, await replayOutbox(deps, hooksOf("resume")));
  if (!options.targets) {
    await applyResyncRequests(deps, ctx);
    await replanBillsOnStartDateChange(deps.store, deps.settings.startDate, deps.clock.now());
  }
  ctx.items = await ensureItems(deps);
  ctx.tax = await readCompanyTax(deps);
  ctx.tracking = await resolveTracking(deps, ctx.tax);
  const deposit = await resolveDepositAccount(deps);
  if (deposit) ctx.depositAccountId = deposit;

  const pulled: Record<string, number> = {};
  const log = deps.logger.child({ run: ctx.runId });
  let mark = deps.clock.now();
  const step = (what: string, fields: Record<string, unknown> = {}) => {
    const now = deps.clock.now();
    // Memory per step, for the bench's logs: what a phase holds shows as the heap it leaves.
    const { rss, heapUsed } = process.memoryUsage();
    log.info({ step: what, ms: now - mark, rssMb: mb(rss), heapMb: mb(heapUsed), ...fields }, "sync step");
    mark = now;
  };
  const touched = new Set<string>();
  // What the plan grew by is counted, its clients noted, and all but its first entries let go.
  const planCounts: Record<string, number> = {};
  let cleanings = 0;
  let settled = 0;
  const settlePlan = async () => {
    const fresh = ctx.plan.slice(settled);
    for (const c of await clientsOfPlan(deps, fresh)) touched.add(c);
    for (const p of fresh)
      planCounts[`${p.phase} ${p.action}`] = (planCounts[`${p.phase} ${p.action}`] ?? 0) + 1;
    if (planKept === "the first entries" && ctx.plan.length > PLAN_ENTRIES_KEPT)
      ctx.plan.length = PLAN_ENTRIES_KEPT;
    settled = ctx.plan.length;
    cleanings += ctx.cleanings.length;
    ctx.cleanings.length = 0;
  };
  const billsOfChangedLines = new Set<string>();
  const noteChanged = (stream: ClioListKind) => (records: Record<string, unknown>[]) => {
    if (stream === "line_item") {
      for (const r of records) {
        const bill = billOfLineItem(r);
        if (bill) billsOfChangedLines.add(bill);
      }
    } else for (const r of records) if (clientOfRecord(stream, r)) touched.add(clientOfRecord(stream, r)!);
  };
  const pull = async (stream: ClioListKind, onChanged?: (records: Record<string, unknown>[]) => void) => {
    const stats = await pullClioStream(
      deps,
      stream,
      (n) => emit({ type: "pulled", stream, records: n }),
      (records) => {
        noteChanged(stream)(records);
        onChanged?.(records);
      },
    );
    pulled[stream] = stats.records;
    emit({ type: "read", stream, records: stats.records });
    step(`pull ${stream}`, { records: stats.records, pages: stats.pages });
  };
  /**
   * A phase planned and written; a planner that hands on its writes in chunks has each chunk sent
   * while it plans the next (the executor's queue), so QBO does not wait for the whole plan and
   * the phase's writes are never all in memory.
   */
  const runPhase = async (
    phase: string,
    plan: () => Promise<PlannedOperation[]> | AsyncIterable<PlannedOperation[]>,
  ) => {
    deps.signal?.throwIfAborted();
    let planned = 0;
    async function* counted() {
      const made = plan();
      for await (const ops of Symbol.asyncIterator in made ? made : [await made]) {
        await settlePlan();
        planned += ops.length;
        if (ops.length > 0) emit({ type: "phase", phase, total: ops.length });
        yield ops;
      }
      if (planned === 0) emit({ type: "phase", phase, total: 0 });
    }
    add(written, await executeOperations(deps, counted(), hooksOf(phase)));
    step(`phase ${phase}`, { operations: planned });
  };

  /** The billing phases: what a pass and a targeted sync both plan from the dirty mirror. */
  const writeBilling = async () => {
    await markBillsOfChangedLines(deps);
    await runPhase("invoices", () => planInvoices(deps, ctx, "writes"));
    await runPhase("payments", () => planPayments(deps, ctx));
    await runPhase("credit applications", () => planCreditApplications(deps, ctx));
    await runPhase("voided credit memos", () => planVoidedCreditMemos(deps, ctx));
    // Last: QBO refuses to void an invoice while a payment or credit is applied to it, and a bill
    // deleted in Clio went with its payments, whose QBO payments were voided just above.
    await runPhase("voided invoices", () => planInvoices(deps, ctx, "voids"));
  };
  const finish = async (targeted?: PassSummary["targeted"]): Promise<PassSummary> => {
    add(written, await replayOutbox(deps, hooksOf("resume")));
    for (const c of await clientsOfLineItems(deps, billsOfChangedLines)) touched.add(c);
    await settlePlan();
    // A targeted sync leaves the reconciliation of its clients to the next pass (a few calls each).
    if (targeted) await deferReconciliation(deps, touched);
    else for (const c of await takeDeferredClients(deps)) touched.add(c);
    return {
      runId: ctx.runId,
      dryRun: false,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(deps.clock.now()).toISOString(),
      pulled,
      plan: ctx.plan,
      planCounts,
      written,
      openIssues: (await deps.store.listIssues({ state: "open" })).length,
      cleanings,
      touchedClients: [...touched].sort(),
      ...(targeted ? { targeted } : {}),
    };
  };

  if (options.targets) {
    // Trust is not targeted (no webhook names a trust movement): the next pass writes it.
    const read = await readTargets(deps, options.targets);
    for (const [stream, records] of Object.entries(read.pulled)) {
      pulled[stream] = records;
      emit({ type: "read", stream, records });
    }
    for (const c of read.clients) touched.add(c);
    step("targeted reads", read.fallback ? { fallback: read.fallback } : {});
    const targeted = { records: targetCount(options.targets) };
    if (read.fallback) return finish({ ...targeted, fallback: read.fallback });
    await runPhase("customers", () => planCustomers(deps, ctx));
    await writeBilling();
    return finish(targeted);
  }

  // Contacts and QBO's changes first (a few calls): the customers written from the first page of
  // bills on must see them.
  pulled.contact = await pullChangedContacts(deps, startedAt);
  await pullQboChanges(deps, startedAt);
  // Items and accounts the person asked to make active again, before what waits on them.
  await reactivateRequested(deps, ctx);
  step("pull changes");
  // Bills decide which clients sync: the customers of each page are planned and written while the
  // next pages are read, so QBO, the slower provider, starts writing at the first page.
  // Their contacts are read by id, 200 a call: the customers wait for 200 clients (or the last
  // page), since Clio's 50 calls a minute, not QBO, bound this stretch and a call for the clients
  // of one page would spend a call per page on contacts.
  await readWhileWriting(pull, "bill", clientsOfBills(deps, ctx), CONTACTS_PER_CALL, (clients) =>
    runPhase("customers", () => planCustomers(deps, ctx, clients)),
  );
  // The rest is read while the phases that do not need it write, so Clio's and QBO's rate budgets
  // are used at the same time (the initial sync is bound by the slower one, not by their sum).
  // With `earlyInvoices`, the bills of each page of line items are offered to the invoice phase
  // that runs while the rest is read (planEarlyInvoices); without it, or when the read fails, the
  // arrivals just end.
  const arrivingBills = new ArrivingKeys();
  const reads = readInOrder(laterStreams(early), (stream) =>
    stream === "line_item" && early
      ? pull(stream, (records) => arrivingBills.add(billsOfLineItems(records)))
      : pull(stream),
  );
  arrivingBills.endWith(reads.ready("line_item"));
  try {
    // Whatever the pages left: linked contacts changed in Clio, clients whose customer failed.
    await runPhase("customers", () => planCustomers(deps, ctx));
    // Bills new to QBO are written once their line items are read, while the rest of Clio still
    // is: no deletion found below concerns a bill with no invoice yet. With early invoices, those
    // whose lines add up go while the line items are still read, in one phase fed as pages
    // arrive (the trust transactions are read meanwhile); the rest once every line item is.
    if (early)
      await runPhase("invoices", async function* () {
        const planned = new Set<string>();
        for await (const bills of arrivingBills.batches())
          yield* planEarlyInvoices(deps, ctx, bills, planned);
      });
    for (const stream of TRUST_STREAMS) await reads.ready(stream);
    // Clients known only from trust movements (no approved bill) become customers now.
    await runPhase("trust customers", () => planCustomers(deps, ctx));
    await runPhase("journal entries", () => planTrust(deps, ctx));
    await reads.ready("line_item");
    await markBillsOfChangedLines(deps);
    await runPhase("invoices", () => planInvoices(deps, ctx, "writes", "new bills only"));
    await reads.all;
    // Clio keeps no tombstones: deletions are found once everything changed was read, before the
    // phases that undo them are planned (and before the invoice phase cleans the changed bills).
    step("deletions", {
      ...(await findDeletedAllocations(deps)),
      ...(await compareIdSets(deps)),
    });
    await writeBilling();
  } finally {
    await reads.settled;
  }
  return finish();
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

function billsOfLineItems(records: Record<string, unknown>[]): string[] {
  const bills: string[] = [];
  for (const r of records) {
    const bill = billOfLineItem(r);
    if (bill) bills.push(bill);
  }
  return bills;
}

function add(total: ExecutionStats, more: ExecutionStats): void {
  total.sent += more.sent;
  total.succeeded += more.succeeded;
  total.failed += more.failed;
  total.batches += more.batches;
}

/**
 * Contacts are first read by id, for the clients that need them; after the first pass the
 * contacts changed in Clio are read as a stream, and only linked ones are kept.
 */
async function pullChangedContacts(deps: EngineDeps, startedAt: number): Promise<number> {
  const cursor = await deps.store.getCursor("clio:contact");
  if (cursor === undefined) {
    await deps.store.commit({ cursors: { "clio:contact": new Date(startedAt).toISOString() } }, startedAt);
    return 0;
  }
  let count = 0;
  const since = new Date(Date.parse(cursor) - deps.settings.overlapMs).toISOString();
  for await (const page of deps.clio.list("contact", since)) {
    const keep: WriteUnit["mirror"] = [];
    for (const record of page.records) {
      const id = String(record.id);
      if ((await deps.store.getLink("customer", id)) || (await deps.store.getMirror("contact", id))) {
        keep.push({ kind: "contact", id, parentId: null, etag: String(record.etag ?? ""), data: record });
      }
    }
    count += keep.length;
    if (keep.length > 0) await deps.store.commit({ mirror: keep }, deps.clock.now());
  }
  await deps.store.commit(
    { cursors: { "clio:contact": new Date(startedAt).toISOString() } },
    deps.clock.now(),
  );
  return count;
}

/** `lexbridge resync`: items the user asked to retry are planned again on this pass. */
async function applyResyncRequests(deps: EngineDeps, ctx: PassContext): Promise<void> {
  const dirty: Array<{ kind: MirrorKind; id: string }> = [];
  for (const issue of ctx.openIssues.values()) {
    if (!issue.retryRequested) continue;
    const [kind, id] = issue.key.split(":") as [string, string];
    if (kind === "contact" || kind === "bill") dirty.push({ kind, id });
    if (kind === "payment" || kind === "credit_memo") {
      const parent = `${kind === "payment" ? "Payment" : "CreditMemo"}:${id}`;
      for (const m of await deps.store.listMirrorByParent("allocation", parent))
        dirty.push({ kind: "allocation", id: m.id });
    }
  }
  if (dirty.length > 0) await deps.store.commit({ mirrorDirty: dirty }, deps.clock.now());
}
