/**
 * The `qboIncomeAccount` setting: the Income account of the Service items lexbridge creates, by
 * name or id. QuickBooks requires an Income account on a Service item (reference qbo-api.md,
 * Item). Unset, the company's first Income account is used, as before the setting existed. Only
 * items created from now on take it: an item that exists keeps the account it has.
 */
import { LexError } from "../core/errors.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { EngineDeps } from "./ports.ts";

export async function incomeAccountForNewItems(deps: EngineDeps): Promise<string> {
  const wanted = deps.settings.incomeAccount;
  if (!wanted) return firstIncomeAccount(deps);
  // Inactive accounts too, so a deactivated one is named as such rather than "not found".
  const query = qboQuery("Account").where("Active", "IN", [true, false]);
  for await (const account of deps.qbo.queryAll<"Account">(query)) {
    if (String(account.Id) !== wanted && account.Name !== wanted) continue;
    if (account.Active !== false && account.AccountType === "Income") return String(account.Id);
    throw new LexError(
      "sync_setup_failed",
      `The qboIncomeAccount "${wanted}" is ${account.Active === false ? "an inactive account" : `a ${account.AccountType} account`}; lexbridge's new items need an active Income account`,
    );
  }
  throw new LexError(
    "sync_setup_failed",
    `QuickBooks has no account "${wanted}" (the qboIncomeAccount setting)`,
  );
}

async function firstIncomeAccount(deps: EngineDeps): Promise<string> {
  const page = await deps.qbo.query<"Account">(
    qboQuery("Account").where("AccountType", "=", "Income").maxResults(10),
  );
  const account = page.ok ? page.value.items[0] : undefined;
  if (!account)
    throw new LexError(
      "sync_setup_failed",
      "The QuickBooks company has no Income account for lexbridge's items",
    );
  return String(account.Id);
}
