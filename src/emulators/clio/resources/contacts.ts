import type { Hono } from "hono";
import { createContact, updateContact } from "../domain/contacts.ts";
import { boolParam, commonFilter, enumParam } from "../filters.ts";
import { type ApiEnv, checkIfMatch, notFound, parseId, readData, showRecord } from "../http.ts";
import { listResponse } from "../paging.ts";
import type { ContactRec } from "../records.ts";

/** /contacts (clio-api.md §5.1) and the 4.0.11 email/phone sub-lists. */
export function registerContacts(api: Hono<ApiEnv>): void {
  api.get("/contacts", (c) => {
    const state = c.get("state");
    const type = enumParam(c, "type", ["Person", "Company"] as const);
    const clientOnly = boolParam(c, "client_only");
    const emailOnly = boolParam(c, "email_only");
    const initial = c.req.query("initial")?.toUpperCase();
    const query = c.req.query("query")?.toLowerCase();
    const clients = state.index("matters", "client", (m) => m.client_id);
    const records = commonFilter(c, state.all("contacts")).filter(
      (r) =>
        (!type || r.type === type) &&
        (!clientOnly || clients.has(r.id)) &&
        (!emailOnly || r.email_addresses.length > 0) &&
        (!initial ||
          (r.type === "Person" ? (r.last_name ?? r.name) : r.name).toUpperCase().startsWith(initial)) &&
        (!query || matchesQuery(r, query)),
    );
    return listResponse(
      c,
      {
        resource: "contact",
        defaultOrder: "id(asc)",
        orders: { id: (r) => r.id, name: (r) => r.name.toLowerCase(), shared_at: () => null },
      },
      records,
    );
  });

  api.get("/contacts/:id", (c) => showRecord(c, "contact", findContact(c.get("state"), c.req.param("id"))));

  api.post("/contacts", async (c) => {
    const contact = createContact(c.get("state"), await readData(c));
    return showRecord(c, "contact", contact, 201);
  });

  api.patch("/contacts/:id", async (c) => {
    const contact = findContact(c.get("state"), c.req.param("id"));
    checkIfMatch(c, contact);
    return showRecord(c, "contact", updateContact(c.get("state"), contact, await readData(c)));
  });

  api.delete("/contacts/:id", (c) => {
    const state = c.get("state");
    const contact = findContact(state, c.req.param("id"));
    state.remove("contacts", contact.id);
    return c.body(null, 204);
  });

  for (const [path, resource] of [
    ["email_addresses", "email_address"],
    ["phone_numbers", "phone_number"],
  ] as const) {
    api.get(`/contacts/:id/${path}`, (c) => {
      const contact = findContact(c.get("state"), c.req.param("id"));
      const records = commonFilter(
        c,
        contact[path] as Array<{ id: number; created_at: number; updated_at: number }>,
      );
      return listResponse(c, { resource, defaultOrder: "id(asc)", orders: { id: (r) => r.id } }, records);
    });
  }
}

function findContact(state: ApiEnv["Variables"]["state"], raw: string): ContactRec {
  const id = parseId(raw);
  const contact = state.get("contacts", id);
  if (!contact) throw notFound("Contact", id);
  return contact;
}

function matchesQuery(r: ContactRec, q: string): boolean {
  const text = [
    r.name,
    r.title ?? "",
    ...r.email_addresses.map((e) => e.address),
    ...r.phone_numbers.map((p) => p.number),
  ]
    .join(" ")
    .toLowerCase();
  return text.includes(q.replaceAll("*", ""));
}
