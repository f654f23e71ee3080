import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ContactFields, emptyContactFields } from "./contact-fields.ts";
import { CustomerMatcher, decideFirstLinks, type FirstLinkInput } from "./customer-match.ts";

const empty: ContactFields = emptyContactFields();
const person = (given: string, family: string, email: string | null): ContactFields => ({
  ...empty,
  givenName: given,
  familyName: family,
  email,
});
const company = (name: string, email: string | null): ContactFields => ({
  ...empty,
  companyName: name,
  email,
});

const client = (clioId: string, fields: ContactFields): FirstLinkInput => ({
  clioId,
  fields,
  isCompany: fields.companyName !== null && fields.givenName === null,
});

function decide(
  customers: Array<[string, ContactFields]>,
  clients: FirstLinkInput[],
  linked: Array<[string, string]> = [],
  proposed: Array<[string, string]> = [],
) {
  const matcher = new CustomerMatcher(
    customers.map(([qboId, fields]) => ({ qboId, fields, displayName: qboId })),
  );
  const out = decideFirstLinks(matcher, clients, new Map(linked), new Map(proposed));
  return Object.fromEntries(
    [...out].map(([k, v]) => [
      k,
      v.kind === "near" ? `near ${v.qboId}` : v.kind === "exact" ? `exact ${v.qboId}` : v.kind,
    ]),
  );
}

describe("first linking: exact matches before near ones", () => {
  const cases: Array<{
    name: string;
    customers: Array<[string, ContactFields]>;
    clients: FirstLinkInput[];
    linked?: Array<[string, string]>;
    proposed?: Array<[string, string]>;
    expected: Record<string, string>;
  }> = [
    {
      name: "the issue's minimal case: an earlier near match does not take the exact match of a later client",
      customers: [["58", person("Bob", "Exact", "x@example.test")]],
      clients: [
        client("1001", company("Alpha Co", "x@example.test")),
        client("1003", person("Bob", "Exact", "x@example.test")),
      ],
      expected: { "1001": "none", "1003": "exact 58" },
    },
    {
      name: "a proposal of an earlier pass does not withhold an exact match either",
      customers: [["58", person("Bob", "Exact", "x@example.test")]],
      clients: [client("1003", person("Bob", "Exact", "x@example.test"))],
      proposed: [["58", "1001"]],
      expected: { "1003": "exact 58" },
    },
    {
      name: "a near match is offered only what no exact match, link or other proposal holds",
      customers: [
        ["58", person("Bob", "Exact", "x@example.test")],
        ["59", person("Carol", "Near", "c@example.test")],
        ["60", person("Dan", "Held", "d@example.test")],
      ],
      clients: [
        client("1001", person("Carol", "Near", "other@example.test")),
        client("1002", person("Dan", "Held", "other@example.test")),
        client("1003", person("Bob", "Exact", "x@example.test")),
        client("1004", person("Eve", "Other", "x@example.test")),
      ],
      proposed: [["60", "9999"]],
      expected: { "1001": "near 59", "1002": "none", "1003": "exact 58", "1004": "none" },
    },
    {
      name: "two customers matching exactly are ambiguous, never guessed",
      customers: [
        ["70", person("Ann", "Twin", "t@example.test")],
        ["71", person("Ann", "Twin", "t@example.test")],
      ],
      clients: [client("1005", person("Ann", "Twin", "t@example.test"))],
      expected: { "1005": "ambiguous" },
    },
    {
      name: "a customer linked to another contact is not matched again; its own contact may keep it",
      customers: [["80", company("Acme LLP", "a@example.test")]],
      clients: [
        client("1006", company("Acme LLP", "a@example.test")),
        client("1007", company("Acme LLP", "a@example.test")),
      ],
      linked: [["80", "1007"]],
      expected: { "1006": "none", "1007": "exact 80" },
    },
    {
      name: "two clients matching one customer exactly: the first links, the second is not proposed it",
      customers: [["90", person("Sam", "Same", "s@example.test")]],
      clients: [
        client("1008", person("Sam", "Same", "s@example.test")),
        client("1009", person("Sam", "Same", "s@example.test")),
      ],
      expected: { "1008": "exact 90", "1009": "none" },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(decide(c.customers, c.clients, c.linked, c.proposed), c.expected);
    });
  }
});
