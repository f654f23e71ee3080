/**
 * `lexbridge doctor`, issue 14: before anything is written, whether each Clio trust account's QBO
 * liability account holds what the cut-over expects before `trustStartDate` (trust-cutover.ts):
 * Clio's balance then for an account mapped by `qboTrustAccounts`, nothing for one lexbridge finds
 * by name or creates (it posts each client's opening balance there).
 */
import { type Cents, formatMoney } from "../core/money.ts";
import { type ClioTrustTransactionView, signedAmount } from "../mapping/trust-journal.ts";
import type { EngineDeps } from "./ports.ts";
import type { PreflightCheck } from "./preflight.ts";
import {
  findAccount,
  findAccountByNameOrId,
  listClioTrustAccounts,
  readTrustAccountMap,
  trustAccountNames,
} from "./setup-trust.ts";
import { qboLiabilitiesBefore } from "./trust-cutover.ts";

export async function trustCutoverChecks(
  deps: EngineDeps,
  transactions: ClioTrustTransactionView[],
): Promise<PreflightCheck[]> {
  const date = deps.settings.trustStartDate;
  if (!date) return [];
  const clioBefore = new Map<string, Cents>();
  for (const tx of transactions) {
    const day = String(tx.date ?? "").slice(0, 10);
    if (!day || day >= date) continue;
    const account = String(tx.bank_account?.id ?? "");
    clioBefore.set(account, ((clioBefore.get(account) ?? 0) + signedAmount(tx)) as Cents);
  }
  const stored = await readTrustAccountMap(deps);
  const out: PreflightCheck[] = [];
  for (const account of await listClioTrustAccounts(deps)) {
    const id = String(account.id);
    const name = String(account.name ?? id);
    const clio = clioBefore.get(id) ?? (0 as Cents);
    const setting = deps.settings.trustAccounts?.[id] ?? deps.settings.trustAccounts?.[name];
    const mapped = stored[id] ? stored[id].mapped === true : setting !== undefined;
    const liability = stored[id]
      ? { Id: stored[id].liability, Name: stored[id].liability }
      : setting
        ? await findAccountByNameOrId(deps, setting.liability)
        : await findAccount(deps, trustAccountNames(name).liability);
    const check = { id: `trust-cutover-${id}` };
    if (!liability) {
      out.push(
        setting
          ? {
              ...check,
              status: "fail",
              summary: `qboTrustAccounts maps Clio trust account "${name}" to the liability account "${setting.liability}", which QuickBooks does not have`,
              impact: `Nothing of "${name}" is posted until the setting names an existing trust liability account (or is removed, and lexbridge creates its own accounts).`,
            }
          : {
              ...check,
              status: "ok",
              summary: `Clio trust account "${name}": lexbridge creates its QuickBooks accounts and posts each client's balance before ${date} (${formatMoney(clio)} in all) as an opening balance`,
              impact: "",
            },
      );
      continue;
    }
    const qbo = (await qboLiabilitiesBefore(deps, [String(liability.Id)], date)).get(
      String(liability.Id),
    )!.total;
    const want = mapped ? clio : (0 as Cents);
    const what = `QuickBooks liability account "${liability.Name ?? liability.Id}" holds ${formatMoney(qbo)} in journal entries dated before ${date}; Clio trust account "${name}" holds ${formatMoney(clio)} then`;
    out.push(
      qbo === want
        ? {
            ...check,
            status: "ok",
            summary: `${what}: ${mapped ? "QuickBooks holds the history, no opening balance is posted" : "each client's balance is posted as an opening balance"}`,
            impact: "",
          }
        : {
            ...check,
            status: "warn",
            summary: mapped
              ? `${what}, which differ`
              : `${what}, and lexbridge would post Clio's on top of it`,
            impact: `Nothing of "${name}" is posted (Sync Status: sync_trust_opening_mismatch) until ${mapped ? "the two balances agree" : "the account is mapped with qboTrustAccounts (if it holds the history) or another account is used"}; posting it anyway would count trust history twice or leave it out, and the per-client trust liability could not be reconciled.`,
          },
    );
  }
  return out;
}
