import { billState, billTotals } from "../clio/domain/ledger.ts";
import { centsText } from "../clio/money.ts";
import type { ContactRec } from "../clio/records.ts";
import type { ClioState } from "../clio/state.ts";
import type { QboSeed } from "../shared/qbo-seed.ts";
import type { Prng } from "./prng.ts";

/**
 * The QBO company that "already has data" when lexbridge connects: customers that must link to
 * Clio clients (exact matches, incl. case/space differences in the e-mail), near misses that must
 * not link, a doubly-matching pair (ambiguous), vendors whose names collide with the DisplayName
 * lexbridge will give a client (QBO 6240) or with a client's plain name, and invoices whose
 * DocNumber equals a Clio bill number (QBO 6140).
 */
export interface QboSeedCounts {
  exactMatches: number;
  nearMisses: number;
  ambiguous: number;
  vendorCollisions: number;
  invoiceNumberCollisions: number;
}

/** The DisplayName lexbridge gives a new customer (PRODUCT.md §1.1), with QBO's forbidden characters cleaned. */
export function futureDisplayName(contact: ContactRec): string {
  const base = contact.name
    .replace(/[:\t\n\r]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return `${base} (Clio ${contact.id})`;
}

export function buildQboSeed(state: ClioState, rng: Prng): { seed: QboSeed; counts: QboSeedCounts } {
  const seed: QboSeed = { customers: [], vendors: [], invoices: [] };
  const counts: QboSeedCounts = {
    exactMatches: 0,
    nearMisses: 0,
    ambiguous: 0,
    vendorCollisions: 0,
    invoiceNumberCollisions: 0,
  };
  const used = new Set<string>();
  const unique = (name: string) => {
    let n =
      name
        .replace(/[:\t\n\r]/g, " ")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 90) || "Customer";
    for (let k = 2; used.has(n.toLowerCase()); k++) n = `${n.replace(/ \(\d+\)$/, "")} (${k})`;
    used.add(n.toLowerCase());
    return n;
  };
  const syncing: ContactRec[] = [];
  const seen = new Set<number>();
  for (const b of state.all("bills")) {
    const s = billState(state, b);
    if (b.kind === "trust_kind" || (s !== "awaiting_payment" && s !== "paid") || seen.has(b.client_id))
      continue;
    seen.add(b.client_id);
    syncing.push(state.get("contacts", b.client_id)!);
  }
  syncing.sort((a, b) => a.id - b.id);
  const customer = (
    c: ContactRec,
    email: string | undefined,
    tweak?: (body: Record<string, unknown>) => void,
  ) => {
    // QBO refuses ':', tabs and newlines in these fields, so a customer typed into QBO never has them.
    const clean = (v: string) =>
      v
        .replace(/[:\t\n\r]+/g, " ")
        .replace(/ {2,}/g, " ")
        .trim()
        .slice(0, 100);
    const body: Record<string, unknown> =
      c.type === "Person"
        ? { GivenName: clean(c.first_name ?? ""), FamilyName: clean(c.last_name ?? "") }
        : { CompanyName: clean(c.name) };
    // QBO keeps at most 100 characters of an email address: a longer one was never typed into QBO.
    if (email !== undefined && email.length <= 100) body.PrimaryEmailAddr = { Address: email };
    tweak?.(body);
    const display =
      c.type === "Person" ? `${String(body.GivenName)} ${String(body.FamilyName)}` : String(body.CompanyName);
    seed.customers.push({ DisplayName: unique(display), ...body });
  };
  for (const c of syncing) {
    const primary = c.email_addresses.find((e) => e.primary)?.address;
    const r = rng.next();
    if (primary && r < 0.12) {
      // Exact match; every third one differs only by case and surrounding spaces (still a match).
      const email = counts.exactMatches % 3 === 2 ? `  ${primary.toUpperCase()} ` : primary;
      customer(c, email);
      counts.exactMatches++;
    } else if (primary && r < 0.16) {
      customer(c, primary.replace("@", ".old@"));
      counts.nearMisses++;
    } else if (primary && r < 0.18 && c.type === "Person") {
      customer(c, primary, (b) => {
        b.FamilyName = `${String(b.FamilyName)}e`;
      });
      counts.nearMisses++;
    } else if (primary && r < 0.19) {
      customer(c, primary);
      customer(c, primary);
      counts.ambiguous++;
    } else if (r < 0.23) {
      seed.vendors.push({ DisplayName: unique(futureDisplayName(c)) });
      counts.vendorCollisions++;
    } else if (r < 0.25) {
      seed.vendors.push({ DisplayName: unique(c.name) });
      counts.vendorCollisions++;
    }
  }
  // QBO-only customers (never brought into Clio) whose invoices reuse Clio bill numbers.
  const numbers: string[] = [];
  for (const b of state.all("bills")) {
    const s = billState(state, b);
    if (b.kind !== "trust_kind" && (s === "awaiting_payment" || s === "paid") && rng.chance(0.03))
      numbers.push(b.number);
  }
  const qboOnly = Math.max(1, Math.min(20, Math.ceil(numbers.length / 10)));
  const qboNames: string[] = [];
  for (let i = 0; i < qboOnly; i++) {
    const name = unique(`QBO Only Customer ${i + 1}`);
    seed.customers.push({ DisplayName: name, CompanyName: name });
    qboNames.push(name);
  }
  numbers.forEach((number, i) => {
    const amount = centsText(rng.int(1000, 200000));
    seed.invoices.push({
      customerDisplayName: qboNames[i % qboNames.length]!,
      body: {
        DocNumber: number,
        TxnDate: "2021-12-15",
        Line: [
          {
            Amount: Number(amount),
            DetailType: "SalesItemLineDetail",
            Description: "Pre-existing QBO invoice",
            SalesItemLineDetail: { Qty: 1, UnitPrice: Number(amount) },
          },
        ],
      },
    });
    counts.invoiceNumberCollisions++;
  });
  return { seed, counts };
}

/** Sum of approved bill totals, for summaries. */
export function approvedTotal(state: ClioState): number {
  let sum = 0;
  for (const b of state.all("bills")) {
    const s = billState(state, b);
    if (b.kind !== "trust_kind" && (s === "awaiting_payment" || s === "paid"))
      sum += billTotals(state, b).total;
  }
  return sum;
}
