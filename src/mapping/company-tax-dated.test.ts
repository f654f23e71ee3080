import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CompanyTax, chooseCode, companyTaxOn } from "./company-tax.ts";

/** Nova Scotia HST: 15 % until 2025-03-31, 14 % from 2025-04-01 (TaxRate.EffectiveTaxRate). */
const company: CompanyTax = {
  model: "global",
  homeCurrency: "CAD",
  multiCurrency: false,
  codes: [
    { id: "3", name: "GST", rates: [5000] },
    {
      id: "9",
      name: "HST NS",
      rates: [14000],
      dated: [
        [
          { from: "2010-07-01", to: "2025-03-31", milli: 15000 },
          { from: "2025-04-01", milli: 14000 },
        ],
      ],
    },
  ],
};

describe("tax rates by date", () => {
  const cases: Array<[date: string | undefined, rate: number, code: string | undefined]> = [
    ["2025-03-31", 15000, "9"],
    ["2025-04-01", 14000, "9"],
    ["2025-03-31", 14000, undefined],
    ["2026-01-10", 14000, "9"],
    [undefined, 14000, "9"],
    ["2009-01-01", 14000, "9"], // before every period QBO lists: today's rate
  ];
  for (const [date, rate, code] of cases)
    it(`a ${rate / 1000} % bill dated ${date ?? "(none)"} → ${code ?? "no code"}`, () => {
      const choice = chooseCode(companyTaxOn(company, date), rate, {});
      assert.deepEqual("id" in choice ? choice.id : undefined, code);
    });

  it("a company without dated rates is returned as it is", () => {
    const plain = { ...company, codes: [company.codes[0]!] };
    assert.equal(companyTaxOn(plain, "2025-01-01"), plain);
  });
});
