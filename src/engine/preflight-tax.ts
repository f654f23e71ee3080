/**
 * `lexbridge doctor`, issue 14: the company's tax model and codes, its currencies, and Clio trust
 * movements that fall in QuickBooks' closed books — each with what breaks if it is left as it is.
 */
import { type CompanyTax, chooseCode, codeRate, percentText } from "../mapping/company-tax.ts";
import type { ClioTrustTransactionView } from "../mapping/trust-journal.ts";
import type { EngineDeps } from "./ports.ts";
import type { PreflightCheck } from "./preflight.ts";
import { trackingChecks } from "./preflight-tracking.ts";
import { trustCutoverChecks } from "./preflight-trust-cutover.ts";
import { resolveDepositAccount } from "./setup-deposit.ts";
import { readCompanyTax } from "./setup-tax.ts";

export async function taxAndCurrencyChecks(deps: EngineDeps): Promise<PreflightCheck[]> {
  let tax: CompanyTax;
  try {
    tax = await readCompanyTax(deps);
  } catch (error) {
    return [
      {
        id: "sales-tax",
        status: "fail",
        summary: `Cannot read the tax setup: ${(error as Error).message}`,
        impact: "Invoices cannot be given tax codes.",
      },
    ];
  }
  return [
    salesTaxCheck(tax, deps.settings.taxCodes ?? {}),
    currencyCheck(tax),
    await depositCheck(deps),
    ...(await trackingChecks(deps, tax)),
    ...(await closedTrustCheck(deps, tax)),
  ];
}

function salesTaxCheck(tax: CompanyTax, setting: Readonly<Record<string, string>>): PreflightCheck {
  const id = "sales-tax";
  if (tax.model === "none")
    return {
      id,
      status: "ok",
      summary: 'Sales tax is off in QuickBooks: Clio\'s tax is booked as a "Sales Tax (Clio)" item line',
      impact: "",
    };
  if (tax.model === "ast")
    return tax.astCodeId
      ? {
          id,
          status: "ok",
          summary: `US sales tax: Clio's tax amount overrides QuickBooks' on tax code ${tax.astCodeId}`,
          impact: "",
        }
      : {
          id,
          status: "fail",
          summary: "US sales tax is on but QuickBooks names no default sales tax code (TaxGroupCodeRef)",
          impact: "Bills with tax wait on Sync Status (sync_tax_code_missing): their tax could not be sent.",
        };
  const bad = Object.entries(setting).filter(
    ([, code]) => !tax.codes.some((c) => c.id === code || c.name === code),
  );
  const codes = tax.codes.map((c) => `${c.name} ${percentText(codeRate(c))}%`).join(", ");
  if (bad.length > 0)
    return {
      id,
      status: "fail",
      summary: `qboTaxCodes names codes QuickBooks does not have: ${bad.map(([r, c]) => `${r}=${c}`).join(", ")} (codes: ${codes})`,
      impact:
        "Lines at those rates wait on Sync Status (sync_tax_code_missing) until the setting names an existing code.",
    };
  const untaxed = chooseCode(tax, 0, setting);
  if ("missing" in untaxed)
    return {
      id,
      status: "fail",
      summary: `No single 0 % tax code: ${untaxed.candidates.join(", ") || "none"} — set qboTaxCodes, e.g. 0=${untaxed.candidates[0] ?? "Exempt"}`,
      impact:
        "Every invoice has untaxed lines (interest, discounts, rounding adjustments, untaxed fees) and every credit memo is untaxed: none syncs until QuickBooks' 0 % code is chosen (it decides where they appear on the tax return).",
    };
  return {
    id,
    status: "ok",
    summary: `Tax codes per line (QuickBooks computes the tax): ${codes}`,
    impact: "",
  };
}

async function depositCheck(deps: EngineDeps): Promise<PreflightCheck> {
  const id = "deposit-account";
  try {
    const account = await resolveDepositAccount(deps);
    return {
      id,
      status: "ok",
      summary: account
        ? `Payments are deposited to account ${account}`
        : "Payments are deposited to Undeposited Funds",
      impact: "",
    };
  } catch (error) {
    return {
      id,
      status: "fail",
      summary: (error as Error).message,
      impact:
        "No sync pass runs until qboDepositAccount names an active Bank or Other Current Asset account (or is unset).",
    };
  }
}

function currencyCheck(tax: CompanyTax): PreflightCheck {
  return {
    id: "currency",
    status: "ok",
    summary: `Home currency ${tax.homeCurrency}, multicurrency ${tax.multiCurrency ? "on" : "off"}`,
    impact: tax.multiCurrency
      ? ""
      : `Clio bills in another currency than ${tax.homeCurrency} wait on Sync Status (sync_currency_mismatch); they are never booked at face value.`,
  };
}

/** Clio trust movements dated on or before the closed-books date (and on or after trustStartDate). */
async function closedTrustCheck(deps: EngineDeps, tax: CompanyTax): Promise<PreflightCheck[]> {
  const close = tax.bookCloseDate;
  if (!close && !deps.settings.trustStartDate) return [];
  const transactions: ClioTrustTransactionView[] = [];
  for await (const page of deps.clio.list("bank_transaction", undefined)) transactions.push(...page.records);
  const cutover = await trustCutoverChecks(deps, transactions);
  if (!close) return cutover;
  const from = deps.settings.trustStartDate ?? "";
  let count = 0;
  for (const tx of transactions) {
    const date = String(tx.date ?? "").slice(0, 10);
    if (date && date <= close && date >= from) count += 1;
  }
  return [
    ...cutover,
    count === 0
      ? {
          id: "closed-books-trust",
          status: "ok",
          summary: `No Clio trust movement to post falls in the books closed through ${close}`,
          impact: "",
        }
      : {
          id: "closed-books-trust",
          status: "warn",
          summary: `${count} Clio trust movement${count === 1 ? " is" : "s are"} dated on or before ${close}, when the QuickBooks books are closed${from ? ` (and on or after trustStartDate ${from})` : ""}`,
          impact: `QuickBooks refuses them (6210): lexbridge posts none of them and lists them in one Sync Status item. If QuickBooks already holds that history, set trustStartDate after ${close}; otherwise reopen the period.`,
        },
  ];
}
