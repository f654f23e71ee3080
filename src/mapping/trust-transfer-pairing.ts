import { parseMoney } from "../core/money.ts";
import type { ClioTrustTransactionView } from "./trust-journal.ts";

/**
 * Pairs the two legs of a Clio matter-to-matter trust transfer from fields real Clio returns
 * (clio-api.md §5.7): Clio has no transfer list and names no transfer on a bank transaction, so
 * which transaction left one ledger and which reached the other must be read from the legs.
 *
 * A leg is a trust transaction whose `transaction_type` or `source` names a transfer and that is no
 * bill payment. Two legs can pair only when they are in the same bank account, on the same date,
 * for the same amount, one `funds_out` and the other `funds_in`, for a different matter or client
 * (the hard rule). Among several candidates, these narrow, in order, each only when it leaves at
 * least one: the same transaction_type, the same description, the same confirmation (reference),
 * created within a minute of each other, adjacent ids. A pair forms only when each leg is the
 * other's one remaining candidate; anything else stays unpaired or ambiguous — never a guess.
 * A pair already written (its journal entry exists) is kept while it still meets the hard rule,
 * so a later look-alike transfer never re-pairs it.
 */
export type LegPairing =
  | { state: "paired"; key: string; from: string; to: string }
  | { state: "unpaired" }
  | { state: "ambiguous"; candidates: string[] };

export interface TransferPair {
  from: string;
  to: string;
}

/** The movement key of a paired transfer: its outgoing leg, then its incoming leg. */
export const transferKey = (from: string, to: string) => `transfer:${from}-${to}`;

export function parseTransferKey(key: string): TransferPair | undefined {
  const m = /^transfer:([^-]+)-([^-]+)$/.exec(key);
  return m ? { from: m[1]!, to: m[2]! } : undefined;
}

/** Money into the ledger (1), out of it (-1), or neither / not money (0). */
function direction(tx: ClioTrustTransactionView): number {
  try {
    return Math.sign(parseMoney(tx.funds_in ?? 0) - parseMoney(tx.funds_out ?? 0));
  } catch {
    return 0;
  }
}

function amountCents(tx: ClioTrustTransactionView): number {
  return Math.abs(parseMoney(tx.funds_in ?? 0) - parseMoney(tx.funds_out ?? 0));
}

/**
 * Whether a transaction is one leg of a transfer. The values of transaction_type and source are
 * undocumented (§5.7, UNCONFIRMED); a transfer that does not say so is synced as a withdrawal and a
 * deposit, which still moves each client's liability by the right amount.
 */
export function isTransferLeg(tx: ClioTrustTransactionView): boolean {
  if (tx.bill !== null && tx.bill !== undefined) return false;
  if (!/transfer/i.test(`${tx.transaction_type ?? ""} ${tx.source ?? ""}`)) return false;
  return direction(tx) !== 0;
}

/** Legs that could pair share this: account, date and amount (null for a non-leg). */
export function transferBucket(tx: ClioTrustTransactionView): string | null {
  if (!isTransferLeg(tx)) return null;
  return `${String(tx.bank_account?.id ?? "")}|${String(tx.date ?? "").slice(0, 10)}|${amountCents(tx)}`;
}

const idOf = (tx: ClioTrustTransactionView) => String(tx.id);
const text = (v: string | null | undefined) => (v ?? "").replace(/\s+/g, " ").trim();

/** The hard rule: `from` leaves, `to` arrives, same bucket, another matter or client. */
function fits(from: ClioTrustTransactionView, to: ClioTrustTransactionView): boolean {
  if (direction(from) !== -1 || direction(to) !== 1) return false;
  if (transferBucket(from) !== transferBucket(to)) return false;
  const matter = (tx: ClioTrustTransactionView) => String(tx.matter?.id ?? "");
  const client = (tx: ClioTrustTransactionView) => String(tx.client?.id ?? "");
  return matter(from) !== matter(to) || client(from) !== client(to);
}

type Narrowing = (a: ClioTrustTransactionView, b: ClioTrustTransactionView) => boolean;

const NARROWINGS: Narrowing[] = [
  (a, b) => text(a.transaction_type) === text(b.transaction_type),
  (a, b) => text(a.description) === text(b.description),
  (a, b) => text(a.confirmation) === text(b.confirmation),
  (a, b) => {
    const ta = Date.parse(String(a.created_at ?? ""));
    const tb = Date.parse(String(b.created_at ?? ""));
    return Number.isFinite(ta) && Number.isFinite(tb) && Math.abs(ta - tb) <= 60_000;
  },
  (a, b) => Math.abs(Number(a.id) - Number(b.id)) === 1,
];

function narrow(leg: ClioTrustTransactionView, candidates: ClioTrustTransactionView[]) {
  let left = candidates;
  for (const same of NARROWINGS) {
    if (left.length <= 1) break;
    const next = left.filter((c) => same(leg, c));
    if (next.length > 0) left = next;
  }
  return left;
}

/**
 * Pairs the legs among `txs` (non-legs are ignored). `existing` are the pairs already written;
 * each is kept while both legs are here and still meet the hard rule.
 */
export function pairTransferLegs(
  txs: Iterable<ClioTrustTransactionView>,
  existing: Iterable<TransferPair> = [],
): Map<string, LegPairing> {
  const legs = new Map<string, ClioTrustTransactionView>();
  for (const tx of txs) if (isTransferLeg(tx)) legs.set(idOf(tx), tx);
  const out = new Map<string, LegPairing>();
  const pair = (from: string, to: string) => {
    const p = { state: "paired" as const, key: transferKey(from, to), from, to };
    out.set(from, p);
    out.set(to, p);
  };
  for (const { from, to } of existing) {
    const f = legs.get(from);
    const t = legs.get(to);
    if (f && t && !out.has(from) && !out.has(to) && fits(f, t)) pair(from, to);
  }
  const buckets = new Map<string, ClioTrustTransactionView[]>();
  for (const [id, leg] of legs) {
    if (out.has(id)) continue;
    const bucket = transferBucket(leg)!;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), leg]);
  }
  for (const bucket of buckets.values()) pairBucket(bucket, out, pair);
  return out;
}

/** Mutual unique matches within one bucket; the rest are unpaired or ambiguous. */
function pairBucket(
  bucket: ClioTrustTransactionView[],
  out: Map<string, LegPairing>,
  pair: (from: string, to: string) => void,
): void {
  const candidatesOf = (leg: ClioTrustTransactionView, open: ClioTrustTransactionView[]) =>
    open.filter((o) => (direction(leg) < 0 ? fits(leg, o) : fits(o, leg)));
  // Pairing two legs can leave others with one candidate each: repeat until nothing pairs.
  for (let paired = true; paired; ) {
    paired = false;
    const open = bucket.filter((l) => !out.has(idOf(l)));
    const choice = new Map(open.map((leg) => [leg, narrow(leg, candidatesOf(leg, open))]));
    for (const leg of open) {
      if (direction(leg) > 0 || out.has(idOf(leg))) continue;
      const [only, ...more] = choice.get(leg)!;
      if (!only || more.length > 0) continue;
      const back = choice.get(only)!;
      if (back.length === 1 && back[0] === leg) {
        pair(idOf(leg), idOf(only));
        paired = true;
      }
    }
  }
  const open = bucket.filter((l) => !out.has(idOf(l)));
  for (const leg of open) {
    const left = candidatesOf(leg, open);
    out.set(
      idOf(leg),
      left.length === 0 ? { state: "unpaired" } : { state: "ambiguous", candidates: left.map(idOf) },
    );
  }
}
