import type { EngineDeps } from "./ports.ts";
import { incomeAccountCheck } from "./preflight-items.ts";
import { taxAndCurrencyChecks } from "./preflight-tax.ts";
import { checkTrustAccountTypes, readTrustAccountMap, TRUST_TYPES } from "./setup-trust.ts";

export interface PreflightCheck {
  id: string;
  /** `manual`: the API does not show this setting; the summary says where to look in QuickBooks. */
  status: "ok" | "warn" | "fail" | "manual";
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
  checks.push(duplicateNumberCheck(sales.CustomTxnNumbers === true));
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
  checks.push(...(await taxAndCurrencyChecks(deps)));
  checks.push(...(await incomeAccountCheck(deps)));
  return checks;
}

/**
 * Whether QuickBooks refuses an invoice number that is already used (fault 6140) is not in the
 * Preferences entity: its documented groups have no such field, and the OtherPrefs names seen in
 * real answers are WarnDuplicateCheckNumber and WarnDuplicateBillNumber, for checks and bills only
 * (docs/operations.md cites the sources). So doctor says it cannot check, and where to look.
 */
function duplicateNumberCheck(customNumbers: boolean): PreflightCheck {
  return {
    id: "duplicate-number-warning",
    status: "manual",
    summary:
      "Cannot check through the API whether QuickBooks refuses a reused invoice number: the company's Preferences carry no such setting",
    impact: `Check it in QuickBooks: Settings (gear) › Account and settings › Sales › Sales form content › Custom transaction numbers${customNumbers ? " (on here)" : " (off here)"}, then create an invoice with a number already used and see whether it is refused. Refused, lexbridge lists the clash on Sync Status (6140); accepted, two invoices can share a number. The duplicate-number warnings under Advanced › Other preferences cover checks and bills, not invoices.`,
  };
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
