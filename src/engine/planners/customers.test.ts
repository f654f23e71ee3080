import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClioContactView } from "../../mapping/clio-contact.ts";
import type { QboCustomerView } from "../../mapping/qbo-customer.ts";
import type { Link, MatchProposal } from "../../store/port.ts";
import { openItem as item } from "../../testing/store-fixtures.ts";
import { clioFieldsForQbo } from "../contact-view.ts";
import {
  type CustomerPlan,
  type CustomerPlanInput,
  planCustomerChanges,
  plannableAlone,
} from "./customers.ts";

/** The customer planner as a table: what was read → what it plans. No HTTP, no store. */

const NOW = Date.UTC(2026, 5, 1);

const person = (id: number, first: string, last: string, email: string, phone?: string): ClioContactView => ({
  id,
  type: "Person",
  first_name: first,
  last_name: last,
  name: `${first} ${last}`,
  email_addresses: [{ id: id * 10, address: email, name: "Work", primary: true }],
  phone_numbers: phone ? [{ id: id * 10 + 1, number: phone, name: "Work", primary: true }] : [],
  addresses: [],
});

const customer = (
  id: string,
  given: string,
  family: string,
  email: string,
  extra: Partial<QboCustomerView> = {},
): QboCustomerView => ({
  Id: id,
  SyncToken: "3",
  DisplayName: `${given} ${family}`,
  GivenName: given,
  FamilyName: family,
  PrimaryEmailAddr: { Address: email },
  Active: true,
  ...extra,
});

const linkOf = (contact: ClioContactView, qboId: string, state: Link["state"] = "linked"): Link => ({
  entity: "customer",
  clioId: String(contact.id),
  qboId,
  syncToken: "3",
  state,
  contentHash: "h",
  qboEditedAt: null,
  baseline: { kind: "contact", fields: clioFieldsForQbo(contact) },
  updatedAt: 1,
});

function plan(over: Partial<CustomerPlanInput> & { contacts: ClioContactView[] }): CustomerPlan {
  const links = over.links ?? new Map();
  return planCustomerChanges({
    realmId: "9130",
    runId: "run-1",
    now: NOW,
    settings: { conflictPolicy: "latest-wins" },
    changed: new Set(over.contacts.map((c) => String(c.id))),
    linkedCustomers: new Map([...links.values()].map((l) => [l.qboId, l.clioId])),
    decisions: new Map<string, MatchProposal>(),
    proposedCustomers: new Map(),
    openIssues: new Map(),
    raised: new Set(),
    activeCustomers: [],
    customersById: new Map((over.activeCustomers ?? []).map((c) => [String(c.Id), c])),
    ...over,
    links,
  });
}

/** A plan in one line per thing it does, for comparing with the table. */
function summary(p: CustomerPlan): string[] {
  return [
    ...p.operations.map(
      (o) => `qbo ${o.action} ${o.clioId}${o.payload.body.Active === true ? " reactivate" : ""}`,
    ),
    ...p.clioWrites.map((w) => `clio patch ${w.contactId} then ${w.onSuccess.operations.length} op(s)`),
    ...p.issues.map((i) => `item ${i.code} ${i.clioId}`),
    ...p.proposals.map((m) => `propose ${m.clioId} → ${m.qboId}`),
    ...p.brokenLinks.map((b) => `broken ${b.link.clioId}`),
    ...p.inactiveLinks.map((b) => `inactive ${b.link.clioId}`),
    ...p.units.flatMap((u) => (u.links ?? []).map((l) => `link ${l.clioId} → ${l.qboId}`)),
  ].sort();
}

const jane = person(1001, "Jane", "Doe", "jane@example.test", "555-0100");
const bob = person(1003, "Bob", "Exact", "x@example.test");
const alpha: ClioContactView = {
  id: 1002,
  type: "Company",
  name: "Alpha Co",
  email_addresses: [{ id: 10020, address: "x@example.test", name: "Work", primary: true }],
};

describe("customer planner", () => {
  const cases: Array<{ name: string; input: Parameters<typeof plan>[0]; expected: string[] }> = [
    {
      name: "a new client with no match in QuickBooks is created",
      input: { contacts: [jane] },
      expected: ["qbo create 1001"],
    },
    {
      name: "an exact match links without a write when both sides agree",
      input: {
        contacts: [jane],
        activeCustomers: [
          customer("58", "Jane", "Doe", "jane@example.test", {
            PrimaryPhone: { FreeFormNumber: "555-0100" },
          }),
        ],
      },
      expected: ["link 1001 → 58"],
    },
    {
      name: "an exact match beats an earlier near match (Alpha Co / Bob Exact)",
      input: { contacts: [alpha, bob], activeCustomers: [customer("58", "Bob", "Exact", "x@example.test")] },
      expected: ["link 1003 → 58", "qbo create 1002"],
    },
    {
      name: "a near match is proposed and waits for the person",
      input: { contacts: [jane], activeCustomers: [customer("60", "Jane", "Doe", "other@example.test")] },
      expected: ["item sync_match_review 1001", "propose 1001 → 60"],
    },
    {
      name: "a near match already proposed is not proposed again while it waits (its item stays)",
      input: {
        contacts: [jane],
        activeCustomers: [customer("60", "Jane", "Doe", "other@example.test")],
        decisions: new Map([
          ["1001", { clioId: "1001", qboId: "60", reason: "same name", state: "proposed", createdAt: 1 }],
        ]),
        proposedCustomers: new Map([["60", "1001"]]),
      },
      expected: ["item sync_match_review 1001"],
    },
    {
      name: "two exact matches are ambiguous",
      input: {
        contacts: [jane],
        activeCustomers: [
          customer("61", "Jane", "Doe", "jane@example.test"),
          customer("62", "Jane", "Doe", "jane@example.test"),
        ],
      },
      expected: ["item sync_customer_ambiguous 1001"],
    },
    {
      name: "a phone changed in Clio goes to QuickBooks as a sparse update",
      input: {
        contacts: [person(1001, "Jane", "Doe", "jane@example.test", "555-0199")],
        links: new Map([["1001", linkOf(jane, "58")]]),
        activeCustomers: [
          customer("58", "Jane", "Doe", "jane@example.test", {
            PrimaryPhone: { FreeFormNumber: "555-0100" },
          }),
        ],
      },
      expected: ["qbo update 1001"],
    },
    {
      name: "a phone changed in QuickBooks is patched to Clio, and the link follows the patch",
      input: {
        contacts: [jane],
        links: new Map([["1001", linkOf(jane, "58")]]),
        activeCustomers: [
          customer("58", "Jane", "Doe", "jane@example.test", {
            PrimaryPhone: { FreeFormNumber: "555-0777" },
          }),
        ],
      },
      expected: ["clio patch 1001 then 0 op(s)"],
    },
    {
      name: "a linked customer gone from QuickBooks breaks its link",
      input: { contacts: [jane], links: new Map([["1001", linkOf(jane, "58")]]) },
      expected: ["broken 1001"],
    },
    {
      name: "a linked customer made inactive keeps its link, marked inactive",
      input: {
        contacts: [jane],
        links: new Map([["1001", linkOf(jane, "58")]]),
        activeCustomers: [customer("58", "Jane", "Doe", "jane@example.test", { Active: false })],
      },
      expected: ["inactive 1001"],
    },
    {
      name: "an inactive link waits until the person asks for a re-sync",
      input: { contacts: [jane], links: new Map([["1001", linkOf(jane, "58", "inactive")]]) },
      expected: [],
    },
    {
      name: "re-sync of an inactive link reactivates the customer",
      input: {
        contacts: [jane],
        links: new Map([["1001", linkOf(jane, "58", "inactive")]]),
        openIssues: new Map([
          ["contact:1001", item("contact:1001", "sync_customer_inactive", { retryRequested: true })],
        ]),
      },
      expected: ["qbo update 1001 reactivate"],
    },
    {
      name: "a failed create is not sent again unchanged",
      input: {
        contacts: [jane],
        changed: new Set(),
        openIssues: new Map([["contact:1001", item("contact:1001", "qbo_duplicate_name")]]),
      },
      expected: [],
    },
    {
      name: "a client decided in an earlier phase of the pass is left alone",
      input: { contacts: [jane], raised: new Set(["contact:1001"]) },
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(summary(plan(c.input)), [...c.expected].sort()));
  }

  it("names a new customer after the client and its Clio id, with a request id that depends on the content", () => {
    const first = plan({ contacts: [jane] }).operations[0]!;
    assert.equal(first.payload.body.DisplayName, "Jane Doe (Clio 1001)");
    const again = plan({ contacts: [jane] }).operations[0]!;
    assert.equal(again.requestId, first.requestId, "the same plan, the same request id");
    const edited = plan({ contacts: [person(1001, "Jane", "Doe", "jane@new.test")] }).operations[0]!;
    assert.notEqual(edited.requestId, first.requestId);
  });
});

describe("the clients a page of bills can plan alone", () => {
  it("holds back a client who could match an existing customer, so first linking sees every client", () => {
    const jane = person(1, "Jane", "Doe", "jane@x.test");
    const near = person(2, "Jane", "Doe", "other@x.test");
    const fresh = person(3, "Omar", "Nguyen", "omar@x.test");
    const linked = person(4, "Li", "Wei", "li@x.test");
    const rejected = person(5, "Li", "Wei", "li@x.test");
    const alone = plannableAlone({
      contacts: [jane, near, fresh, linked, rejected],
      links: new Map([["4", linkOf(linked, "40")]]),
      decisions: new Map([["5", { clioId: "5", qboId: "40", state: "rejected" } as MatchProposal]]),
      activeCustomers: [
        customer("30", "Jane", "Doe", "jane@x.test"),
        customer("40", "Li", "Wei", "li@x.test"),
      ],
    });
    assert.deepEqual(
      alone.map((c) => c.id),
      [3, 4, 5],
    );
  });
});
