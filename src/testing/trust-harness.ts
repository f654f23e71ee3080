import type { EngineHandle } from "../app/engine-factory.ts";
import { parseMoney } from "../core/money.ts";
import { ledgerBalances } from "../emulators/clio/domain/ledger.ts";
import type { ClioState } from "../emulators/clio/state.ts";
import { readTrustAccountMap } from "../engine/setup-trust.ts";
import { liabilityByCustomer } from "../mapping/trust-journal.ts";
import { qboQuery } from "../qbo/query-builder.ts";

/** Each client's trust ledger in Clio's own state (cents), for every client with trust activity. */
export function clioTrustBalances(state: ClioState, trustAccountId: number): Map<string, number> {
  const clients = new Set<number>();
  for (const t of state.all("bank_transactions"))
    if (t.bank_account_id === trustAccountId && t.client_id !== null) clients.add(t.client_id);
  const out = new Map<string, number>();
  for (const c of clients)
    out.set(
      String(c),
      ledgerBalances(state, "client", c).find((b) => b.account_id === trustAccountId)?.balance ?? 0,
    );
  return out;
}

export interface QboTrustView {
  /** QBO customer id → liability attributed (cents). */
  byCustomer: Map<string, number>;
  entries: Array<Record<string, unknown>>;
  bankBalance: number;
  liabilityBalance: number;
}

/** The trust side of the QBO company, read through the API. */
export async function qboTrust(engine: EngineHandle): Promise<QboTrustView> {
  const map = await readTrustAccountMap(engine.deps);
  const pair = Object.values(map)[0]!;
  const byCustomer = new Map<string, number>();
  const entries: Array<Record<string, unknown>> = [];
  for await (const je of engine.deps.qbo.queryAll<"JournalEntry">(qboQuery("JournalEntry"))) {
    entries.push(je as Record<string, unknown>);
    for (const [c, v] of liabilityByCustomer(je as Record<string, unknown>, new Set([pair.liability])))
      byCustomer.set(c, (byCustomer.get(c) ?? 0) + v);
  }
  const balance = async (id: string) => {
    const r = await engine.deps.qbo.read("Account", id);
    if (!r.ok) throw r.error;
    return parseMoney((r.value as { CurrentBalance?: number }).CurrentBalance ?? 0) as number;
  };
  return {
    byCustomer,
    entries,
    bankBalance: await balance(pair.bank),
    liabilityBalance: await balance(pair.liability),
  };
}
