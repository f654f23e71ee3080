import { expectedInvoiceTotal, toQboInvoice } from "../mapping/bill-invoice.ts";
import type { ClioBillView, ClioLineItemView } from "../mapping/clio-billing-views.ts";
import type { MirrorRecord } from "../store/port.ts";
import { clientIdOf, isInvoiceable, isVoided } from "./eligibility.ts";
import { contentHash, requestIdFor } from "./hash.ts";
import { invoiceFingerprint } from "./invoice-fingerprint.ts";
import { issueKey } from "./issue-keys.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { attemptSalt, type PassContext, recordPlan } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";
import { upsertOperation } from "./upsert-operation.ts";

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
 * Phase 2 — invoices (PRODUCT.md §1.2). Every changed bill is looked at once: an invoiceable bill
 * whose mapped content differs from what was last written becomes a create, or a full update
 * (Clio's version overwrites edits made in QBO); a voided or deleted bill voids its invoice.
 * A bill whose client has no customer yet waits, with an issue saying so.
 */
export async function planInvoices(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const ops: PlannedOperation[] = [];
  const clean: Array<{ kind: "bill"; id: string }> = [];
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bill", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const m of page) {
      const op = await planBill(deps, ctx, m);
      if (op === "clean") clean.push({ kind: "bill", id: m.id });
      else if (op) ops.push(op);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  if (clean.length > 0) await deps.store.commit({ mirrorClean: clean }, deps.clock.now());
  return ops;
}

async function planBill(
  deps: EngineDeps,
  ctx: PassContext,
  m: MirrorRecord,
): Promise<PlannedOperation | "clean" | undefined> {
  const bill = m.data as unknown as ClioBillView;
  const id = m.id;
  const key = issueKey.bill(id);
  const link = await deps.store.getLink("invoice", id);
  const name = `Bill ${bill.number}`;
  if (!isInvoiceable(bill, deps.settings.startDate)) {
    if (isVoided(bill) && link?.state === "linked" && link.contentHash !== "void") {
      recordPlan(ctx, { phase: "invoice", action: "void", clioId: id, name, qboId: link.qboId });
      return {
        entity: "invoice",
        clioId: id,
        action: "void",
        requestId: requestIdFor([deps.qbo.realmId, "invoice", id, "void", link.syncToken]),
        payload: {
          qboEntity: "Invoice",
          operation: "void",
          body: { Id: link.qboId, SyncToken: link.syncToken },
          contentHash: "void",
          issue: { key, entity: "bill", clioId: id, clioName: name },
          sources: [{ kind: "bill", id }],
        },
      };
    }
    return "clean";
  }
  if (link?.state === "broken" && !ctx.openIssues.get(key)?.retryRequested) return "clean";
  const salt = attemptSalt(ctx, key, true);
  if (salt === undefined) return "clean";
  const clientId = clientIdOf(bill);
  const customer = clientId ? await deps.store.getLink("customer", clientId) : undefined;
  if (customer?.state !== "linked") {
    await raise(deps, ctx, {
      key,
      code: "sync_customer_not_synced",
      message:
        customer?.state === "inactive"
          ? `${name} waits for its client's QuickBooks customer ${customer.qboId}, made inactive in QuickBooks (re-sync the client's item contact:${clientId})`
          : `${name} waits for its client (Clio contact ${clientId ?? "?"}) to be linked to a QuickBooks customer`,
      entity: "bill",
      clioId: id,
      clioName: name,
    });
    return undefined; // stays dirty: planned again once the customer exists
  }
  const lines = (await deps.store.listMirrorByParent("line_item", id)).map(
    (l) => l.data as unknown as ClioLineItemView,
  );
  const items = ctx.items!;
  const mapped = toQboInvoice(bill, lines, {
    customerId: customer?.qboId ?? `(new customer for Clio ${clientId})`,
    items,
  });
  for (const n of mapped.notes) if (n.severity === "cleaned") ctx.cleanings.push({ clioId: id, ...n });
  const error = mapped.notes.find((n) => n.severity === "error");
  if (!mapped.value || error) {
    await raise(deps, ctx, {
      key,
      code: error?.code === "sync_doc_number_too_long" ? "sync_doc_number_too_long" : "sync_mapping_failed",
      message: error?.message ?? `${name} cannot be mapped`,
      entity: "bill",
      clioId: id,
      clioName: name,
    });
    return "clean";
  }
  const hash = contentHash(mapped.value);
  if (link?.state === "linked" && link.contentHash === hash) return "clean";
  return upsertOperation(ctx, {
    realmId: deps.qbo.realmId,
    entity: "invoice",
    qboEntity: "Invoice",
    clioId: id,
    name,
    link,
    body: mapped.value,
    contentHash: hash,
    salt,
    issue: { key, entity: "bill", clioId: id, clioName: name },
    sources: [{ kind: "bill", id }],
    extra: {
      expectedTotal: expectedInvoiceTotal(mapped.value),
      base: { fingerprint: invoiceFingerprint(mapped.value) },
    },
  });
}
