import type { EngineDeps } from "./ports.ts";
import type { PreflightCheck } from "./preflight.ts";
import { incomeAccountForNewItems } from "./setup-income-account.ts";

/** `qboIncomeAccount`, when set: the account lexbridge's new items would be created on. */
export async function incomeAccountCheck(deps: EngineDeps): Promise<PreflightCheck[]> {
  const wanted = deps.settings.incomeAccount;
  if (!wanted) return [];
  const id = "income-account";
  try {
    const account = await incomeAccountForNewItems(deps);
    return [{ id, status: "ok", summary: `New items are created on Income account ${account}`, impact: "" }];
  } catch (error) {
    return [
      {
        id,
        status: "fail",
        summary: (error as Error).message,
        impact:
          "A pass that must create one of lexbridge's items (a first sync, a changed item name) stops until qboIncomeAccount names an active Income account (or is unset).",
      },
    ];
  }
}
