import { invalid } from "../http.ts";
import type { MatterRec } from "../records.ts";
import type { ClioState } from "../state.ts";

/** Matter writes (clio-api.md §5.2): `client{id}` and `description` required; write status lowercase. */
type Input = Record<string, unknown>;
const STATUS: Record<string, MatterRec["status"]> = { open: "Open", closed: "Closed", pending: "Pending" };

export function createMatter(state: ClioState, data: Input): MatterRec {
  const clientId = Number((data.client as { id?: unknown } | undefined)?.id ?? data.client_id);
  if (!state.get("contacts", clientId)) throw invalid("Client can't be blank");
  const description = data.description === undefined ? "" : String(data.description);
  if (!description.trim()) throw invalid("Description can't be blank");
  const status = parseStatus(data.status ?? "open");
  const number = state.nextCounter("matter_number");
  const id = state.allocateId();
  const client = state.get("contacts", clientId)!;
  const today = new Date(state.now()).toISOString().slice(0, 10);
  return state.insert("matters", {
    id,
    number,
    display_number: data.display_number
      ? String(data.display_number)
      : defaultDisplayNumber(number, client.name),
    custom_number: data.custom_number ? String(data.custom_number) : null,
    description,
    status,
    client_id: clientId,
    client_reference: data.client_reference ? String(data.client_reference) : null,
    location: data.location ? String(data.location) : null,
    billable: data.billable === undefined ? true : Boolean(data.billable),
    billing_method: (data.billing_method as MatterRec["billing_method"]) ?? "hourly",
    open_date: data.open_date ? String(data.open_date) : status === "Open" ? today : null,
    pending_date: data.pending_date ? String(data.pending_date) : null,
    close_date: data.close_date ? String(data.close_date) : null,
  });
}

export function defaultDisplayNumber(number: number, clientName: string): string {
  const word = clientName.replace(/[^A-Za-z]/g, "").slice(0, 12) || "Matter";
  return `${String(number).padStart(5, "0")}-${word}`;
}

export function updateMatter(state: ClioState, matter: MatterRec, data: Input): MatterRec {
  const patch: Partial<MatterRec> = {};
  if (data.description !== undefined) {
    if (!String(data.description).trim()) throw invalid("Description can't be blank");
    patch.description = String(data.description);
  }
  if (data.status !== undefined) patch.status = parseStatus(data.status);
  if (data.client !== undefined) {
    const clientId = Number((data.client as { id?: unknown }).id);
    if (!state.get("contacts", clientId)) throw invalid("Client can't be blank");
    patch.client_id = clientId;
  }
  for (const k of [
    "display_number",
    "custom_number",
    "client_reference",
    "location",
    "open_date",
    "close_date",
    "pending_date",
  ] as const) {
    if (data[k] !== undefined)
      (patch as Record<string, unknown>)[k] = data[k] === null ? null : String(data[k]);
  }
  if (data.billable !== undefined) patch.billable = Boolean(data.billable);
  if (data.billing_method !== undefined)
    patch.billing_method = data.billing_method as MatterRec["billing_method"];
  return state.update("matters", matter.id, patch);
}

function parseStatus(v: unknown): MatterRec["status"] {
  const s = STATUS[String(v)];
  if (!s) throw invalid("Status must be one of open, closed, pending");
  return s;
}
