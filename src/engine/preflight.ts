import type { EngineDeps } from "./ports.ts";
import { checkTrustAccountTypes, readTrustAccountMap, TRUST_TYPES } from "./setup-trust.ts";

export interface PreflightCheck {
  id: string;
  status: "ok" | "warn" | "fail";
  summary: string;
  /** What goes wrong in the sync if this is left as it is. */
  impact: string;
}

type Obj = Record<string, unknown>;

/**
 * `lexbridge doctor`: reads the QBO company's settings and says which ones will break the sync
 * (PRODUCT.md §2, pre-flight checks) — before anything is written.
 */
export async function runPreflight(deps: EngineDeps): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const info = await deps.qbo.read("CompanyInfo", deps.qbo.realmId);
  checks.push(
    info.ok
      ? {
          id: "connection",
          status: "ok",
          summary: `Connected to "${String((info.value as Obj).CompanyName)}" (realm ${deps.qbo.realmId})`,
          impact: "",
        }
      : {
          id: "connection",
          status: "fail",
          summary: `Cannot read the company: ${info.error.message}`,
          impact: "Nothing can sync until the connection works.",
        },
  );
  const prefs = await deps.qbo.read("Preferences", "");
  if (!prefs.ok) {
    checks.push({
      id: "preferences",
      status: "fail",
      summary: `Cannot read Preferences: ${prefs.error.message}`,
      impact: "The other checks cannot run.",
    });
    return checks;
  }
  const p = prefs.value as Obj;
  const sales = (p.SalesFormsPrefs ?? {}) as Obj;
  checks.push(
    sales.CustomTxnNumbers === true
      ? {
          id: "custom-transaction-numbers",
          status: "ok",
          summary: "Custom transaction numbers are on",
          impact: "",
        }
      : {
          id: "custom-transaction-numbers",
          status: "warn",
          summary: "Custom transaction numbers are off",
          impact:
            "Invoice numbers typed in QuickBooks are assigned by QuickBooks; turn the setting on so every invoice keeps its Clio bill number visibly and editably.",
        },
  );
  const nameValues = (((p.OtherPrefs ?? {}) as Obj).NameValue ?? []) as Array<{
    Name?: string;
    Value?: string;
  }>;
  const warnDup = nameValues.find((n) => n.Name === "WarnDuplicateDocNum")?.Value === "true";
  checks.push(
    warnDup
      ? {
          id: "duplicate-number-warning",
          status: "ok",
          summary: "Duplicate invoice numbers are refused",
          impact: "",
        }
      : {
          id: "duplicate-number-warning",
          status: "warn",
          summary: "Duplicate invoice numbers are allowed",
          impact:
            "An invoice whose number already exists in QuickBooks is written anyway, so two invoices can share a number; with the warning on, lexbridge lists the clash on Sync Status instead.",
        },
  );
  const closeDate = ((p.AccountingInfoPrefs ?? {}) as Obj).BookCloseDate as string | undefined;
  checks.push(
    closeDate && closeDate >= deps.settings.startDate
      ? {
          id: "closed-books",
          status: "warn",
          summary: `Books are closed through ${closeDate}, after the sync start date ${deps.settings.startDate}`,
          impact: `Bills, payments and credits dated on or before ${closeDate} are refused by QuickBooks (6210) and listed on Sync Status; move the start date after ${closeDate} or reopen the period.`,
        }
      : {
          id: "closed-books",
          status: "ok",
          summary: closeDate
            ? `Books closed through ${closeDate}, before the start date`
            : "No closing date set",
          impact: "",
        },
  );
  checks.push(...(await trustChecks(deps)));
  return checks;
}

/** PRODUCT.md §2: the trust accounts must be a trust Bank account and a trust liability. */
async function trustChecks(deps: EngineDeps): Promise<PreflightCheck[]> {
  const map = await readTrustAccountMap(deps);
  if (Object.keys(map).length === 0) {
    return [
      {
        id: "trust-accounts",
        status: "ok",
        summary:
          "No Clio trust account mapped yet: the first sync maps or creates the QuickBooks trust accounts",
        impact: "",
      },
    ];
  }
  const results = await checkTrustAccountTypes(deps);
  return results.map((r) => {
    const want = TRUST_TYPES[r.role];
    const name = map[r.clioId]?.name ?? r.clioId;
    return r.ok
      ? {
          id: `trust-${r.role}-${r.clioId}`,
          status: "ok" as const,
          summary: `Trust ${r.role} account for Clio "${name}": ${r.detail}`,
          impact: "",
        }
      : {
          id: `trust-${r.role}-${r.clioId}`,
          status: "fail" as const,
          summary: `Trust ${r.role} account for Clio "${name}": ${r.detail}, expected ${want.AccountType}/${want.AccountSubType}`,
          impact:
            "Trust journal entries would post client money to an account that is not a trust account, so the trust bank balance and the per-client trust liability cannot be reconciled; fix the account type in QuickBooks.",
        };
  });
}
