import { isStopRequested } from "../core/stop.ts";
import type { ClioContactView } from "../mapping/clio-contact.ts";
import type { QboCustomerView } from "../mapping/qbo-customer.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { Link } from "../store/port.ts";
import { newCustomerCurrency, noteBillCurrency } from "./bill-currencies.ts";
import { clientIdOf, isInvoiceable } from "./eligibility.ts";
import { issueKey } from "./issue-keys.ts";
import { breakLink, markCustomerInactive, raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import type { PassContext } from "./pass-context.ts";
import {
  type ClioContactWrite,
  type CustomerPlan,
  type CustomerPlanInput,
  planCustomerChanges,
  plannableAlone,
} from "./planners/customers.ts";
import type { EngineDeps } from "./ports.ts";
import { toMirror } from "./pull-clio.ts";

const PAGE = 1000;

/**
 * Phase 1 — customers (PRODUCT.md §1.1): read what the phase decides from, let the pure planner
 * (planners/customers.ts) decide, then perform its plan — Clio patches first (what follows one
 * waits for it), store changes, Sync Status items — and hand the QBO operations to the executor.
 * `clients` narrows the phase to the clients of the bills just read (a page of them, while the
 * next pages are read); without it, every candidate in the mirror is considered.
 */
export async function planCustomers(
  deps: EngineDeps,
  ctx: PassContext,
  clients?: Iterable<string>,
): Promise<PlannedOperation[]> {
  const input = await readCustomerInputs(deps, ctx, clients);
  if (!input) return [];
  return performCustomerPlan(deps, ctx, planCustomerChanges(input));
}

async function readCustomerInputs(
  deps: EngineDeps,
  ctx: PassContext,
  clients?: Iterable<string>,
): Promise<CustomerPlanInput | undefined> {
  const candidates = clients
    ? await withoutSettled(deps, new Set(clients))
    : await candidateContactIds(deps, ctx);
  if (candidates.size === 0) return undefined;
  const contacts = await loadContacts(deps, [...candidates]);
  const links = new Map<string, Link>();
  const changed = new Set<string>();
  for (const contact of contacts) {
    const id = String(contact.id);
    const link = await deps.store.getLink("customer", id);
    if (link) links.set(id, link);
    if ((await deps.store.getMirror("contact", id))?.dirty ?? true) changed.add(id);
  }
  const linkedCustomers = new Map<string, string>();
  for (const l of await deps.store.listLinks("customer")) linkedCustomers.set(l.qboId, l.clioId);
  const matches = await deps.store.listMatches();
  const decisions = new Map(matches.map((m) => [m.clioId, m]));
  const proposedCustomers = new Map<string, string>();
  for (const m of matches)
    if (m.state === "proposed" && !linkedCustomers.has(m.qboId)) proposedCustomers.set(m.qboId, m.clioId);
  const needsMatching = contacts.some((c) => links.get(String(c.id))?.state !== "linked");
  const activeCustomers = needsMatching ? [...(await activeQboCustomers(deps, ctx)).values()] : [];
  const wanted = new Set<string>();
  for (const link of links.values()) wanted.add(link.qboId);
  for (const m of matches) if (m.state === "accepted") wanted.add(m.qboId);
  const customersById = new Map(activeCustomers.map((c) => [String(c.Id), c]));
  for (const c of await customersByIds(deps, [...wanted])) customersById.set(String(c.Id), c);
  // A page's clients that could match an existing customer wait for all clients (plannableAlone).
  const planned = clients ? plannableAlone({ contacts, links, decisions, activeCustomers }) : contacts;
  if (planned.length === 0) return undefined;
  return {
    realmId: deps.qbo.realmId,
    runId: ctx.runId,
    now: deps.clock.now(),
    settings: deps.settings,
    contacts: planned,
    changed,
    links,
    linkedCustomers,
    decisions,
    proposedCustomers,
    openIssues: ctx.openIssues,
    raised: ctx.raised,
    activeCustomers,
    customersById,
    currencyOfClient: (client: string) => newCustomerCurrency(ctx.billCurrencies, client, ctx.tax),
  };
}

/** Customers by id, active or not (name lists hide inactive ones unless asked, reference §4.1). */
async function customersByIds(deps: EngineDeps, ids: string[]): Promise<QboCustomerView[]> {
  const out: QboCustomerView[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    const q = qboQuery("Customer")
      .where("Id", "IN", ids.slice(i, i + PAGE))
      .where("Active", "IN", [true, false]);
    for await (const c of deps.qbo.queryAll<"Customer">(q)) out.push(c);
  }
  return out;
}

/** Active QBO customers, read once per pass when first linking needs them. */
async function activeQboCustomers(deps: EngineDeps, ctx: PassContext): Promise<Map<string, QboCustomerView>> {
  if (!ctx.customers) {
    ctx.customers = new Map();
    for await (const c of deps.qbo.queryAll<"Customer">(qboQuery("Customer")))
      ctx.customers.set(String(c.Id), c);
  }
  return ctx.customers;
}

async function performCustomerPlan(
  deps: EngineDeps,
  ctx: PassContext,
  plan: CustomerPlan,
): Promise<PlannedOperation[]> {
  ctx.plan.push(...plan.entries);
  ctx.cleanings.push(...plan.cleanings);
  for (const { link, name } of plan.brokenLinks) await breakLink(deps, link, name);
  for (const { link, name, syncToken } of plan.inactiveLinks)
    await markCustomerInactive(deps, link, name, syncToken);
  for (const proposal of plan.proposals) await deps.store.proposeMatch(proposal);
  for (const issue of plan.issues) await raise(deps, ctx, issue);
  for (const unit of plan.units) await deps.store.commit(unit, deps.clock.now());
  const operations = [...plan.operations];
  for (const write of plan.clioWrites) {
    if (await writeToClio(deps, ctx, write)) operations.push(...write.onSuccess.operations);
  }
  return operations;
}

/** A PATCH to Clio; only once it succeeded are its audit entry and what follows it committed. */
async function writeToClio(deps: EngineDeps, ctx: PassContext, write: ClioContactWrite): Promise<boolean> {
  const id = write.contactId;
  try {
    const updated = await deps.clio.updateContact(id, write.body);
    const unit = write.onSuccess.unit;
    await deps.store.commit(
      {
        ...unit,
        mirror: [toMirror("contact", updated)],
        mirrorClean: [...(unit.mirrorClean ?? []), { kind: "contact", id }],
        audit: [...(unit.audit ?? []), write.audit],
      },
      deps.clock.now(),
    );
    return true;
  } catch (error) {
    // A stop is no failure of this contact: the pass ends, and the next one writes it.
    if (isStopRequested(error)) throw error;
    await raise(deps, ctx, {
      key: issueKey.contact(id),
      code: "sync_contact_write_failed",
      message: `Could not update Clio contact ${id}: ${error instanceof Error ? error.message : String(error)}`,
      entity: "contact",
      clioId: id,
      qboId: write.qboId,
      clioName: write.name,
    });
    return false;
  }
}

/** Clients of dirty invoiceable bills and trust movements, plus dirty mirrored contacts that are linked. */
async function candidateContactIds(deps: EngineDeps, ctx: PassContext): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bill", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const m of page) {
      const bill = m.data as never;
      const client = clientIdOf(bill);
      if (client && isInvoiceable(bill, deps.settings.startDate)) {
        ids.add(client);
        noteBillCurrency(ctx, client, bill);
      }
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
      const client = m.data.client?.id;
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
  return withoutSettled(deps, ids);
}

/** Contacts already linked and unchanged need nothing, even if a new bill names them. */
async function withoutSettled(deps: EngineDeps, ids: Set<string>): Promise<Set<string>> {
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
    if (m) out.push(m.data);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const fetched = await deps.clio.contactsByIds(missing);
    await deps.store.commit({ mirror: fetched.map((c) => toMirror("contact", c)) }, deps.clock.now());
    out.push(...fetched);
  }
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}
