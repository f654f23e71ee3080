import type { ClioContactView } from "../mapping/clio-contact.ts";
import { toClioContactPatch } from "../mapping/clio-contact-patch.ts";
import type { ContactFieldName, ContactFields } from "../mapping/contact-fields.ts";
import { mergeContact } from "../mapping/contact-merge.ts";
import { CustomerMatcher } from "../mapping/customer-match.ts";
import type { MappingNote } from "../mapping/mapping-issue.ts";
import {
  fromQboCustomer,
  type QboCustomerView,
  toNewQboCustomer,
  toQboCustomerFields,
} from "../mapping/qbo-customer.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { AuditEntry, Link, WriteUnit } from "../store/port.ts";
import { clioFieldsForQbo, contactLabel, epochOf } from "./contact-view.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { contentHash, requestIdFor } from "./hash.ts";
import { issueKey } from "./issue-keys.ts";
import { breakLink, raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { attemptSalt, type PassContext, recordPlan } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";
import { toMirror } from "./pull-clio.ts";

const PAGE = 1000;

/**
 * Phase 1 — customers (PRODUCT.md §1.1). Finds the contacts that must sync (clients of approved
 * bills, and linked contacts that changed on either side), links the unlinked ones to an existing
 * QBO customer when exactly one matches, proposes near matches, and plans creates and updates.
 * Changes made in QBO are written back to Clio here, through the three-way merge.
 */
export async function planCustomers(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  const candidates = await candidateContactIds(deps, ctx);
  if (candidates.size === 0) return [];
  const contacts = await loadContacts(deps, [...candidates]);
  const ops: PlannedOperation[] = [];
  const linked: Array<{ contact: ClioContactView; link: Link }> = [];
  const unlinked: ClioContactView[] = [];
  for (const contact of contacts) {
    const link = await deps.store.getLink("customer", String(contact.id));
    if (link?.state === "linked") linked.push({ contact, link });
    else unlinked.push(contact);
  }
  if (unlinked.length > 0) ops.push(...(await planUnlinked(deps, ctx, unlinked)));
  for (let i = 0; i < linked.length; i += PAGE)
    ops.push(...(await planLinked(deps, ctx, linked.slice(i, i + PAGE))));
  return ops;
}

/** Clients of dirty invoiceable bills and trust movements, plus dirty mirrored contacts that are linked. */
async function candidateContactIds(deps: EngineDeps, ctx: PassContext): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bill", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const m of page) {
      const bill = m.data as never;
      const client = clientIdOf(bill);
      if (client && isInvoiceable(bill, deps.settings.startDate)) ids.add(client);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  // Clients with trust movements to export (PRODUCT.md §1.5: each entry line names the customer).
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bank_transaction", {
      dirtyOnly: true,
      afterId: after,
      limit: PAGE,
    });
    for (const m of page) {
      const client = (m.data as { client?: { id?: unknown } | null; deleted?: boolean }).client?.id;
      if (client !== undefined && client !== null && m.data.deleted !== true) ids.add(String(client));
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("contact", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const m of page) {
      const link = await deps.store.getLink("customer", m.id);
      if (link || ctx.openIssues.has(issueKey.contact(m.id))) ids.add(m.id);
      else if (!ids.has(m.id))
        await deps.store.commit({ mirrorClean: [{ kind: "contact", id: m.id }] }, deps.clock.now());
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  // Contacts already linked and unchanged need nothing, even if a new bill names them.
  for (const id of [...ids]) {
    const link = await deps.store.getLink("customer", id);
    const mirrored = await deps.store.getMirror("contact", id);
    if (link?.state === "linked" && mirrored && !mirrored.dirty) ids.delete(id);
  }
  return ids;
}

/** Mirrored contacts, fetching the ones not mirrored yet in as few requests as Clio allows. */
async function loadContacts(deps: EngineDeps, ids: string[]): Promise<ClioContactView[]> {
  const out: ClioContactView[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const m = await deps.store.getMirror("contact", id);
    if (m) out.push(m.data as unknown as ClioContactView);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const fetched = await deps.clio.contactsByIds(missing);
    await deps.store.commit({ mirror: fetched.map((c) => toMirror("contact", c)) }, deps.clock.now());
    out.push(...(fetched as unknown as ClioContactView[]));
  }
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}

async function planUnlinked(
  deps: EngineDeps,
  ctx: PassContext,
  contacts: ClioContactView[],
): Promise<PlannedOperation[]> {
  const matcher = await customerMatcher(deps, ctx);
  const decisions = new Map((await deps.store.listMatches()).map((m) => [m.clioId, m]));
  const ops: PlannedOperation[] = [];
  // A customer is linked to one Clio contact at most: those taken are not offered again.
  const taken = new Map<string, string>();
  for (const l of await deps.store.listLinks("customer")) taken.set(l.qboId, l.clioId);
  for (const p of await deps.store.listMatches("proposed"))
    if (!taken.has(p.qboId)) taken.set(p.qboId, p.clioId);
  for (const contact of contacts) {
    const id = String(contact.id);
    const changed = (await deps.store.getMirror("contact", id))?.dirty ?? true;
    const salt = attemptSalt(ctx, issueKey.contact(id), changed);
    if (salt === undefined) continue;
    const fields = clioFieldsForQbo(contact);
    const isCompany = contact.type === "Company";
    const decision = decisions.get(id);
    const broken = await deps.store.getLink("customer", id);
    let target: string | undefined;
    if (decision?.state === "accepted") target = decision.qboId;
    else if (decision?.state !== "rejected" && !broken) {
      const match = matcher.match(fields, isCompany, (qboId) => (taken.get(qboId) ?? id) !== id);
      if (match.kind === "exact") target = match.qboId;
      else if (match.kind === "ambiguous") {
        await raise(deps, ctx, {
          key: issueKey.contact(id),
          code: "sync_customer_ambiguous",
          message: `${match.qboIds.length} QuickBooks customers match ${contactLabel(contact)} exactly (ids ${match.qboIds.join(", ")})`,
          entity: "contact",
          clioId: id,
          clioName: contactLabel(contact),
          details: { qboIds: match.qboIds },
        });
        continue;
      } else if (match.kind === "near") {
        taken.set(match.qboId, id);
        recordPlan(ctx, {
          phase: "customer",
          action: "propose",
          clioId: id,
          name: contactLabel(contact),
          qboId: match.qboId,
        });
        if (!ctx.dryRun) {
          await deps.store.proposeMatch({
            clioId: id,
            qboId: match.qboId,
            reason: match.reason,
            state: "proposed",
            createdAt: deps.clock.now(),
          });
          await raise(deps, ctx, {
            key: issueKey.contact(id),
            code: "sync_match_review",
            message: `QuickBooks customer ${match.qboId} may be ${contactLabel(contact)} (${match.reason}); accept or reject the match`,
            entity: "contact",
            clioId: id,
            qboId: match.qboId,
            clioName: contactLabel(contact),
          });
        }
        continue;
      }
    }
    if (!target && broken && salt !== "") {
      // Re-sync of a broken link: re-link when the customer is active again, else re-create.
      const again = await readCustomer(deps, broken.qboId);
      if (again && again.Active !== false) target = broken.qboId;
    }
    if (target) {
      taken.set(target, id);
      const customer = ctx.customers?.get(target) ?? (await readCustomer(deps, target));
      if (customer) {
        recordPlan(ctx, {
          phase: "customer",
          action: "link",
          clioId: id,
          name: contactLabel(contact),
          qboId: target,
        });
        ops.push(...(await planMerge(deps, ctx, contact, customer, null)));
        continue;
      }
    }
    ops.push(planCreate(deps, ctx, contact, fields, `${broken?.qboId ?? ""}${salt}`));
  }
  return ops;
}

function planCreate(
  deps: EngineDeps,
  ctx: PassContext,
  contact: ClioContactView,
  fields: ContactFields,
  salt: string,
): PlannedOperation {
  const id = String(contact.id);
  const mapped = toNewQboCustomer(contact, fields);
  const body = mapped.value!;
  const hash = contentHash(fields);
  recordPlan(ctx, { phase: "customer", action: "create", clioId: id, name: String(body.DisplayName) });
  recordCleanings(ctx, id, mapped.notes);
  return {
    entity: "customer",
    clioId: id,
    action: "create",
    requestId: requestIdFor([deps.qbo.realmId, "customer", id, "create", hash, salt]),
    payload: {
      qboEntity: "Customer",
      operation: "create",
      body,
      contentHash: hash,
      base: fields as unknown as Record<string, unknown>,
      issue: { key: issueKey.contact(id), entity: "contact", clioId: id, clioName: contactLabel(contact) },
      sources: [{ kind: "contact", id }],
    },
  };
}

async function planLinked(
  deps: EngineDeps,
  ctx: PassContext,
  batch: Array<{ contact: ClioContactView; link: Link }>,
): Promise<PlannedOperation[]> {
  const ids = batch.map((b) => b.link.qboId);
  const current = new Map<string, QboCustomerView>();
  const q = qboQuery("Customer").where("Id", "IN", ids);
  for await (const c of deps.qbo.queryAll<"Customer">(q)) current.set(String(c.Id), c as QboCustomerView);
  const ops: PlannedOperation[] = [];
  for (const { contact, link } of batch) {
    const customer = current.get(link.qboId);
    if (!customer) {
      // Deleted or made inactive in QBO: CDC normally tells first; the link is broken either way.
      if (!ctx.dryRun) await breakLink(deps, link, contactLabel(contact));
      continue;
    }
    ops.push(...(await planMerge(deps, ctx, contact, customer, link)));
  }
  return ops;
}

/** Three-way merge of one linked (or just matched) contact; QBO-bound changes become an update. */
async function planMerge(
  deps: EngineDeps,
  ctx: PassContext,
  contact: ClioContactView,
  customer: QboCustomerView,
  link: Link | null,
): Promise<PlannedOperation[]> {
  const id = String(contact.id);
  const qboId = String(customer.Id);
  const clio = clioFieldsForQbo(contact);
  const qbo = fromQboCustomer(customer);
  const base = (link?.base as unknown as ContactFields | null) ?? null;
  const merge = mergeContact({
    base,
    clio,
    qbo,
    policy: deps.settings.conflictPolicy,
    clioUpdatedAt: epochOf((contact as { updated_at?: string }).updated_at),
    qboUpdatedAt: epochOf(customer.MetaData?.LastUpdatedTime),
  });
  const at = deps.clock.now();
  const unit: WriteUnit = { mirrorClean: [{ kind: "contact", id }] };
  const audit: AuditEntry[] = merge.conflicts.map((c) => ({
    at,
    runId: ctx.runId,
    requestId: "",
    entity: "customer",
    action: "conflict",
    clioId: id,
    qboId,
    before: { base: c.base, clio: c.clio, qbo: c.qbo },
    after: { field: c.field, winner: c.winner, policy: deps.settings.conflictPolicy },
    outcome: "info",
    detail: `${c.field} changed on both sides; ${c.winner} kept (${deps.settings.conflictPolicy})`,
  }));
  if (merge.toClio.length > 0) {
    recordPlan(ctx, {
      phase: "customer",
      action: "update_clio",
      clioId: id,
      name: contactLabel(contact),
      fields: merge.toClio,
    });
    if (!ctx.dryRun) {
      const written = await writeToClio(deps, ctx, contact, merge.merged, merge.toClio, qboId);
      if (!written) return [];
      audit.push({
        at,
        runId: ctx.runId,
        requestId: "",
        entity: "customer",
        action: "clio_update",
        clioId: id,
        qboId,
        after: pick(merge.merged, merge.toClio),
        outcome: "ok",
      });
    }
  }
  const hash = contentHash(merge.merged);
  if (merge.toQbo.length === 0) {
    unit.links = [
      {
        entity: "customer",
        clioId: id,
        qboId,
        syncToken: String(customer.SyncToken ?? "0"),
        contentHash: hash,
        base: merge.merged as unknown as Record<string, unknown>,
        state: "linked",
        updatedAt: at,
      },
    ];
    unit.resolveIssues = [issueKey.contact(id)];
    unit.audit = audit;
    if (!ctx.dryRun) await deps.store.commit(unit, at);
    return [];
  }
  if (audit.length > 0 && !ctx.dryRun) await deps.store.commit({ audit }, at);
  const notes: MappingNote[] = [];
  const all = toQboCustomerFields(merge.merged, notes);
  const body: Record<string, unknown> = {
    Id: qboId,
    SyncToken: String(customer.SyncToken ?? "0"),
    sparse: true,
  };
  for (const field of merge.toQbo) for (const key of QBO_KEYS[field]) body[key] = all[key];
  // Only the cleanings of the values this update sends are this write's.
  recordCleanings(
    ctx,
    id,
    notes.filter((n) => n.field.split(".")[0]! in body),
  );
  recordPlan(ctx, {
    phase: "customer",
    action: "update",
    clioId: id,
    name: contactLabel(contact),
    qboId,
    fields: merge.toQbo,
  });
  return [
    {
      entity: "customer",
      clioId: id,
      action: "update",
      requestId: requestIdFor([deps.qbo.realmId, "customer", id, "update", hash, body.SyncToken as string]),
      payload: {
        qboEntity: "Customer",
        operation: "update",
        body,
        contentHash: hash,
        base: merge.merged as unknown as Record<string, unknown>,
        issue: { key: issueKey.contact(id), entity: "contact", clioId: id, clioName: contactLabel(contact) },
        sources: [{ kind: "contact", id }],
        before: pick(qbo, merge.toQbo),
      },
    },
  ];
}

const QBO_KEYS: Record<ContactFieldName, string[]> = {
  givenName: ["GivenName"],
  familyName: ["FamilyName"],
  companyName: ["CompanyName"],
  email: ["PrimaryEmailAddr"],
  phone: ["PrimaryPhone"],
  mobile: ["Mobile"],
  homePhone: ["AlternatePhone"],
  fax: ["Fax"],
  shipAddress: ["ShipAddr"],
  billAddress: ["BillAddr"],
};

function pick(fields: ContactFields, names: ContactFieldName[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, fields[n]]));
}

async function writeToClio(
  deps: EngineDeps,
  ctx: PassContext,
  contact: ClioContactView,
  merged: ContactFields,
  fields: ContactFieldName[],
  qboId: string,
): Promise<boolean> {
  const id = String(contact.id);
  try {
    const updated = await deps.clio.updateContact(id, toClioContactPatch(contact, merged, fields));
    await deps.store.commit(
      { mirror: [toMirror("contact", updated)], mirrorClean: [{ kind: "contact", id }] },
      deps.clock.now(),
    );
    return true;
  } catch (error) {
    await raise(deps, ctx, {
      key: issueKey.contact(id),
      code: "sync_contact_write_failed",
      message: `Could not update Clio contact ${id}: ${error instanceof Error ? error.message : String(error)}`,
      entity: "contact",
      clioId: id,
      qboId,
      clioName: contactLabel(contact),
    });
    return false;
  }
}

async function customerMatcher(deps: EngineDeps, ctx: PassContext): Promise<CustomerMatcher> {
  if (!ctx.customers) {
    ctx.customers = new Map();
    for await (const c of deps.qbo.queryAll<"Customer">(qboQuery("Customer")))
      ctx.customers.set(String(c.Id), c as QboCustomerView);
  }
  return new CustomerMatcher(
    [...ctx.customers.values()].map((c) => ({
      qboId: String(c.Id),
      displayName: c.DisplayName ?? "",
      fields: fromQboCustomer(c),
    })),
  );
}

async function readCustomer(deps: EngineDeps, qboId: string): Promise<QboCustomerView | undefined> {
  const r = await deps.qbo.read("Customer", qboId);
  return r.ok ? (r.value as QboCustomerView) : undefined;
}

function recordCleanings(ctx: PassContext, clioId: string, notes: MappingNote[]): void {
  for (const n of notes) if (n.severity === "cleaned") ctx.cleanings.push({ clioId, ...n });
}
