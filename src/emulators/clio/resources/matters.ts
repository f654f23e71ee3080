import type { Hono } from "hono";
import { createMatter, updateMatter } from "../domain/matters.ts";
import { boolParam, commonFilter, idParam } from "../filters.ts";
import { type ApiEnv, badRequest, checkIfMatch, notFound, parseId, readData, showRecord } from "../http.ts";
import { listResponse } from "../paging.ts";
import type { MatterRec } from "../records.ts";
import type { ClioState } from "../state.ts";

/** /matters (clio-api.md §5.2): list filter `status` is lowercase and comma-separated. */
export function registerMatters(api: Hono<ApiEnv>): void {
  api.get("/matters", (c) => {
    const state = c.get("state");
    const clientId = idParam(c, "client_id");
    const billable = boolParam(c, "billable");
    const statusText = c.req.query("status");
    let statuses: Set<string> | undefined;
    if (statusText !== undefined) {
      const parts = statusText.split(",").map((s) => s.trim());
      if (parts.some((s) => !["open", "closed", "pending"].includes(s))) {
        throw badRequest("status must be open, closed or pending (lowercase)");
      }
      statuses = new Set(parts.map((s) => s[0]!.toUpperCase() + s.slice(1)));
    }
    const query = c.req.query("query")?.toLowerCase().replaceAll("*", "");
    const records = commonFilter(c, state.all("matters")).filter(
      (r) =>
        (clientId === undefined || r.client_id === clientId) &&
        (billable === undefined || r.billable === billable) &&
        (!statuses || statuses.has(r.status)) &&
        (!query || `${r.display_number} ${r.description}`.toLowerCase().includes(query)),
    );
    return listResponse(
      c,
      {
        resource: "matter",
        defaultOrder: "id(asc)",
        orders: {
          id: (r) => r.id,
          display_number: (r) => r.display_number,
          "client.name": (r) => state.get("contacts", r.client_id)?.name ?? "",
          open_date: (r) => r.open_date,
          updated_at: (r) => r.updated_at,
          created_at: (r) => r.created_at,
        },
      },
      records,
    );
  });
  api.get("/matters/:id", (c) => showRecord(c, "matter", findMatter(c.get("state"), c.req.param("id"))));
  api.get("/matters/:id/client", (c) => {
    const matter = findMatter(c.get("state"), c.req.param("id"));
    return showRecord(c, "contact", c.get("state").get("contacts", matter.client_id)!);
  });
  api.post("/matters", async (c) =>
    showRecord(c, "matter", createMatter(c.get("state"), await readData(c)), 201),
  );
  api.patch("/matters/:id", async (c) => {
    const matter = findMatter(c.get("state"), c.req.param("id"));
    checkIfMatch(c, matter);
    return showRecord(c, "matter", updateMatter(c.get("state"), matter, await readData(c)));
  });
  api.delete("/matters/:id", (c) => {
    const matter = findMatter(c.get("state"), c.req.param("id"));
    c.get("state").remove("matters", matter.id);
    return c.body(null, 204);
  });
}

export function findMatter(state: ClioState, raw: string | number): MatterRec {
  const id = typeof raw === "number" ? raw : parseId(raw);
  const matter = state.get("matters", id);
  if (!matter) throw notFound("Matter", id);
  return matter;
}
