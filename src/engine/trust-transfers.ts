import type { ClioTrustTransactionView } from "../mapping/trust-journal.ts";
import {
  isTransferLeg,
  type LegPairing,
  pairTransferLegs,
  parseTransferKey,
  type TransferPair,
  transferBucket,
  transferKey,
} from "../mapping/trust-transfer-pairing.ts";
import type { MirrorRecord } from "../store/port.ts";

/** A mirrored Clio trust transaction (a tombstone when Clio no longer lists it). */
export type TrustRecord = MirrorRecord<"bank_transaction">;

import type { EngineDeps } from "./ports.ts";

/**
 * The mirror side of transfer pairing (src/mapping/trust-transfer-pairing.ts): legs that could
 * pair share a mirror parent (their account, date and amount), so the candidates of a leg are one
 * index look-up; a pair already written is its journal entry link `transfer:<from>-<to>`.
 */
export const transferParentId = (tx: ClioTrustTransactionView): string | null => {
  const bucket = transferBucket(tx);
  return bucket === null ? null : `TransferLeg:${bucket}`;
};

/** Every pair written so far, by each of its legs' ids. */
export async function writtenTransferPairs(deps: EngineDeps): Promise<Map<string, TransferPair>> {
  const out = new Map<string, TransferPair>();
  for (const link of await deps.store.listLinks("journal_entry")) {
    const pair = parseTransferKey(link.clioId);
    if (!pair) continue;
    out.set(pair.from, pair);
    out.set(pair.to, pair);
  }
  return out;
}

export interface TrustPairing {
  /** The mirrored transactions read: the seeds, every leg that could pair with them, and partners. */
  records: Map<string, TrustRecord>;
  /** The pairing of every live leg among them. */
  legs: Map<string, LegPairing>;
  /** The pair a leg was written in, if any. */
  written: Map<string, TransferPair>;
}

const view = (m: TrustRecord): ClioTrustTransactionView => m.data;
const isLive = (m: TrustRecord) => view(m).deleted !== true;

/**
 * Pairs the legs among `seeds` with every mirrored leg that could be their partner: the legs of
 * their buckets, and the partners they were written with (an edit may have moved one leg to
 * another bucket), and so on until no new leg turns up.
 */
export async function pairMirroredLegs(
  deps: EngineDeps,
  seeds: Iterable<TrustRecord>,
): Promise<TrustPairing> {
  const seedList = [...seeds];
  // Only legs consult the written pairs: a pass without a transfer leg does not list the links.
  const anyLeg = seedList.some((m) => isTransferLeg(view(m)));
  const written = anyLeg ? await writtenTransferPairs(deps) : new Map<string, TransferPair>();
  const records = new Map<string, TrustRecord>();
  const queue: TrustRecord[] = [];
  const add = (m: TrustRecord) => {
    if (records.has(m.id)) return;
    records.set(m.id, m);
    queue.push(m);
  };
  for (const m of seedList) add(m);
  const buckets = new Set<string>();
  while (queue.length > 0) {
    const m = queue.pop()!;
    if (!isTransferLeg(view(m))) continue;
    const pair = written.get(m.id);
    for (const id of pair ? [pair.from, pair.to] : []) {
      if (records.has(id)) continue;
      const partner = await deps.store.getMirror("bank_transaction", id);
      if (partner) add(partner);
    }
    const parent = transferParentId(view(m));
    if (parent === null || buckets.has(parent)) continue;
    buckets.add(parent);
    for (const r of await deps.store.listMirrorByParent("bank_transaction", parent)) add(r);
  }
  const live = [...records.values()].filter(isLive).map(view);
  const pairs = new Set([...written.values()]);
  return { records, legs: pairTransferLegs(live, pairs), written };
}

/**
 * The movement key a mirrored transaction belongs to: its transfer when paired, its written
 * transfer when deleted (so that entry is removed), otherwise the transaction itself.
 */
export function ownerKey(m: TrustRecord, pairing: TrustPairing): string {
  const tx = view(m);
  if (isTransferLeg(tx)) {
    const written = pairing.written.get(m.id);
    if (!isLive(m) && written) return transferKey(written.from, written.to);
    const p = pairing.legs.get(m.id);
    if (p?.state === "paired") return p.key;
  }
  return `tx:${m.id}`;
}
