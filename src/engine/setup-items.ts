import { LexError } from "../core/errors.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { requestIdFor } from "./hash.ts";
import { markRefInactive } from "./inactive-ref-store.ts";
import type { InvoiceItemIds } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";
import { incomeAccountForNewItems } from "./setup-income-account.ts";

/** The QBO Service items lexbridge puts on invoice and credit memo lines (names are settings). */
export const DEFAULT_ITEM_NAMES: Record<keyof InvoiceItemIds, string> = {
  services: "Legal Services (Clio)",
  expenses: "Expenses (Clio)",
  tax: "Sales Tax (Clio)",
  interest: "Interest (Clio)",
  adjustment: "Adjustment (Clio)",
  credit: "Credits (Clio)",
};

const KV_KEY = "qbo:items";
/** The names the stored ids were found by (absent: DEFAULT_ITEM_NAMES, as before names were settings). */
const NAMES_KV_KEY = "qbo:item-names";

/** The ids of the items lexbridge's lines use, once `ensureItems` has found or made them. */
export async function readItemIds(deps: Pick<EngineDeps, "store">): Promise<InvoiceItemIds | undefined> {
  const cached = await deps.store.getKv(KV_KEY);
  return cached ? (JSON.parse(cached) as InvoiceItemIds) : undefined;
}

/** The names the stored item ids were found by. */
export async function readItemNames(
  deps: Pick<EngineDeps, "store">,
): Promise<Record<keyof InvoiceItemIds, string>> {
  const stored = await deps.store.getKv(NAMES_KV_KEY);
  return stored ? (JSON.parse(stored) as Record<keyof InvoiceItemIds, string>) : DEFAULT_ITEM_NAMES;
}

/**
 * Finds (or creates, once) the items lexbridge's invoice lines use, and remembers their ids and the
 * names they were found by; when a name setting changes, the items are looked up again.
 * New items are Service items on the `qboIncomeAccount` (default: the company's first Income
 * account); items that exist are used as they are, whatever their account. An
 * item of that name made inactive in QBO is used, not duplicated (QBO would refuse the name,
 * 6240): it is marked inactive, and what would use it waits until a re-sync reactivates it.
 */
export async function ensureItems(
  deps: EngineDeps,
  names = deps.settings.itemNames ?? DEFAULT_ITEM_NAMES,
): Promise<InvoiceItemIds> {
  const cached = await readItemIds(deps);
  const cachedNames = await deps.store.getKv(NAMES_KV_KEY);
  // A renamed item (servicesItemName and the other *ItemName settings) is looked up again, by its new name.
  if (cached && (cachedNames ?? JSON.stringify(DEFAULT_ITEM_NAMES)) === JSON.stringify(names)) return cached;
  const wanted = [...new Set(Object.values(names))];
  const found = new Map<string, string>();
  const inactive: Array<{ id: string; name: string; syncToken: string }> = [];
  // Name lists hide inactive records unless asked (reference §4.1).
  const query = qboQuery("Item").where("Name", "IN", wanted).where("Active", "IN", [true, false]);
  for await (const item of deps.qbo.queryAll<"Item">(query)) {
    found.set(String(item.Name), String(item.Id));
    if (item.Active === false)
      inactive.push({ id: String(item.Id), name: String(item.Name), syncToken: String(item.SyncToken) });
  }
  const missing = wanted.filter((n) => !found.has(n));
  if (missing.length > 0) {
    const income = await incomeAccountForNewItems(deps);
    for (const name of missing) {
      const created = await deps.qbo.create(
        "Item",
        { Name: name, Type: "Service", IncomeAccountRef: { value: income } },
        { requestId: requestIdFor([deps.qbo.realmId, "item", name]) },
      );
      if (!created.ok) {
        throw new LexError(
          "sync_setup_failed",
          `Could not create the QuickBooks item "${name}": ${created.error.message}`,
          {
            cause: created.error,
          },
        );
      }
      found.set(name, String(created.value.Id));
    }
  }
  const idOf = (key: keyof InvoiceItemIds) => found.get(names[key])!;
  const ids: InvoiceItemIds = {
    services: idOf("services"),
    expenses: idOf("expenses"),
    tax: idOf("tax"),
    interest: idOf("interest"),
    adjustment: idOf("adjustment"),
    credit: idOf("credit"),
  };
  await deps.store.commit(
    { kv: { [KV_KEY]: JSON.stringify(ids), [NAMES_KV_KEY]: JSON.stringify(names) } },
    deps.clock.now(),
  );
  for (const item of inactive) await markRefInactive(deps, { entity: "Item", ...item });
  return ids;
}
