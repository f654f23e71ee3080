/**
 * Phase 1 — customers (PRODUCT.md §1.1), as a pure function: from what was read (the candidate
 * contacts, their links, match decisions, open items, the QBO customers concerned, the settings
 * and the time) to a plan — QBO operations, Clio patches, Sync Status items, match proposals and
 * store changes. It reads nothing and writes nothing; plan-customers.ts reads before and performs
 * after. A dry run performs the same plan against stand-ins (dry-run.ts).
 */
import type { ClioContactView } from "../../mapping/clio-contact.ts";
import { toClioContactPatch } from "../../mapping/clio-contact-patch.ts";
import type { ContactFieldName, ContactFields } from "../../mapping/contact-fields.ts";
import { mergeContact } from "../../mapping/contact-merge.ts";
import { CustomerMatcher, decideFirstLinks, type FirstLinkInput } from "../../mapping/customer-match.ts";
import type { MappingNote } from "../../mapping/mapping-issue.ts";
import {
  fromQboCustomer,
  type QboCustomerView,
  toNewQboCustomer,
  toQboCustomerFields,
} from "../../mapping/qbo-customer.ts";
import type { AuditEntry, IssueInput, Link, MatchProposal, SyncIssue, WriteUnit } from "../../store/port.ts";
import { clioFieldsForQbo, contactLabel, epochOf } from "../contact-view.ts";
import { contentHash, requestIdFor } from "../hash.ts";
import { issueKey } from "../issue-keys.ts";
import { contactBaseline } from "../link-state.ts";
import type { PlannedOperation } from "../operation.ts";
import { attemptSalt, type PlanEntry } from "../pass-context.ts";
import type { EngineSettings } from "../ports.ts";

/** Everything the customer phase decides from, read beforehand. */
export interface CustomerPlanInput {
  realmId: string;
  runId: string;
  now: number;
  settings: Pick<EngineSettings, "conflictPolicy">;
  /** The candidate contacts, in Clio id order. */
  contacts: ClioContactView[];
  /** Contacts whose mirrored record changed since it was last planned. */
  changed: ReadonlySet<string>;
  /** Each candidate's customer link, if any. */
  links: ReadonlyMap<string, Link>;
  /** Every customer link: QBO id → Clio id (a customer is linked to one contact at most). */
  linkedCustomers: ReadonlyMap<string, string>;
  /** The person's decisions on proposed matches, by Clio id. */
  decisions: ReadonlyMap<string, MatchProposal>;
  /** Open proposals: QBO id → Clio id. */
  proposedCustomers: ReadonlyMap<string, string>;
  /** Open Sync Status items by key, and the keys already raised in this pass. */
  openIssues: ReadonlyMap<string, SyncIssue>;
  raised: ReadonlySet<string>;
  /** Active QBO customers for first linking (only needed when unlinked contacts are planned). */
  activeCustomers: readonly QboCustomerView[];
  /** Current QBO customers by id (active or not): linked ones, accepted matches, broken links' targets. */
  customersById: ReadonlyMap<string, QboCustomerView>;
  /** The currency a client's new customer is created in (multicurrency companies), else the home one. */
  currencyOfClient?: (client: string) => string | undefined;
}

/** A PATCH to a Clio contact, and what follows only if it succeeds. */
export interface ClioContactWrite {
  contactId: string;
  qboId: string;
  name: string;
  body: Record<string, unknown>;
  audit: AuditEntry;
  onSuccess: { unit: WriteUnit; operations: PlannedOperation[] };
}

export interface CustomerPlan {
  entries: PlanEntry[];
  operations: PlannedOperation[];
  clioWrites: ClioContactWrite[];
  issues: IssueInput[];
  proposals: MatchProposal[];
  /** Links to mark broken (the customer is gone) or inactive (made inactive in QBO). */
  brokenLinks: Array<{ link: Link; name: string }>;
  inactiveLinks: Array<{ link: Link; name: string; syncToken: string }>;
  units: WriteUnit[];
  cleanings: Array<MappingNote & { clioId: string }>;
}

export function planCustomerChanges(input: CustomerPlanInput): CustomerPlan {
  const plan: CustomerPlan = {
    entries: [],
    operations: [],
    clioWrites: [],
    issues: [],
    proposals: [],
    brokenLinks: [],
    inactiveLinks: [],
    units: [],
    cleanings: [],
  };
  const unlinked: ClioContactView[] = [];
  for (const contact of input.contacts) {
    const id = String(contact.id);
    if (input.raised.has(issueKey.contact(id))) continue; // decided in an earlier phase of this pass
    const link = input.links.get(id);
    if (link?.state === "linked") planLinked(input, plan, contact, link);
    else if (link?.state === "inactive") planReactivation(input, plan, contact, link);
    else unlinked.push(contact);
  }
  if (unlinked.length > 0) planUnlinked(input, plan, unlinked);
  return plan;
}

function planLinked(
  input: CustomerPlanInput,
  plan: CustomerPlan,
  contact: ClioContactView,
  link: Link,
): void {
  const customer = input.customersById.get(link.qboId);
  const name = contactLabel(contact);
  if (!customer) plan.brokenLinks.push({ link, name });
  else if (customer.Active === false)
    plan.inactiveLinks.push({ link, name, syncToken: String(customer.SyncToken ?? "0") });
  else planMerge(input, plan, contact, customer, link);
}

/** Made active again only when the person asks (re-sync of its item); then what waited is sent. */
function planReactivation(
  input: CustomerPlanInput,
  plan: CustomerPlan,
  contact: ClioContactView,
  link: Link,
): void {
  const id = String(contact.id);
  if (!input.openIssues.get(issueKey.contact(id))?.retryRequested) return;
  const name = contactLabel(contact);
  plan.entries.push({ phase: "customer", action: "reactivate", clioId: id, name, qboId: link.qboId });
  plan.operations.push({
    entity: "customer",
    clioId: id,
    action: "update",
    requestId: requestIdFor([input.realmId, "customer", id, "reactivate", link.qboId, link.syncToken]),
    payload: {
      qboEntity: "Customer",
      operation: "update",
      body: { Id: link.qboId, SyncToken: link.syncToken, sparse: true, Active: true },
      ...(link.contentHash === null ? {} : { contentHash: link.contentHash }),
      baseline: link.baseline,
      issue: { key: issueKey.contact(id), entity: "contact", clioId: id, clioName: name },
      sources: [{ kind: "contact", id }],
      before: { Active: false },
    },
  });
}

/**
 * The contacts a page of bills can be planned for on its own, before the other clients are read.
 * First linking decides over all clients at once (an exact match of one client outranks a near
 * match of another to the same QBO customer), so a client that could match an existing QBO
 * customer waits for the phase that runs once every bill is read; linked, decided and unmatched
 * ones depend on no other client.
 */
export function plannableAlone(
  input: Pick<CustomerPlanInput, "contacts" | "links" | "decisions" | "activeCustomers">,
): ClioContactView[] {
  const matcher = matcherOf(input.activeCustomers);
  return input.contacts.filter((contact) => {
    const id = String(contact.id);
    const decision = input.decisions.get(id)?.state;
    if (input.links.has(id) || decision === "accepted" || decision === "rejected") return true;
    return matcher.match(clioFieldsForQbo(contact), contact.type === "Company").kind === "none";
  });
}

function matcherOf(customers: CustomerPlanInput["activeCustomers"]): CustomerMatcher {
  return new CustomerMatcher(
    customers.map((c) => ({
      qboId: String(c.Id),
      displayName: c.DisplayName ?? "",
      fields: fromQboCustomer(c),
    })),
  );
}

function planUnlinked(input: CustomerPlanInput, plan: CustomerPlan, contacts: ClioContactView[]): void {
  const matcher = matcherOf(input.activeCustomers);
  // Exact matches are decided over all clients before any near match is proposed.
  const undecided: FirstLinkInput[] = [];
  for (const contact of contacts) {
    const id = String(contact.id);
    const decision = input.decisions.get(id)?.state;
    if (decision === "accepted" || decision === "rejected" || input.links.has(id)) continue;
    undecided.push({ clioId: id, fields: clioFieldsForQbo(contact), isCompany: contact.type === "Company" });
  }
  const firstLinks = decideFirstLinks(matcher, undecided, input.linkedCustomers, input.proposedCustomers);
  for (const contact of contacts) {
    const id = String(contact.id);
    const salt = attemptSalt(input, issueKey.contact(id), input.changed.has(id));
    if (salt === undefined) continue;
    const name = contactLabel(contact);
    const decision = input.decisions.get(id);
    const broken = input.links.get(id);
    let target: string | undefined;
    if (decision?.state === "accepted") target = decision.qboId;
    else if (decision?.state !== "rejected" && !broken) {
      const match = firstLinks.get(id) ?? { kind: "none" };
      if (match.kind === "exact") target = match.qboId;
      else if (match.kind === "ambiguous") {
        plan.issues.push({
          key: issueKey.contact(id),
          code: "sync_customer_ambiguous",
          message: `${match.qboIds.length} QuickBooks customers match ${name} exactly (ids ${match.qboIds.join(", ")})`,
          entity: "contact",
          clioId: id,
          clioName: name,
          details: { qboIds: match.qboIds },
        });
        continue;
      } else if (match.kind === "near") {
        // A proposal already waiting for the person is not proposed again (nor rewritten).
        const waiting = decision?.state === "proposed" && decision.qboId === match.qboId;
        if (!waiting) {
          plan.entries.push({ phase: "customer", action: "propose", clioId: id, name, qboId: match.qboId });
          plan.proposals.push({
            clioId: id,
            qboId: match.qboId,
            reason: match.reason,
            state: "proposed",
            createdAt: input.now,
          });
        }
        plan.issues.push({
          key: issueKey.contact(id),
          code: "sync_match_review",
          message: `QuickBooks customer ${match.qboId} may be ${name} (${match.reason}); accept or reject the match`,
          entity: "contact",
          clioId: id,
          qboId: match.qboId,
          clioName: name,
          ...qboNameOf(input.activeCustomers.find((c) => String(c.Id) === match.qboId)),
        });
        continue;
      }
    }
    if (!target && broken && salt !== "") {
      // Re-sync of a broken link: re-link when the customer is active again, else re-create.
      const again = input.customersById.get(broken.qboId);
      if (again && again.Active !== false) target = broken.qboId;
    }
    const customer = target ? input.customersById.get(target) : undefined;
    if (customer) {
      plan.entries.push({ phase: "customer", action: "link", clioId: id, name, qboId: target! });
      planMerge(input, plan, contact, customer, null);
      continue;
    }
    planCreate(input, plan, contact, `${broken?.qboId ?? ""}${salt}`);
  }
}

function planCreate(
  input: CustomerPlanInput,
  plan: CustomerPlan,
  contact: ClioContactView,
  salt: string,
): void {
  const id = String(contact.id);
  const fields = clioFieldsForQbo(contact);
  const mapped = toNewQboCustomer(contact, fields);
  const currency = input.currencyOfClient?.(id);
  // Set only at creation: QBO never changes a customer's currency afterwards.
  const body = currency ? { ...mapped.value!, CurrencyRef: { value: currency } } : mapped.value!;
  const hash = contentHash(fields);
  plan.entries.push({ phase: "customer", action: "create", clioId: id, name: String(body.DisplayName) });
  for (const n of mapped.notes) if (n.severity === "cleaned") plan.cleanings.push({ clioId: id, ...n });
  plan.operations.push({
    entity: "customer",
    clioId: id,
    action: "create",
    requestId: requestIdFor([
      input.realmId,
      "customer",
      id,
      "create",
      hash,
      salt,
      ...(currency ? [currency] : []),
    ]),
    payload: {
      qboEntity: "Customer",
      operation: "create",
      body,
      contentHash: hash,
      baseline: { kind: "contact", fields },
      issue: { key: issueKey.contact(id), entity: "contact", clioId: id, clioName: contactLabel(contact) },
      sources: [{ kind: "contact", id }],
    },
  });
}

/** Three-way merge of one linked (or just matched) contact: QBO-bound changes are an update, Clio-bound ones a PATCH. */
function planMerge(
  input: CustomerPlanInput,
  plan: CustomerPlan,
  contact: ClioContactView,
  customer: QboCustomerView,
  link: Link | null,
): void {
  const id = String(contact.id);
  const qboId = String(customer.Id);
  const name = contactLabel(contact);
  const qbo = fromQboCustomer(customer);
  const merge = mergeContact({
    base: contactBaseline(link),
    clio: clioFieldsForQbo(contact),
    qbo,
    policy: input.settings.conflictPolicy,
    clioUpdatedAt: epochOf(contact.updated_at ?? undefined),
    qboUpdatedAt: epochOf(customer.MetaData?.LastUpdatedTime),
  });
  const audit: AuditEntry[] = merge.conflicts.map((c) => ({
    at: input.now,
    runId: input.runId,
    requestId: "",
    entity: "customer",
    action: "conflict",
    clioId: id,
    qboId,
    before: { base: c.base, clio: c.clio, qbo: c.qbo },
    after: { field: c.field, winner: c.winner, policy: input.settings.conflictPolicy },
    outcome: "info",
    detail: `${c.field} changed on both sides; ${c.winner} kept (${input.settings.conflictPolicy})`,
  }));
  const hash = contentHash(merge.merged);
  const operations: PlannedOperation[] = [];
  // With nothing bound for QBO the contact is done now; otherwise when its update succeeds.
  const unit: WriteUnit = { audit };
  if (merge.toQbo.length === 0) {
    unit.mirrorClean = [{ kind: "contact", id }];
    unit.links = [
      {
        entity: "customer",
        clioId: id,
        qboId,
        syncToken: String(customer.SyncToken ?? "0"),
        state: "linked",
        contentHash: hash,
        qboEditedAt: null,
        baseline: { kind: "contact", fields: merge.merged },
        updatedAt: input.now,
      },
    ];
    unit.resolveIssues = [issueKey.contact(id)];
  } else {
    const notes: MappingNote[] = [];
    const all = toQboCustomerFields(merge.merged, notes);
    const body: Record<string, unknown> = {
      Id: qboId,
      SyncToken: String(customer.SyncToken ?? "0"),
      sparse: true,
    };
    for (const field of merge.toQbo) for (const key of QBO_KEYS[field]) body[key] = all[key];
    // Only the cleanings of the values this update sends are this write's.
    for (const n of notes)
      if (n.severity === "cleaned" && n.field.split(".")[0]! in body)
        plan.cleanings.push({ clioId: id, ...n });
    plan.entries.push({ phase: "customer", action: "update", clioId: id, name, qboId, fields: merge.toQbo });
    operations.push({
      entity: "customer",
      clioId: id,
      action: "update",
      requestId: requestIdFor([input.realmId, "customer", id, "update", hash, body.SyncToken as string]),
      payload: {
        qboEntity: "Customer",
        operation: "update",
        body,
        contentHash: hash,
        baseline: { kind: "contact", fields: merge.merged },
        issue: { key: issueKey.contact(id), entity: "contact", clioId: id, clioName: name },
        sources: [{ kind: "contact", id }],
        before: pick(qbo, merge.toQbo),
      },
    });
  }
  if (merge.toClio.length === 0) {
    plan.units.push(unit);
    plan.operations.push(...operations);
    return;
  }
  // Clio-bound changes go first; what follows waits for the PATCH to succeed.
  plan.entries.push({ phase: "customer", action: "update_clio", clioId: id, name, fields: merge.toClio });
  plan.clioWrites.push({
    contactId: id,
    qboId,
    name,
    body: toClioContactPatch(contact, merge.merged, merge.toClio),
    audit: {
      at: input.now,
      runId: input.runId,
      requestId: "",
      entity: "customer",
      action: "clio_update",
      clioId: id,
      qboId,
      after: pick(merge.merged, merge.toClio),
      outcome: "ok",
    },
    onSuccess: { unit, operations },
  });
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

/** The proposed customer's name, so `match list` and Sync Status show it beside its id. */
function qboNameOf(customer: QboCustomerView | undefined): { qboName?: string } {
  return customer?.DisplayName ? { qboName: customer.DisplayName } : {};
}
