import { toCreditApplication, toQboCreditMemo, toQboPayment } from "../mapping/allocation-payment.ts";
import {
  type ClioAllocationView,
  type ClioBillView,
  type ClioCreditMemoView,
  isAllocationGone,
  isCreditMemoGone,
} from "../mapping/clio-billing-views.ts";
import type { Link } from "../store/port.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { contentHash, requestIdFor } from "./hash.ts";
import { issueKey } from "./issue-keys.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { attemptSalt, type PassContext, recordPlan } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";
import { upsertOperation } from "./upsert-operation.ts";

const PAGE = 1000;

interface ParentGroup {
  type: "Payment" | "CreditMemo";
  id: string;
  allocations: ClioAllocationView[];
}

/** Parents (payments, credit memos) with a changed allocation, each with all its allocations. */
async function changedParents(deps: EngineDeps): Promise<ParentGroup[]> {
  const keys = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("allocation", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const m of page) if (m.parentId) keys.add(m.parentId);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  const out: ParentGroup[] = [];
  for (const key of [...keys].sort()) {
    const [type, id] = key.split(":") as [string, string];
    if (type !== "Payment" && type !== "CreditMemo") continue;
    const allocations = (await deps.store.listMirrorByParent("allocation", key)).map(
      (m) => m.data as unknown as ClioAllocationView,
    );
    out.push({ type, id, allocations });
  }
  return out;
}

/**
 * The QBO invoice of each bill the allocations pay, and whether some bill that should have an
 * invoice has none yet (then the parent waits for it).
 */
async function invoicesFor(deps: EngineDeps, allocations: ClioAllocationView[]) {
  const invoiceIdByBill = new Map<string, string>();
  let waiting = false;
  let customerClio: string | undefined;
  for (const a of allocations) {
    const billId = a.bill ? String(a.bill.id) : undefined;
    if (!billId) continue;
    const bill = (await deps.store.getMirror("bill", billId))?.data as unknown as ClioBillView | undefined;
    customerClio ??=
      (a.contact?.id !== undefined ? String(a.contact.id) : undefined) ??
      (bill ? clientIdOf(bill) : undefined);
    const link = await deps.store.getLink("invoice", billId);
    if (link?.state === "linked") invoiceIdByBill.set(billId, link.qboId);
    else if (!isAllocationGone(a) && bill && isInvoiceable(bill, deps.settings.startDate)) waiting = true;
  }
  return { invoiceIdByBill, waiting, customerClio };
}

/**
 * Phase 3 — payments and credit memos (PRODUCT.md §1.3–1.4). One QBO Payment per Clio payment,
 * one line per invoice it pays; a payment whose allocations are all voided or deleted is voided in
 * QBO, and one that lost some of them is rewritten without them.
 * A credit memo becomes a QBO CreditMemo; its application (phase 4) links it to the invoices.
 */
export async function planPayments(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const ops: PlannedOperation[] = [];
  const clean: Array<{ kind: "allocation"; id: string }> = [];
  for (const group of await changedParents(deps)) {
    const { invoiceIdByBill, waiting, customerClio } = await invoicesFor(deps, group.allocations);
    const entity = group.type === "Payment" ? "payment" : "credit_memo";
    const key = group.type === "Payment" ? issueKey.payment(group.id) : issueKey.creditMemo(group.id);
    const name = `${group.type === "Payment" ? "Payment" : "Credit memo"} ${group.id}`;
    const link = await deps.store.getLink(entity, group.id);
    if (waiting) {
      await raise(deps, ctx, {
        key,
        code: "sync_invoice_not_synced",
        message: `${name} applies to a bill whose invoice is not in QuickBooks yet`,
        entity,
        clioId: group.id,
        clioName: name,
      });
      continue; // allocations stay dirty
    }
    const customer = customerClio ? await deps.store.getLink("customer", customerClio) : undefined;
    const salt = attemptSalt(ctx, key, true);
    const op =
      salt === undefined
        ? undefined
        : group.type === "Payment"
          ? planPayment(deps, ctx, group, invoiceIdByBill, customer, link, key, name, salt)
          : await planCreditMemo(deps, ctx, group, invoiceIdByBill, customer, link, key, name, salt);
    const allocations = group.allocations.map((a) => ({ kind: "allocation" as const, id: String(a.id) }));
    // With a write, its allocations are clean once the write is done (or became an issue);
    // without one, nothing is left to do for them now.
    if (op) ops.push({ ...op, payload: { ...op.payload, sources: allocations } });
    else clean.push(...allocations);
  }
  if (clean.length > 0) await deps.store.commit({ mirrorClean: clean }, deps.clock.now());
  return ops;
}

function planPayment(
  deps: EngineDeps,
  ctx: PassContext,
  group: ParentGroup,
  invoiceIdByBill: Map<string, string>,
  customer: Link | undefined,
  link: Link | undefined,
  key: string,
  name: string,
  salt: string,
): PlannedOperation | undefined {
  const issue = { key, entity: "payment" as const, clioId: group.id, clioName: name };
  const mapped = toQboPayment(group.id, group.allocations, {
    customerId: customer?.qboId ?? "",
    invoiceIdByBill,
  });
  if (!mapped.value) {
    if (link?.state !== "linked" || link.contentHash === "void") return undefined;
    recordPlan(ctx, { phase: "payment", action: "void", clioId: group.id, name, qboId: link.qboId });
    return {
      entity: "payment",
      clioId: group.id,
      action: "void",
      requestId: requestIdFor([deps.qbo.realmId, "payment", group.id, "void", link.syncToken, salt]),
      payload: {
        qboEntity: "Payment",
        operation: "void",
        body: { Id: link.qboId, SyncToken: link.syncToken, sparse: true },
        options: "include=void",
        contentHash: "void",
        issue,
        sources: [],
      },
    };
  }
  const hash = contentHash(mapped.value);
  if (link?.state === "linked" && link.contentHash === hash) return undefined;
  return upsertOperation(ctx, {
    realmId: deps.qbo.realmId,
    entity: "payment",
    qboEntity: "Payment",
    clioId: group.id,
    name,
    link,
    body: mapped.value,
    contentHash: hash,
    salt,
    issue,
  });
}

async function planCreditMemo(
  deps: EngineDeps,
  ctx: PassContext,
  group: ParentGroup,
  invoiceIdByBill: Map<string, string>,
  customer: Link | undefined,
  link: Link | undefined,
  key: string,
  name: string,
  salt: string,
): Promise<PlannedOperation | undefined> {
  const memo: ClioCreditMemoView = ((await deps.store.getMirror("credit_memo", group.id))
    ?.data as unknown as ClioCreditMemoView) ?? {
    id: group.id,
    date: group.allocations[0]?.date ?? "",
    amount: 0,
  };
  const mapped = toQboCreditMemo(memo, group.allocations, {
    customerId: customer?.qboId ?? "",
    invoiceIdByBill,
    creditItemId: ctx.items!.credit,
  });
  const issue = { key, entity: "credit_memo" as const, clioId: group.id, clioName: name };
  for (const n of mapped.notes) if (n.severity === "cleaned") ctx.cleanings.push({ clioId: group.id, ...n });
  if (!mapped.value) {
    // Voided: the application is removed in phase 4, then the credit memo itself.
    return undefined;
  }
  const hash = contentHash(mapped.value);
  if (link?.state === "linked" && link.contentHash === hash) return undefined;
  return upsertOperation(ctx, {
    realmId: deps.qbo.realmId,
    entity: "credit_memo",
    qboEntity: "CreditMemo",
    clioId: group.id,
    name,
    link,
    body: mapped.value.creditMemo,
    contentHash: hash,
    salt,
    issue,
    extra: { base: { applications: mapped.value.applications, date: memo.date } },
  });
}

/**
 * Phase 4 — apply each written credit memo to its invoices with a zero-total Payment, or remove
 * that application (and then the credit memo) when the Clio credit memo was voided.
 */
export async function planCreditApplications(
  deps: EngineDeps,
  ctx: PassContext,
): Promise<PlannedOperation[]> {
  const ops: PlannedOperation[] = [];
  for (const memoLink of await deps.store.listLinks("credit_memo")) {
    if (memoLink.state !== "linked") continue;
    const applications = (memoLink.base?.applications ?? []) as Array<{ invoiceId: string; amount: number }>;
    const date = String(memoLink.base?.date ?? "");
    const customerId = await customerOfCredit(deps, memoLink.clioId);
    const existing = await deps.store.getLink("credit_application", memoLink.clioId);
    const name = `Credit memo ${memoLink.clioId}`;
    const issue = {
      key: issueKey.creditApplication(memoLink.clioId),
      entity: "credit_application" as const,
      clioId: memoLink.clioId,
      clioName: name,
    };
    if (await isCreditVoided(deps, memoLink.clioId)) {
      // Voided or deleted in Clio (PRODUCT.md §1.4): first the application goes, then (next phase) the memo.
      if (existing?.state === "linked")
        ops.push(removal(deps.qbo.realmId, "credit_application", "Payment", existing, issue, ctx, name));
      continue;
    }
    if (applications.length === 0) continue;
    const body = toCreditApplication(customerId ?? "", memoLink.qboId, date, applications, memoLink.clioId);
    const hash = contentHash({ body, memo: memoLink.qboId });
    if (existing?.state === "linked" && existing.contentHash === hash) continue;
    if (!customerId) continue;
    ops.push(
      upsertOperation(ctx, {
        realmId: deps.qbo.realmId,
        entity: "credit_application",
        qboEntity: "Payment",
        clioId: memoLink.clioId,
        name,
        link: existing,
        body,
        contentHash: hash,
        issue,
      }),
    );
  }
  return ops;
}

/**
 * Phase 5 — a credit memo voided or deleted in Clio whose application is gone is removed from QBO (a QBO
 * CreditMemo cannot be voided through the API; deleting it undoes its effect entirely).
 */
export async function planVoidedCreditMemos(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const ops: PlannedOperation[] = [];
  for (const memoLink of await deps.store.listLinks("credit_memo")) {
    if (memoLink.state !== "linked" || !(await isCreditVoided(deps, memoLink.clioId))) continue;
    if ((await deps.store.getLink("credit_application", memoLink.clioId))?.state === "linked") continue;
    const name = `Credit memo ${memoLink.clioId}`;
    const issue = {
      key: issueKey.creditMemo(memoLink.clioId),
      entity: "credit_memo" as const,
      clioId: memoLink.clioId,
      clioName: name,
    };
    // Removing the application changed the memo's remaining credit, and so its SyncToken: read it.
    const current = await deps.qbo.read("CreditMemo", memoLink.qboId);
    const syncToken = current.ok
      ? String((current.value as { SyncToken?: string }).SyncToken ?? memoLink.syncToken)
      : memoLink.syncToken;
    ops.push(
      removal(deps.qbo.realmId, "credit_memo", "CreditMemo", { ...memoLink, syncToken }, issue, ctx, name),
    );
  }
  return ops;
}

/**
 * Whether Clio voided or deleted the credit memo: the memo itself, or every allocation of it (a
 * deleted memo's allocations vanish with it, so they are what a changed bill reveals first).
 */
async function isCreditVoided(deps: EngineDeps, memoId: string): Promise<boolean> {
  const memo = (await deps.store.getMirror("credit_memo", memoId))?.data as unknown as
    | ClioCreditMemoView
    | undefined;
  if (memo && isCreditMemoGone(memo)) return true;
  const allocations = await deps.store.listMirrorByParent("allocation", `CreditMemo:${memoId}`);
  return (
    allocations.length > 0 &&
    allocations.every((m) => isAllocationGone(m.data as unknown as ClioAllocationView))
  );
}

function removal(
  realmId: string,
  entity: "credit_application" | "credit_memo",
  qboEntity: "Payment" | "CreditMemo",
  link: Link,
  issue: PlannedOperation["payload"]["issue"],
  ctx: PassContext,
  name: string,
): PlannedOperation {
  recordPlan(ctx, { phase: entity, action: "delete", clioId: link.clioId, name, qboId: link.qboId });
  return {
    entity,
    clioId: link.clioId,
    action: "delete",
    requestId: requestIdFor([realmId, entity, link.clioId, "delete", link.qboId, link.syncToken]),
    payload: {
      qboEntity,
      operation: "delete",
      body: { Id: link.qboId, SyncToken: link.syncToken },
      contentHash: "deleted",
      linkAfter: "delete",
      issue,
      sources: [],
    },
  };
}

async function customerOfCredit(deps: EngineDeps, memoId: string): Promise<string | undefined> {
  const allocations = await deps.store.listMirrorByParent("allocation", `CreditMemo:${memoId}`);
  for (const m of allocations) {
    const a = m.data as unknown as ClioAllocationView;
    const bill = a.bill
      ? ((await deps.store.getMirror("bill", String(a.bill.id)))?.data as unknown as ClioBillView | undefined)
      : undefined;
    const clio = a.contact?.id !== undefined ? String(a.contact.id) : bill ? clientIdOf(bill) : undefined;
    const link = clio ? await deps.store.getLink("customer", clio) : undefined;
    if (link?.state === "linked") return link.qboId;
  }
  return undefined;
}
