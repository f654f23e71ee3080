import { invalid } from "../http.ts";
import type { ActivityRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import { cents, date, type Input, id, text } from "./input.ts";

/** POST/PATCH /activities (§5.5): `type` and `date` required; time quantity in seconds. */
const TYPES = ["TimeEntry", "ExpenseEntry", "HardCostEntry", "SoftCostEntry"] as const;

export function activityCreate(state: ClioState, data: Input): ActivityRec {
  const type = data.type as ActivityRec["type"];
  if (!TYPES.includes(type))
    throw invalid("Type must be TimeEntry, ExpenseEntry, HardCostEntry or SoftCostEntry");
  const user = state.all("users")[Symbol.iterator]().next().value;
  return state.insert("activities", {
    type,
    date: date(data.date, "date"),
    quantity: quantity(type, data.quantity ?? (type === "TimeEntry" ? 0 : 1)),
    price_cents: data.price === undefined ? 0 : cents(data.price, "price", { positive: false }),
    matter_id:
      data.matter === undefined && data.matter_id === undefined
        ? null
        : id(data.matter ?? data.matter_id, "matter"),
    user_id: user?.id ?? 0,
    bill_id: null,
    note: text(data.note),
    non_billable: Boolean(data.non_billable),
    no_charge: Boolean(data.no_charge),
    flat_rate: Boolean(data.flat_rate),
    reference: text(data.reference),
    tax_setting: (data.tax_setting as ActivityRec["tax_setting"]) ?? "no_tax",
  });
}

export function activityUpdate(state: ClioState, a: ActivityRec, data: Input): ActivityRec {
  const patch: Partial<ActivityRec> = {};
  if (data.date !== undefined) patch.date = date(data.date, "date");
  if (data.quantity !== undefined) patch.quantity = quantity(a.type, data.quantity);
  if (data.price !== undefined) patch.price_cents = cents(data.price, "price", { positive: false });
  if (data.note !== undefined) patch.note = text(data.note);
  if (data.non_billable !== undefined) patch.non_billable = Boolean(data.non_billable);
  return state.update("activities", a.id, patch);
}

function quantity(type: ActivityRec["type"], v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw invalid("Quantity must be a non-negative number");
  return type === "TimeEntry" ? Math.round(n) : Math.round(n * 1000);
}
