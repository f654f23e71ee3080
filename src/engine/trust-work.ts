import type { ClioTrustTransactionView, TrustMovement } from "../mapping/trust-journal.ts";
import { parseOpeningKey } from "../mapping/trust-opening.ts";
import { isTransferLeg, parseTransferKey, transferKey } from "../mapping/trust-transfer-pairing.ts";
import { trustIssueKey } from "./issue-keys.ts";
import type { PassContext } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";
import { ownerKey, pairMirroredLegs, type TrustPairing, type TrustRecord } from "./trust-transfers.ts";

/*
 * Which trust movements a pass plans, and what each movement key stands for now. A key is
 * `tx:<id>` (one transaction) or `transfer:<from>-<to>` (two paired legs, trust-transfers.ts).
 */
const PAGE = 1000;

/** A transfer leg waits for its partner under these codes (its own `tx:` key). */
const LEG_WAITING = new Set(["sync_trust_transfer_unpaired", "sync_trust_transfer_ambiguous"]);

export interface TrustWork {
  keys: Set<string>;
  /** key → salt of a re-write the user asked for. */
  forced: Map<string, string>;
  /** key → the mirrored transactions it stands for (planned clean when it is). */
  owners: Map<string, string[]>;
  pairing: TrustPairing;
}

/**
 * The movements to plan: those of dirty transactions, of entries whose re-sync was asked, and of
 * every transaction of a client whose trust drift re-sync was asked; plus the transfers a dirty
 * leg was written in before, so an entry whose pair no longer holds is removed.
 */
export async function collectWork(deps: EngineDeps, ctx: PassContext): Promise<TrustWork> {
  const work: Omit<TrustWork, "pairing"> = { keys: new Set(), forced: new Map(), owners: new Map() };
  const seeds = new Map<string, TrustRecord>();
  // Only the records pairing needs are held: a transfer leg, or one whose leg item may resolve. A
  // plain transaction is just its id here, read again when its chunk is planned, so the phase
  // never holds every dirty transaction of an initial sync at once.
  const plain: string[] = [];
  await eachMirrored(deps, true, (m) => {
    if (isTransferLeg(m.data) || LEG_WAITING.has(ctx.openIssues.get(trustIssueKey(`tx:${m.id}`))?.code ?? ""))
      seeds.set(m.id, m);
    else plain.push(m.id);
  });
  const repairSalt = await requestedWork(deps, ctx, work, seeds);
  const pairing = await pairMirroredLegs(deps, seeds.values());
  const own = (id: string, key: string) => {
    work.keys.add(key);
    // A key's first owner as a one-element array: a spread would reserve 17 slots for each of an
    // initial sync's tens of thousands of keys (3.7 MB at the xlarge firm, measured).
    const owners = work.owners.get(key);
    if (owners) owners.push(id);
    else work.owners.set(key, [id]);
    const salt = repairSalt.get(id);
    if (salt !== undefined) work.forced.set(key, salt);
    const written = pairing.written.get(id);
    if (written) work.keys.add(transferKey(written.from, written.to));
  };
  for (const m of seeds.values()) own(m.id, ownerKey(m, pairing));
  for (const id of plain) if (!seeds.has(id)) own(id, `tx:${id}`); // ownerKey of a transaction not a leg
  // A pair planned for one dirty leg also stands for its other leg.
  for (const [key, ids] of work.owners) {
    const pair = parseTransferKey(key);
    for (const id of pair ? [pair.from, pair.to] : []) {
      const m = pairing.records.get(id);
      if (m && !ids.includes(id) && ownerKey(m, pairing) === key) ids.push(id);
    }
  }
  return { ...work, pairing };
}

async function eachMirrored(deps: EngineDeps, dirtyOnly: boolean, visit: (m: TrustRecord) => void) {
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bank_transaction", { dirtyOnly, afterId: after, limit: PAGE });
    for (const m of page) visit(m);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
}

/**
 * What the user asked to re-sync: an entry (its key, with a salt), or a client's trust drift (all
 * its transactions, and its entries whose transactions are gone). Returns the salt per record.
 */
async function requestedWork(
  deps: EngineDeps,
  ctx: PassContext,
  work: Omit<TrustWork, "pairing">,
  seeds: Map<string, TrustRecord>,
): Promise<Map<string, string>> {
  const repairClients = new Map<string, string>();
  for (const issue of ctx.openIssues.values()) {
    if (!issue.retryRequested) continue;
    if (issue.key.startsWith("journal_entry:")) {
      const key = issue.key.slice("journal_entry:".length);
      if (parseOpeningKey(key)) continue; // an opening balance is planned by trust-cutover.ts
      work.keys.add(key);
      work.forced.set(key, `r${issue.attempts}`);
      for (const m of await trustRecords(deps, key)) seeds.set(m.id, m);
    } else if (issue.key.startsWith("trust:")) {
      repairClients.set(issue.key.slice("trust:".length), `d${issue.attempts}`);
    }
  }
  const repairSalt = new Map<string, string>();
  if (repairClients.size === 0) return repairSalt;
  await eachMirrored(deps, false, (m) => {
    const salt = repairClients.get(String(m.data.client?.id ?? ""));
    if (salt === undefined) return;
    seeds.set(m.id, m);
    repairSalt.set(m.id, salt);
  });
  for (const link of await deps.store.listLinks("journal_entry")) {
    if (parseOpeningKey(link.clioId)) continue; // no transaction of its own: trust-cutover.ts plans it
    if ((await trustRecords(deps, link.clioId)).length === 0) work.keys.add(link.clioId);
  }
  return repairSalt;
}

/** Open "waiting for its partner" items of legs that are now paired, or deleted. */
export function pairedLegIssues(ctx: PassContext, pairing: TrustPairing): string[] {
  const out: string[] = [];
  for (const [id, m] of pairing.records) {
    const key = trustIssueKey(`tx:${id}`);
    const open = ctx.openIssues.get(key);
    if (!open || !LEG_WAITING.has(open.code)) continue;
    const tx = m.data;
    if (tx.deleted || !isTransferLeg(tx) || pairing.legs.get(id)?.state === "paired") out.push(key);
  }
  return out;
}

export function byKey(a: string, b: string): number {
  const [ka, ia] = a.split(":") as [string, string];
  const [kb, ib] = b.split(":") as [string, string];
  if (ka !== kb) return ka < kb ? -1 : 1;
  const d = Number.parseInt(ia, 10) - Number.parseInt(ib, 10);
  return d !== 0 ? d : ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * The mirrored transactions of a movement key (tombstones of deleted ones included); for an opening
 * balance, the client's transactions before the cut-over in that account.
 */
export async function trustRecords(deps: EngineDeps, key: string): Promise<TrustRecord[]> {
  const opening = parseOpeningKey(key);
  if (opening) return openingRecords(deps, opening.account, opening.client);
  const pair = parseTransferKey(key);
  const ids = pair ? [pair.from, pair.to] : key.startsWith("tx:") ? [key.slice("tx:".length)] : [];
  const out: TrustRecord[] = [];
  for (const id of ids) {
    const m = await deps.store.getMirror("bank_transaction", id);
    if (m) out.push(m);
  }
  return out;
}

/**
 * One read of the mirror: only when an opening balance's entry was edited in QBO (pull-qbo.ts marks
 * these dirty, so the trust phase writes the entry again from Clio) — rare, and there is no index
 * of transactions by client.
 */
async function openingRecords(deps: EngineDeps, account: string, client: string): Promise<TrustRecord[]> {
  const date = deps.settings.trustStartDate;
  const out: TrustRecord[] = [];
  if (!date) return out;
  await eachMirrored(deps, false, (m) => {
    const day = String(m.data.date ?? "").slice(0, 10);
    if (
      day &&
      day < date &&
      String(m.data.bank_account?.id ?? "") === account &&
      String(m.data.client?.id ?? "") === client
    )
      out.push(m);
  });
  return out;
}

/**
 * What a key stands for now: a movement to write, a leg that waits for its partner, or nothing
 * (its transactions were deleted, or a transfer whose legs no longer pair — its entry is removed).
 */
export type KeyState =
  | { kind: "movement"; movement: TrustMovement }
  | { kind: "waiting"; tx: ClioTrustTransactionView; candidates: string[] }
  | { kind: "gone" };

export async function stateOf(deps: EngineDeps, key: string, pairing: TrustPairing): Promise<KeyState> {
  const live = async (id: string) => {
    const m = pairing.records.get(id) ?? (await deps.store.getMirror("bank_transaction", id));
    const tx = m?.data;
    return tx && tx.deleted !== true ? tx : undefined;
  };
  const pair = parseTransferKey(key);
  if (pair) {
    const p = pairing.legs.get(pair.from);
    const [from, to] = [await live(pair.from), await live(pair.to)];
    const holds = p?.state === "paired" && p.key === key && pairing.legs.get(pair.to) === p;
    return holds && from && to
      ? { kind: "movement", movement: { kind: "transfer", from, to } }
      : { kind: "gone" };
  }
  const id = key.slice("tx:".length);
  const tx = key.startsWith("tx:") ? await live(id) : undefined;
  if (!tx) return { kind: "gone" };
  if (!isTransferLeg(tx)) return { kind: "movement", movement: { kind: "single", tx } };
  const p = pairing.legs.get(id);
  if (p?.state === "paired") return { kind: "gone" }; // it belongs to its transfer's entry
  return { kind: "waiting", tx, candidates: p?.state === "ambiguous" ? p.candidates : [] };
}
