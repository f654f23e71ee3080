/**
 * Validation of tax codes and currencies on sales transactions and customers
 * (qbo-tax-and-currency.md §7 E4, E10–E12, E23–E24, E28). Fault texts marked UNCONFIRMED in the
 * reference are the emulator's best guess.
 */
import { homeCurrency, multiCurrencyEnabled, profileOf, taxModel } from "./company-tax.ts";
import { faults } from "./faults.ts";
import { get, type Obj, type RealmState, table } from "./state.ts";

const GLOBAL_TAX_CALCULATION = ["TaxExcluded", "TaxInclusive", "NotApplicable"];

export function validateSalesTax(realm: RealmState, data: Obj, lines: Obj[]): void {
  const model = taxModel(realm);
  const codes = table(realm, "TaxCode");
  if (model === "global") {
    const g = get.str(data, "GlobalTaxCalculation");
    if (g !== undefined && !GLOBAL_TAX_CALCULATION.includes(g))
      throw faults.invalidEnum("GlobalTaxCalculation", g);
  }
  lines.forEach((line) => {
    if (line.DetailType !== "SalesItemLineDetail" && line.DetailType !== "DiscountLineDetail") return;
    const code = get.ref(get.obj(line, line.DetailType), "TaxCodeRef");
    if (model === "global") {
      if (code === undefined) {
        if (line.DetailType === "DiscountLineDetail") return;
        // Verbatim API output in CA [AP8539] and UK [MCP94]; AU wording UNCONFIRMED.
        throw faults.business(
          `Make sure all your transactions have a ${profileOf(realm).missingRateWord ?? "tax"} rate before you save.`,
          "TaxCodeRef",
        );
      }
      if (!codes[code] || code === "TAX" || code === "NON") throw faults.invalidRef("TaxCode", code);
    } else if (
      code !== undefined &&
      line.DetailType === "SalesItemLineDetail" &&
      code !== "TAX" &&
      code !== "NON"
    ) {
      throw faults.invalidTaxCode(code);
    }
  });
  const txnCode = get.ref(get.obj(data, "TxnTaxDetail"), "TxnTaxCodeRef");
  if (model === "ast" && txnCode !== undefined && !codes[txnCode])
    throw faults.invalidRef("TaxCode", txnCode);
  validateTxnCurrency(realm, data);
}

function validateTxnCurrency(realm: RealmState, data: Obj): void {
  const currency = get.ref(data, "CurrencyRef");
  const home = homeCurrency(realm);
  if (!multiCurrencyEnabled(realm)) {
    // UNCONFIRMED text (reference §6.3): QBO refuses, the wording is a guess.
    if (currency !== undefined && currency !== home)
      throw faults.business(
        `Multicurrency is off: transactions must be in the home currency ${home}.`,
        "CurrencyRef",
      );
    return;
  }
  const customer = table(realm, "Customer")[get.ref(data, "CustomerRef") ?? ""];
  const customerCurrency = get.ref(customer?.data, "CurrencyRef") ?? home;
  if ((currency ?? home) !== customerCurrency)
    // [CNXCUR]; the exact fault for a currency other than the customer's is UNCONFIRMED.
    throw faults.business(
      "The transaction needs to be in the same currency as the A/R and A/P accounts you use.",
      "CurrencyRef",
    );
}

/** A customer's currency: the home one unless multicurrency is on; fixed once set (E24, E28). */
export function validateCustomerCurrency(realm: RealmState, data: Obj, prev: Obj | undefined): void {
  const home = homeCurrency(realm);
  const currency = get.ref(data, "CurrencyRef") ?? home;
  if (!multiCurrencyEnabled(realm) && currency !== home)
    throw faults.business(`Multicurrency is off: customers use the home currency ${home}.`, "CurrencyRef");
  const before = prev === undefined ? undefined : (get.ref(prev, "CurrencyRef") ?? home);
  if (before !== undefined && before !== currency)
    throw faults.business("You can't change the currency of a customer.", "CurrencyRef");
}
