/**
 * Loads a QboSeed (issue 4's generated "existing data") into a realm through the normal create
 * rules: customers and vendors first, then invoices whose customer is named by DisplayName.
 */
import type { QboSeed } from "../shared/qbo-seed.ts";
import { taxModel } from "./company-tax.ts";
import type { EmulatorCore } from "./core.ts";
import { createEntity } from "./operations.ts";
import { get, type RealmState, table } from "./state.ts";

export interface SeedResult {
  customers: number;
  vendors: number;
  invoices: number;
}

export function loadQboSeed(core: EmulatorCore, realm: RealmState, seed: QboSeed): SeedResult {
  const ctx = () => core.context(realm, new Set(["allowduplicatedocnum"]));
  for (const c of seed.customers) createEntity(ctx(), "Customer", c);
  for (const v of seed.vendors) createEntity(ctx(), "Vendor", v);
  const byName = new Map<string, string>();
  for (const rec of Object.values(table(realm, "Customer"))) {
    const name = get.str(rec.data, "DisplayName");
    if (name !== undefined) byName.set(name, rec.id);
  }
  const codeless = untaxedCode(realm);
  for (const inv of seed.invoices) {
    const id = byName.get(inv.customerDisplayName);
    if (id === undefined) throw new Error(`Seed invoice names unknown customer ${inv.customerDisplayName}`);
    createEntity(ctx(), "Invoice", withTaxCodes({ ...inv.body, CustomerRef: { value: id } }, codeless));
  }
  return { customers: seed.customers.length, vendors: seed.vendors.length, invoices: seed.invoices.length };
}

/** In a CA/UK/AU company every line has a code: seeded lines without one get the first untaxed code. */
function untaxedCode(realm: RealmState): string | undefined {
  if (taxModel(realm) !== "global") return undefined;
  return Object.values(table(realm, "TaxCode")).find((c) => c.data.Taxable === false)?.id;
}

function withTaxCodes(body: Record<string, unknown>, code: string | undefined): Record<string, unknown> {
  if (code === undefined) return body;
  const lines = (body.Line as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    ...body,
    Line: lines.map((l) => {
      const d = l.SalesItemLineDetail as Record<string, unknown> | undefined;
      return d && !d.TaxCodeRef ? { ...l, SalesItemLineDetail: { ...d, TaxCodeRef: { value: code } } } : l;
    }),
  };
}
