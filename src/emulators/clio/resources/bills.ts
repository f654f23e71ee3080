import type { Hono } from "hono";
import { activityCreate, activityUpdate } from "../domain/activities.ts";
import {
  deleteBill,
  findBill,
  isEditable,
  patchBill,
  removeLineItem,
  updateLineItem,
} from "../domain/bills.ts";
import { billState, billTotals } from "../domain/ledger.ts";
import { boolParam, commonFilter, dateParam, enumParam, idParam } from "../filters.ts";
import { type ApiEnv, checkIfMatch, invalid, notFound, parseId, readData, showRecord } from "../http.ts";
import { listResponse } from "../paging.ts";
import { BILL_STATES } from "../records.ts";

/** /bills, /line_items and /activities (clio-api.md §5.3–§5.5). Bills have no POST. */
export function registerBills(api: Hono<ApiEnv>): void {
  api.get("/bills", (c) => {
    const state = c.get("state");
    const st = enumParam(c, "state", BILL_STATES);
    const type = enumParam(c, "type", ["revenue", "trust"] as const);
    const status = enumParam(c, "status", ["all", "overdue"] as const);
    const overdueOnly = boolParam(c, "overdue_only") || status === "overdue";
    const clientId = idParam(c, "client_id");
    const matterId = idParam(c, "matter_id");
    const issuedAfter = dateParam(c, "issued_after");
    const issuedBefore = dateParam(c, "issued_before");
    const dueAfter = dateParam(c, "due_after");
    const dueBefore = dateParam(c, "due_before");
    const query = c.req.query("query");
    const today = new Date(state.now()).toISOString().slice(0, 10);
    const hideGone = !c.get("config").listVoidAndDeletedBills;
    const records = commonFilter(c, state.all("bills")).filter((b) => {
      const s = st !== undefined || hideGone || overdueOnly ? billState(state, b) : b.state;
      if (st !== undefined ? s !== st : hideGone && (s === "void" || s === "deleted")) return false;
      if (type === "trust" && b.kind !== "trust_kind") return false;
      if (type === "revenue" && b.kind === "trust_kind") return false;
      if (overdueOnly && !(s === "awaiting_payment" && b.due_at < today)) return false;
      if (clientId !== undefined && b.client_id !== clientId) return false;
      if (matterId !== undefined && !b.matter_ids.includes(matterId as number)) return false;
      if (issuedAfter && b.issued_at < issuedAfter) return false;
      if (issuedBefore && b.issued_at > issuedBefore) return false;
      if (dueAfter && b.due_at < dueAfter) return false;
      if (dueBefore && b.due_at > dueBefore) return false;
      if (query && !b.number.includes(query)) return false;
      return true;
    });
    return listResponse(
      c,
      {
        resource: "bill",
        defaultOrder: "id(asc)",
        orders: {
          id: (b) => b.id,
          due_at: (b) => b.due_at,
          issued_at: (b) => b.issued_at,
          paid_at: (b) => billTotals(state, b).paid_at,
          last_sent_at: (b) => b.last_sent_at,
          client_name: (b) => state.get("contacts", b.client_id)?.name ?? "",
          matter_display_number: (b) => state.get("matters", b.matter_ids[0] ?? 0)?.display_number ?? "",
          balance: (b) => billTotals(state, b).balance,
          number: (b) => b.number,
        },
      },
      records,
    );
  });
  api.get("/bills/:id", (c) => showRecord(c, "bill", findBill(c.get("state"), parseId(c.req.param("id")))));
  api.patch("/bills/:id", async (c) => {
    const bill = findBill(c.get("state"), parseId(c.req.param("id")));
    checkIfMatch(c, bill);
    return showRecord(c, "bill", patchBill(c.get("state"), bill, await readData(c)));
  });
  api.delete("/bills/:id", (c) => {
    deleteBill(c.get("state"), findBill(c.get("state"), parseId(c.req.param("id"))));
    return c.body(null, 204);
  });
  api.get("/bills/:id/preview", (c) => {
    const bill = findBill(c.get("state"), parseId(c.req.param("id")));
    return c.json({ data: { id: bill.id, html: `<html><body>Bill ${bill.number}</body></html>` } });
  });

  api.get("/line_items", (c) => {
    const state = c.get("state");
    const billId = idParam(c, "bill_id");
    const matterId = idParam(c, "matter_id");
    const activityId = idParam(c, "activity_id");
    const kind = enumParam(c, "kind", ["Service", "Expense", "Product"] as const);
    const query = c.req.query("query")?.toLowerCase();
    const source =
      billId !== undefined && billId !== null
        ? (state.index("line_items", "bill", (l) => l.bill_id).get(billId) ?? [])
        : state.all("line_items");
    const records = commonFilter(c, source).filter(
      (l) =>
        (matterId === undefined || l.matter_id === matterId) &&
        (activityId === undefined || l.activity_id === activityId) &&
        (!kind || l.kind === kind) &&
        (!query || `${l.description} ${l.note ?? ""}`.toLowerCase().includes(query)),
    );
    return listResponse(
      c,
      { resource: "line_item", defaultOrder: "id(asc)", orders: { id: (l) => l.id } },
      records,
    );
  });
  api.patch("/line_items/:id", async (c) => {
    const state = c.get("state");
    const line = state.get("line_items", parseId(c.req.param("id")));
    if (!line) throw notFound("LineItem", c.req.param("id"));
    checkIfMatch(c, line);
    if (!isEditable(state, state.get("bills", line.bill_id)!)) throw invalid("The bill is not editable");
    return showRecord(c, "line_item", updateLineItem(state, line, await readData(c)));
  });
  api.delete("/line_items/:id", (c) => {
    const state = c.get("state");
    const line = state.get("line_items", parseId(c.req.param("id")));
    if (!line) throw notFound("LineItem", c.req.param("id"));
    if (!isEditable(state, state.get("bills", line.bill_id)!)) throw invalid("The bill is not editable");
    removeLineItem(state, line);
    return c.body(null, 204);
  });

  api.get("/activities", (c) => {
    const state = c.get("state");
    const matterId = idParam(c, "matter_id");
    const userId = idParam(c, "user_id");
    const type = enumParam(c, "type", [
      "TimeEntry",
      "ExpenseEntry",
      "HardCostEntry",
      "SoftCostEntry",
    ] as const);
    const status = enumParam(c, "status", [
      "billed",
      "draft",
      "unbilled",
      "non_billable",
      "billable",
      "written_off",
    ] as const);
    const start = dateParam(c, "start_date");
    const end = dateParam(c, "end_date");
    const records = commonFilter(c, state.all("activities")).filter((a) => {
      if (matterId !== undefined && a.matter_id !== matterId) return false;
      if (userId !== undefined && a.user_id !== userId) return false;
      if (type && a.type !== type) return false;
      if (start && a.date < start) return false;
      if (end && a.date > end) return false;
      if (status) {
        const bill = a.bill_id === null ? undefined : state.get("bills", a.bill_id);
        const s = bill ? billState(state, bill) : undefined;
        const billed = s === "awaiting_payment" || s === "paid";
        if (status === "billed" && !billed) return false;
        if (status === "unbilled" && (billed || a.non_billable)) return false;
        if (status === "draft" && !(s === "draft" || s === "awaiting_approval")) return false;
        if (status === "non_billable" && !a.non_billable) return false;
        if (status === "billable" && a.non_billable) return false;
        if (status === "written_off") return false;
      }
      return true;
    });
    return listResponse(
      c,
      {
        resource: "activity",
        defaultOrder: "id(asc)",
        orders: { id: (a) => a.id, date: (a) => a.date, updated_at: (a) => a.updated_at },
      },
      records,
    );
  });
  api.get("/activities/:id", (c) => {
    const a = c.get("state").get("activities", parseId(c.req.param("id")));
    if (!a) throw notFound("Activity", c.req.param("id"));
    return showRecord(c, "activity", a);
  });
  api.post("/activities", async (c) =>
    showRecord(c, "activity", activityCreate(c.get("state"), await readData(c)), 201),
  );
  api.patch("/activities/:id", async (c) => {
    const a = c.get("state").get("activities", parseId(c.req.param("id")));
    if (!a) throw notFound("Activity", c.req.param("id"));
    checkIfMatch(c, a);
    return showRecord(c, "activity", activityUpdate(c.get("state"), a, await readData(c)));
  });
  api.delete("/activities/:id", (c) => {
    const state = c.get("state");
    const a = state.get("activities", parseId(c.req.param("id")));
    if (!a) throw notFound("Activity", c.req.param("id"));
    if (
      a.bill_id !== null &&
      state.get("bills", a.bill_id) &&
      !isEditable(state, state.get("bills", a.bill_id)!)
    ) {
      throw invalid("Billed activities cannot be deleted");
    }
    state.remove("activities", a.id);
    return c.body(null, 204);
  });
}
