import type { z } from "zod";
import type { ClioClient } from "../clio/client.ts";
import { fields } from "../clio/fields.ts";
import {
  ClioAllocation,
  ClioBankAccount,
  ClioBankTransaction,
  ClioBill,
  ClioContact,
  ClioCreditMemo,
  ClioLineItem,
  type ClioSyncRecords,
} from "../clio/schemas/index.ts";
import type {
  ClioBillListKind,
  ClioByIdKind,
  ClioClientListKind,
  ClioIdListKind,
  ClioListKind,
  ClioPage,
  ClioPort,
} from "../engine/ports.ts";

/** The fields the sync reads, per kind: exactly what the mappers use (clio-api.md §5). */
export const SYNC_FIELDS: Record<ClioListKind, string> = {
  contact: fields(
    "id",
    "etag",
    "type",
    "name",
    "first_name",
    "last_name",
    "updated_at",
    { email_addresses: ["id", "address", "name", "primary"] },
    { phone_numbers: ["id", "number", "name", "primary"] },
    { addresses: ["id", "name", "street", "city", "province", "postal_code", "country", "primary"] },
  ),
  bill: fields(
    "id",
    "etag",
    "number",
    "state",
    "kind",
    "issued_at",
    "due_at",
    "subject",
    "sub_total",
    "tax_rate",
    "secondary_tax_rate",
    "tax_sum",
    "secondary_tax_sum",
    "total",
    "currency",
    "balance",
    "interest",
    "discount",
    "updated_at",
    { client: ["id", "name"] },
    { matters: ["id", "display_number"] },
  ),
  line_item: fields(
    "id",
    "etag",
    "kind",
    "type",
    "description",
    "date",
    "quantity",
    "price",
    "total",
    "taxable",
    "secondary_taxable",
    "updated_at",
    {
      bill: ["id"],
    },
  ),
  allocation: fields(
    "id",
    "etag",
    "date",
    "amount",
    "interest",
    "voided_at",
    "description",
    "updated_at",
    { bill: ["id", "number"] },
    { parent: ["id", "type"] },
    { contact: ["id"] },
    { source_bank_account: ["id", "type"] },
    { destination_bank_account: ["id", "type"] },
  ),
  credit_memo: fields("id", "etag", "date", "amount", "description", "voided_at", "updated_at", {
    contact: ["id"],
  }),
  bank_account: fields(
    "id",
    "etag",
    "type",
    "name",
    "currency",
    "balance",
    "bank_transactions_count",
    "updated_at",
  ),
  // Clio names no transfer on a transaction (§5.7): the legs of a transfer are paired from these
  // fields (src/mapping/trust-transfer-pairing.ts), created_at and confirmation among them.
  bank_transaction: fields(
    "id",
    "etag",
    "type",
    "transaction_type",
    "source",
    "date",
    "amount",
    "funds_in",
    "funds_out",
    "description",
    "confirmation",
    "created_at",
    "updated_at",
    { client: ["id", "name"] },
    { matter: ["id", "display_number"] },
    { bank_account: ["id", "type"] },
    { bill: ["id", "number"] },
    { allocation: ["id"] },
  ),
};

/** Fixed list filters: only trust accounts and trust ledger transactions sync. */
const PARAMS: Partial<Record<ClioListKind, Record<string, string>>> = {
  bank_account: { type: "TrustAccount", show_empty_accounts: "true" },
  bank_transaction: { type: "liability" },
};

/**
 * `order` per kind where `id(asc)` (the client's default, which cursor pages need) cannot be sent:
 * `/line_items` declares no `order` (clio-api.md §5.4) and real Clio answers 400 to an undeclared
 * parameter; its default order is id.
 */
const ORDER: Partial<Record<ClioListKind, null>> = { line_item: null };

const PATHS: Record<ClioListKind, string> = {
  contact: "contacts",
  bill: "bills",
  line_item: "line_items",
  allocation: "allocations",
  credit_memo: "credit_memos",
  bank_account: "bank_accounts",
  bank_transaction: "bank_transactions",
};

const SCHEMAS: { [K in ClioListKind]: z.ZodType<ClioSyncRecords[K]> } = {
  contact: ClioContact,
  bill: ClioBill,
  line_item: ClioLineItem,
  allocation: ClioAllocation,
  credit_memo: ClioCreditMemo,
  bank_account: ClioBankAccount,
  bank_transaction: ClioBankTransaction,
};

/** Clio's `ids[]` filter: a page (200) of ids per request, about 3 KB of URL, under common 8 KB limits. */
const IDS_PER_REQUEST = 200;

/** The engine's ClioPort over the Clio client: cursor pages of 200, only the fields the sync uses. */
export class ClioSource implements ClioPort {
  readonly #client: ClioClient;
  readonly #webBase: string;

  constructor(client: ClioClient, webBase: string) {
    this.#client = client;
    this.#webBase = webBase.replace(/\/$/, "");
  }

  async *list<K extends ClioListKind>(kind: K, updatedSince: string | undefined): AsyncIterable<ClioPage<K>> {
    const params: Record<string, string> = {
      ...PARAMS[kind],
      ...(updatedSince ? { updated_since: updatedSince } : {}),
    };
    for await (const page of this.#client.pages(PATHS[kind], SCHEMAS[kind], {
      fields: SYNC_FIELDS[kind],
      params,
      ...(kind in ORDER ? { order: ORDER[kind] } : {}),
    })) {
      yield { records: page };
    }
  }

  async *listIds(kind: ClioIdListKind): AsyncIterable<string[]> {
    for await (const page of this.#client.pages(PATHS[kind], SCHEMAS[kind], {
      fields: "id",
      params: { ...PARAMS[kind] },
    })) {
      yield page.map((r) => String(r.id));
    }
  }

  async *listOfClient<K extends ClioClientListKind>(kind: K, clientId: string): AsyncIterable<ClioPage<K>> {
    // Allocations name their client `contact` (clio-api.md §5.5); bills and transactions `client`.
    const filter = kind === "allocation" ? "contact_id" : "client_id";
    for await (const page of this.#client.pages(PATHS[kind], SCHEMAS[kind], {
      fields: SYNC_FIELDS[kind],
      params: { ...PARAMS[kind], [filter]: clientId },
    })) {
      yield { records: page };
    }
  }

  async allocationIdsOfBill(billId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.#client.pages("allocations", ClioAllocation, {
      fields: "id",
      params: { bill_id: billId },
    })) {
      ids.push(...page.map((r) => String(r.id)));
    }
    return ids;
  }

  async contactsByIds(ids: string[]): Promise<ClioContact[]> {
    return this.#byIds("contact", ids);
  }

  byIds<K extends ClioByIdKind>(kind: K, ids: string[]): Promise<ClioSyncRecords[K][]> {
    return this.#byIds(kind, ids);
  }

  async *listOfBill<K extends ClioBillListKind>(kind: K, billId: string): AsyncIterable<ClioPage<K>> {
    for await (const page of this.#client.pages(PATHS[kind], SCHEMAS[kind], {
      fields: SYNC_FIELDS[kind],
      params: { bill_id: billId },
      ...(kind in ORDER ? { order: ORDER[kind] } : {}),
    })) {
      yield { records: page };
    }
  }

  async *allocationsOfParent(parentId: string): AsyncIterable<ClioPage<"allocation">> {
    for await (const page of this.#client.pages("allocations", ClioAllocation, {
      fields: SYNC_FIELDS.allocation,
      params: { parent_id: parentId },
    })) {
      yield { records: page };
    }
  }

  async #byIds<K extends ClioListKind>(kind: K, ids: string[]): Promise<ClioSyncRecords[K][]> {
    const out: ClioSyncRecords[K][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const chunk = ids.slice(i, i + IDS_PER_REQUEST);
      for await (const page of this.#client.pages(PATHS[kind], SCHEMAS[kind], {
        fields: SYNC_FIELDS[kind],
        params: { ...PARAMS[kind], ids: chunk },
      })) {
        out.push(...page);
      }
    }
    return out;
  }

  async updateContact(id: string, body: Record<string, unknown>): Promise<ClioContact> {
    const result = await this.#client.update(`contacts/${id}`, ClioContact, body, {
      fields: SYNC_FIELDS.contact,
    });
    if (!result.ok) throw result.error;
    return result.value;
  }

  webUrl(kind: "contact" | "bill", id: string): string {
    return `${this.#webBase}/nc/#/${kind === "contact" ? "contacts" : "bills"}/${id}`;
  }
}
