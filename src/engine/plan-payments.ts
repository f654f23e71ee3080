import { billCurrency } from "../mapping/bill-currency.ts";
import {
  type ClioAllocationView,
  isAllocationGone,
  isCreditMemoGone,
} from "../mapping/clio-billing-views.ts";
import type { Link } from "../store/port.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { readInactiveRefs } from "./inactive-ref-store.ts";
import { raise } from "./issues.ts";
import { holdsQboRecord } from "./link-state.ts";
import type { PlannedOperation } from "./operation.ts";
import { type PassContext, taxInput } from "./pass-context.ts";
import {
  type MemoToApply,
  planCreditApplicationChanges,
  planCreditMemoRemovals,
} from "./planners/credits.ts";
import { type ParentToPlan, planPaymentChanges } from "./planners/payments.ts";
import type { EngineDeps } from "./ports.ts";

const PAGE = 1000;

interface ParentGroup {
  type: "Payment" | "CreditMemo";
  id: string;
  allocations: ClioAllocationView[];
}

/**
 * The keys (`Payment:id`, `CreditMemo:id`) of the parents with a changed allocation, sorted, all
 * found before the first write of the phase cleans any.
 */
async function changedParents(deps: EngineDeps): Promise<string[]> {
  const keys = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("allocation", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const m of page) if (m.parentId) keys.add(m.parentId);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return [...keys].filter((key) => key.startsWith("Payment:") || key.startsWith("CreditMemo:")).sort();
}

/** A parent with all its allocations. */
async function readParent(deps: EngineDeps, key: string): Promise<ParentGroup> {
  const [type, id] = key.split(":") as ["Payment" | "CreditMemo", string];
  const allocations = (await deps.store.listMirrorByParent("allocation", key)).map((m) => m.data);
  return { type, id, allocations };
}

/**
 * The QBO invoice of each bill the allocations pay, and the first bill that should have an
 * invoice and has none yet (then the parent waits for it).
 */
async function invoicesFor(deps: EngineDeps, allocations: ClioAllocationView[]) {
  const invoiceIdByBill = new Map<string, string>();
  let waiting: string | undefined;
  let customerClio: string | undefined;
  for (const a of allocations) {
    const billId = a.bill ? String(a.bill.id) : undefined;
    if (!billId) continue;
    const bill = (await deps.store.getMirror("bill", billId))?.data;
    customerClio ??=
      (a.contact?.id !== undefined ? String(a.contact.id) : undefined) ??
      (bill ? clientIdOf(bill) : undefined);
    const link = await deps.store.getLink("invoice", billId);
    if (holdsQboRecord(link)) invoiceIdByBill.set(billId, link.qboId);
    else if (!isAllocationGone(a) && bill && isInvoiceable(bill, deps.settings.startDate)) waiting ??= billId;
  }
  return { invoiceIdByBill, waiting, customerClio };
}

/**
 * The currency and exchange rate of the invoices a parent applies to, read from the first of them
 * in QBO, when its bill is not in the home currency of a multicurrency company.
 */
async function invoiceCurrency(
  deps: EngineDeps,
  ctx: PassContext,
  group: ParentGroup,
  invoiceIdByBill: ReadonlyMap<string, string>,
): Promise<ParentToPlan["currency"]> {
  if (!ctx.tax?.multiCurrency) return undefined;
  for (const [billId, invoiceId] of invoiceIdByBill) {
    const bill = (await deps.store.getMirror("bill", billId))?.data;
    const code = bill ? billCurrency(bill) : undefined;
    if (!code || code === ctx.tax.homeCurrency) return undefined;
    if (!group.allocations.some((a) => String(a.bill?.id) === billId)) continue;
    const read = await deps.qbo.read("Invoice", invoiceId);
    if (!read.ok) return undefined;
    const invoice = read.value as { CurrencyRef?: { value?: string }; ExchangeRate?: number };
    const own = invoice.CurrencyRef?.value;
    return own && own !== ctx.tax.homeCurrency
      ? { code: own, rate: Number(invoice.ExchangeRate ?? 1) }
      : undefined;
  }
  return undefined;
}

/** What the pure planner (planners/payments.ts) needs of one parent, read from the store. */
async function parentToPlan(deps: EngineDeps, ctx: PassContext, group: ParentGroup): Promise<ParentToPlan> {
  const { invoiceIdByBill, waiting, customerClio } = await invoicesFor(deps, group.allocations);
  const currency = await invoiceCurrency(deps, ctx, group, invoiceIdByBill);
  const entity = group.type === "Payment" ? "payment" : "credit_memo";
  const memo =
    group.type === "CreditMemo" ? (await deps.store.getMirror("credit_memo", group.id))?.data : undefined;
  return {
    ...group,
    link: await deps.store.getLink(entity, group.id),
    invoiceIdByBill,
    waitingForInvoice: waiting !== undefined,
    ...(waiting ? { waitingForBill: waiting } : {}),
    customer: customerClio ? await deps.store.getLink("customer", customerClio) : undefined,
    ...(memo ? { memo } : {}),
    ...(currency ? { currency } : {}),
  };
}

/** Parents read and planned together: the writes of one chunk are sent while the next is planned. */
const PARENTS_PER_CHUNK = 500;

/**
 * Phase 3 — payments and credit memos: read each changed parent, plan (pure), perform — a chunk
 * of parents at a time (each parent is planned on its own), so memory stays flat.
 */
export async function* planPayments(deps: EngineDeps, ctx: PassContext): AsyncGenerator<PlannedOperation[]> {
  const inactive = await readInactiveRefs(deps);
  const keys = await changedParents(deps);
  for (let i = 0; i < keys.length; i += PARENTS_PER_CHUNK) {
    const parents: ParentToPlan[] = [];
    for (const key of keys.slice(i, i + PARENTS_PER_CHUNK))
      parents.push(await parentToPlan(deps, ctx, await readParent(deps, key)));
    yield await performPaymentPlan(deps, ctx, parents, inactive);
  }
}

async function performPaymentPlan(
  deps: EngineDeps,
  ctx: PassContext,
  parents: ParentToPlan[],
  inactive: Awaited<ReturnType<typeof readInactiveRefs>>,
): Promise<PlannedOperation[]> {
  const plan = planPaymentChanges({
    realmId: deps.qbo.realmId,
    creditItemId: ctx.items!.credit,
    ...taxInput(deps, ctx),
    ...(ctx.depositAccountId ? { depositAccountId: ctx.depositAccountId } : {}),
    inactive,
    openIssues: ctx.openIssues,
    parents,
    ...(ctx.tracking ? { tracking: ctx.tracking } : {}),
  });
  ctx.plan.push(...plan.entries);
  ctx.cleanings.push(...plan.cleanings);
  for (const issue of plan.issues) await raise(deps, ctx, issue);
  if (plan.clean.length > 0)
    await deps.store.commit(
      { mirrorClean: plan.clean.map((id) => ({ kind: "allocation" as const, id })) },
      deps.clock.now(),
    );
  return plan.operations;
}

/** Phase 4 — credit applications: read each written credit memo's state, plan (pure), hand on. */
export async function planCreditApplications(
  deps: EngineDeps,
  ctx: PassContext,
): Promise<PlannedOperation[]> {
  const memos: MemoToApply[] = [];
  for (const memo of await deps.store.listLinks("credit_memo")) {
    if (memo.state !== "linked") continue;
    memos.push({
      memo,
      gone: await isCreditVoided(deps, memo.clioId),
      customerId: await customerOfCredit(deps, memo.clioId),
      application: await deps.store.getLink("credit_application", memo.clioId),
    });
  }
  const plan = planCreditApplicationChanges(deps.qbo.realmId, memos);
  ctx.plan.push(...plan.entries);
  return plan.operations;
}

/**
 * Phase 5 — credit memos voided or deleted in Clio whose application is gone are removed. Removing
 * the application changed the memo's remaining credit, and so its SyncToken: it is read first.
 */
export async function planVoidedCreditMemos(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const memos: Link[] = [];
  for (const memo of await deps.store.listLinks("credit_memo")) {
    if (memo.state !== "linked" || !(await isCreditVoided(deps, memo.clioId))) continue;
    if ((await deps.store.getLink("credit_application", memo.clioId))?.state === "linked") continue;
    const current = await deps.qbo.read("CreditMemo", memo.qboId);
    const syncToken = current.ok ? String(current.value.SyncToken ?? memo.syncToken) : memo.syncToken;
    memos.push({ ...memo, syncToken });
  }
  const plan = planCreditMemoRemovals(deps.qbo.realmId, memos);
  ctx.plan.push(...plan.entries);
  return plan.operations;
}

/**
 * Whether Clio voided or deleted the credit memo: the memo itself, or every allocation of it (a
 * deleted memo's allocations vanish with it, so they are what a changed bill reveals first).
 */
async function isCreditVoided(deps: EngineDeps, memoId: string): Promise<boolean> {
  const memo = (await deps.store.getMirror("credit_memo", memoId))?.data;
  if (memo && isCreditMemoGone(memo)) return true;
  const allocations = await deps.store.listMirrorByParent("allocation", `CreditMemo:${memoId}`);
  return allocations.length > 0 && allocations.every((m) => isAllocationGone(m.data));
}

async function customerOfCredit(deps: EngineDeps, memoId: string): Promise<string | undefined> {
  const allocations = await deps.store.listMirrorByParent("allocation", `CreditMemo:${memoId}`);
  for (const m of allocations) {
    const a = m.data;
    const bill = a.bill ? (await deps.store.getMirror("bill", String(a.bill.id)))?.data : undefined;
    const clio = a.contact?.id !== undefined ? String(a.contact.id) : bill ? clientIdOf(bill) : undefined;
    const link = clio ? await deps.store.getLink("customer", clio) : undefined;
    if (link?.state === "linked") return link.qboId;
  }
  return undefined;
}
