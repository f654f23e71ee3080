import { type BillCurrencyFacts, billCurrency } from "../mapping/bill-currency.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { Link, MirrorRecord } from "../store/port.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { readInactiveRefs } from "./inactive-ref-store.ts";
import { raise } from "./issues.ts";
import { holdsQboRecord } from "./link-state.ts";
import type { PlannedOperation } from "./operation.ts";
import { type PassContext, taxInput } from "./pass-context.ts";
import { type BillToPlan, planInvoiceChanges } from "./planners/invoices.ts";
import { linesAddUp } from "./planners/lines-add-up.ts";
import type { EngineDeps } from "./ports.ts";

const PAGE = 500;

/** A changed line item means its bill must be planned again. */
export async function markBillsOfChangedLines(deps: EngineDeps): Promise<void> {
  for (;;) {
    const lines = await deps.store.listMirror("line_item", { dirtyOnly: true, limit: PAGE });
    if (lines.length === 0) return;
    const bills = [...new Set(lines.map((l) => l.parentId).filter((p): p is string => p !== null))];
    await deps.store.commit(
      {
        mirrorDirty: bills.map((id) => ({ kind: "bill" as const, id })),
        mirrorClean: lines.map((l) => ({ kind: "line_item" as const, id: l.id })),
      },
      deps.clock.now(),
    );
  }
}

/**
 * Phase 2 — invoices (PRODUCT.md §1.2): the changed bills a page at a time (memory stays flat),
 * with what the pure planner (planners/invoices.ts) needs read for each; then its plan performed
 * and its writes handed on, a page's worth at a time, to be sent while the next page is planned.
 * The pages are read by id after the last one, so bills the executor cleans meanwhile move none.
 *
 * `new bills only` plans only the bills with no QBO invoice yet: what no deletion found later in
 * the pass can concern (findDeletedAllocations looks only at bills with one), so the pass writes
 * them as soon as the line items are read, before the rest of Clio is (sync-pass.ts).
 */
export async function* planInvoices(
  deps: EngineDeps,
  ctx: PassContext,
  step: "writes" | "voids",
  scope: "every changed bill" | "new bills only" = "every changed bill",
): AsyncGenerator<PlannedOperation[]> {
  const inactive = await readInactiveRefs(deps);
  for (let after: string | undefined; ; ) {
    const read = await deps.store.listMirror("bill", { dirtyOnly: true, afterId: after, limit: PAGE });
    const page: typeof read = [];
    for (const m of read)
      if (scope === "every changed bill" || !holdsQboRecord(await deps.store.getLink("invoice", m.id)))
        page.push(m);
    const bills = await Promise.all(page.map((m) => billToPlan(deps, ctx, m, step)));
    yield await planPage(deps, ctx, step, inactive, bills);
    if (read.length < PAGE) break;
    after = read.at(-1)!.id;
  }
}

/**
 * The invoices of new bills whose line items were read in full, while the rest of the line items
 * still are (`earlyInvoices`): of `billIds` (the bills of the line items just read), those still
 * changed, with no invoice yet, invoiceable, whose client's customer is in QBO, and whose lines
 * read so far add up to the bill (planners/lines-add-up.ts). The lines planned from are marked
 * seen; a line read after them marks the bill changed again, and the invoice phases after the
 * reads rewrite it. Bills not taken here are planned there. `planned` holds the bills this phase
 * already planned: one is never planned twice in it, since the second plan would carry the same
 * request id, be dropped as a repeat (executor.ts), and leave the lines it saw marked seen.
 */
export async function* planEarlyInvoices(
  deps: EngineDeps,
  ctx: PassContext,
  billIds: Iterable<string>,
  planned: Set<string>,
): AsyncGenerator<PlannedOperation[]> {
  const inactive = await readInactiveRefs(deps);
  let bills: BillToPlan[] = [];
  let lines: string[] = [];
  const plan = async () => {
    await deps.store.commit(
      { mirrorClean: lines.map((id) => ({ kind: "line_item" as const, id })) },
      deps.clock.now(),
    );
    const ops = await planPage(deps, ctx, "writes", inactive, bills);
    bills = [];
    lines = [];
    return ops;
  };
  for (const id of billIds) {
    if (planned.has(id)) continue;
    const m = await deps.store.getMirror("bill", id);
    if (!m?.dirty || !isInvoiceable(m.data, deps.settings.startDate)) continue;
    if (holdsQboRecord(await deps.store.getLink("invoice", id))) continue;
    const client = clientIdOf(m.data);
    if (!client || (await deps.store.getLink("customer", client))?.state !== "linked") continue;
    const read = await deps.store.listMirrorByParent("line_item", id);
    if (
      !linesAddUp(
        m.data,
        read.map((l) => l.data),
      )
    )
      continue;
    planned.add(id);
    bills.push(await billToPlan(deps, ctx, m, "writes"));
    for (const l of read) lines.push(l.id);
    if (bills.length === PAGE) yield await plan();
  }
  if (bills.length > 0) yield await plan();
}

/** One page of bills through the pure planner: its entries, issues and cleanings kept, its writes returned. */
async function planPage(
  deps: EngineDeps,
  ctx: PassContext,
  step: "writes" | "voids",
  inactive: Awaited<ReturnType<typeof readInactiveRefs>>,
  bills: BillToPlan[],
): Promise<PlannedOperation[]> {
  const plan = planInvoiceChanges({
    realmId: deps.qbo.realmId,
    startDate: deps.settings.startDate,
    items: ctx.items!,
    ...taxInput(deps, ctx),
    step,
    inactive,
    openIssues: ctx.openIssues,
    ...(ctx.tracking ? { tracking: ctx.tracking } : {}),
    bills,
  });
  ctx.plan.push(...plan.entries);
  ctx.cleanings.push(...plan.cleanings);
  for (const issue of plan.issues) await raise(deps, ctx, issue);
  if (plan.clean.length > 0)
    await deps.store.commit(
      { mirrorClean: plan.clean.map((id) => ({ kind: "bill" as const, id })) },
      deps.clock.now(),
    );
  return plan.operations;
}

async function billToPlan(
  deps: EngineDeps,
  ctx: PassContext,
  m: MirrorRecord<"bill">,
  step: "writes" | "voids",
): Promise<BillToPlan> {
  const bill = m.data;
  const clientId = clientIdOf(bill);
  const link = await deps.store.getLink("invoice", m.id);
  const customer = clientId ? await deps.store.getLink("customer", clientId) : undefined;
  const currency = await foreignCurrencyFacts(deps, ctx, bill, customer);
  return {
    ...(currency ? { currency } : {}),
    id: m.id,
    bill,
    link:
      step === "voids" && !isInvoiceable(bill, deps.settings.startDate) ? await current(deps, link) : link,
    customer,
    lines: (await deps.store.listMirrorByParent("line_item", m.id)).map((l) => l.data),
  };
}

/**
 * The invoice link with the SyncToken QBO has now: voiding or removing a payment or credit earlier
 * in the pass changed the invoice's balance, and with it its SyncToken (one read per invoice to void).
 */
async function current(deps: EngineDeps, link: Link | undefined): Promise<Link | undefined> {
  if (!holdsQboRecord(link)) return link;
  const read = await deps.qbo.read("Invoice", link.qboId);
  return read.ok ? { ...link, syncToken: String(read.value.SyncToken ?? link.syncToken) } : link;
}

/**
 * For a bill in a currency other than the home one, in a multicurrency company: the customer's
 * currency (one read) and QBO's exchange rate for it (read once per currency and pass). QBO's own
 * market rate is used because Clio bills carry no rate (clio-api.md §5.3); the rate is the
 * latest QBO has on or before the bill's date, else its earliest.
 */
async function foreignCurrencyFacts(
  deps: EngineDeps,
  ctx: PassContext,
  bill: MirrorRecord<"bill">["data"],
  customer: Link | undefined,
): Promise<BillCurrencyFacts | undefined> {
  const code = billCurrency(bill);
  if (!ctx.tax?.multiCurrency || code === undefined || code === ctx.tax.homeCurrency) return undefined;
  const facts: BillCurrencyFacts = {};
  if (customer?.state === "linked") {
    const read = await deps.qbo.read("Customer", customer.qboId);
    const own = read.ok ? (read.value.CurrencyRef as { value?: string } | undefined)?.value : undefined;
    if (own) facts.customerCurrency = own;
  }
  ctx.exchangeRates ??= new Map();
  if (!ctx.exchangeRates.has(code)) {
    const rates: Array<{ date: string; rate: number }> = [];
    const query = qboQuery("ExchangeRate").where("SourceCurrencyCode", "=", code);
    for await (const r of deps.qbo.queryAll<"ExchangeRate">(query))
      rates.push({ date: r.AsOfDate ?? "", rate: r.Rate });
    ctx.exchangeRates.set(
      code,
      rates.sort((a, b) => a.date.localeCompare(b.date)),
    );
  }
  const rates = ctx.exchangeRates.get(code)!;
  const onOrBefore = rates.filter((r) => r.date <= (bill.issued_at ?? "")).at(-1) ?? rates[0];
  if (onOrBefore) facts.rate = onOrBefore.rate;
  return facts;
}
