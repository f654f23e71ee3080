/**
 * The `qboDepositAccount` setting: the account Clio payments are deposited to, by name or id. QBO
 * accepts only a Bank or Other Current Asset account there; unset, QBO's default (Undeposited
 * Funds) is used. A setting naming no such account stops the pass before anything is written.
 */
import { LexError } from "../core/errors.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { EngineDeps } from "./ports.ts";

const DEPOSIT_TYPES = ["Bank", "Other Current Asset"];

export async function resolveDepositAccount(deps: EngineDeps): Promise<string | undefined> {
  const wanted = deps.settings.depositAccount;
  if (!wanted) return undefined;
  for await (const account of deps.qbo.queryAll<"Account">(qboQuery("Account"))) {
    if (account.Id !== wanted && account.Name !== wanted) continue;
    if (account.Active !== false && DEPOSIT_TYPES.includes(String(account.AccountType)))
      return String(account.Id);
    throw new LexError(
      "sync_setup_failed",
      `The qboDepositAccount "${wanted}" is a ${account.Active === false ? "inactive account" : `${account.AccountType} account`}; QuickBooks deposits payments only to an active Bank or Other Current Asset account`,
    );
  }
  throw new LexError(
    "sync_setup_failed",
    `QuickBooks has no account "${wanted}" (the qboDepositAccount setting)`,
  );
}
