import type { EngineDeps } from "./ports.ts";

/** The clients targeted syncs touched since the last ordinary pass (a JSON list). */
const KV = "reconcile:deferred-clients";

/**
 * A targeted sync does not reconcile (that is a few Clio calls per client, more than the sync
 * itself): its clients are kept here and reconciled after the next ordinary pass, which would not
 * see them as changed any more (their records hash equal by then).
 */
export async function deferReconciliation(deps: EngineDeps, clients: Iterable<string>): Promise<void> {
  const all = new Set([...(await readDeferred(deps)), ...clients]);
  if (all.size === 0) return;
  await deps.store.commit({ kv: { [KV]: JSON.stringify([...all].sort()) } }, deps.clock.now());
}

/** The clients deferred so far, forgotten once taken (the ordinary pass reconciles them). */
export async function takeDeferredClients(deps: EngineDeps): Promise<string[]> {
  const deferred = await readDeferred(deps);
  if (deferred.length > 0) await deps.store.commit({ kv: { [KV]: "[]" } }, deps.clock.now());
  return deferred;
}

async function readDeferred(deps: EngineDeps): Promise<string[]> {
  const raw = await deps.store.getKv(KV);
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === "string") : [];
  } catch {
    return []; // a damaged value only costs a reconciliation the daily full one makes anyway
  }
}
