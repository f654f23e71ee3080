import type { TableName } from "../records.ts";

/** Webhook models of clio-api.md §5.9 (string or numeric id) and the events each allows. */
export interface WebhookModel {
  name: string;
  id: number;
  events: string[];
  /** Emulated table and field spec, for the models this emulator stores. */
  table?: TableName;
  resource?: string;
}

const CRUD = ["created", "updated", "deleted"];

export const WEBHOOK_MODELS: WebhookModel[] = [
  {
    name: "matter",
    id: 1,
    events: [...CRUD, "matter_opened", "matter_pended", "matter_closed"],
    table: "matters",
    resource: "matter",
  },
  { name: "activity", id: 2, events: CRUD, table: "activities", resource: "activity" },
  { name: "bill", id: 3, events: CRUD, table: "bills", resource: "bill" },
  { name: "calendar_entry", id: 4, events: CRUD },
  { name: "communication", id: 5, events: CRUD },
  { name: "contact", id: 6, events: CRUD, table: "contacts", resource: "contact" },
  { name: "task", id: 7, events: CRUD },
  { name: "document", id: 8, events: CRUD },
  { name: "folder", id: 9, events: CRUD },
  { name: "clio_payments_payment", id: 10, events: ["created", "updated"] },
];

export function findModel(value: unknown): WebhookModel | undefined {
  return WEBHOOK_MODELS.find((m) => m.name === value || String(m.id) === String(value));
}

export function modelOfTable(table: TableName): WebhookModel | undefined {
  return WEBHOOK_MODELS.find((m) => m.table === table);
}
