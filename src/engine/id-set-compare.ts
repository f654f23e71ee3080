import type { ClioIdListKind, EngineDeps } from "./ports.ts";
import { tombstonesFor } from "./tombstones.ts";

/** When the last complete compare started (ISO time), kept across passes and restarts. */
export const ID_COMPARE_KV = "clio:id-compare-at";

/** Bills first: a deleted bill's invoice is voided before its (already removed) payments matter. */
const KINDS: ClioIdListKind[] = ["bill", "allocation", "credit_memo"];
const PAGE = 1000;

export type IdCompareStep = "start" | "compare" | "wait";

/**
 * Whether this pass compares id sets. Never compared before → `start`: only the time is kept,
 * since a first pass has just read every record in full (nothing can be missing), and an upgraded
 * installation compares one period later. A time that cannot be read, or one ahead of the clock
 * (the clock was set back, and waiting for it could take any time), compares now.
 */
export function idCompareStep(lastAt: string | undefined, now: number, intervalMs: number): IdCompareStep {
  if (lastAt === undefined) return "start";
  const last = Date.parse(lastAt);
  if (Number.isNaN(last) || last > now) return "compare";
  return now - last >= intervalMs ? "compare" : "wait";
}

/**
 * The complete compare, for deletions no changed bill reveals (Clio keeps no tombstones,
 * clio-api.md §5.10): a payment deleted without its bill being touched, a credit memo, a bill that
 * Clio stops listing once void or deleted (whether it does is unconfirmed, §5.3). Every id Clio
 * lists of each kind is read with `fields=id` (200 a request), and each mirrored record Clio no
 * longer lists becomes a tombstone that the planners undo: invoice voided, payment voided or
 * rewritten, credit memo removed.
 *
 * It costs a request per 200 records of each kind (about 8 on the medium generated firm, a few
 * hundred on a large one), so it runs once per `idCompareIntervalMs` (default a day, the setting
 * `clioIdCompareHours`), not on every pass: an idle pass every 5 minutes stays far under a third of
 * Clio's 50 requests a minute. Runs after every stream was read (see tombstonesFor). A dry run
 * compares when due in its scratch copy of the store, so the next real pass compares too.
 */
export async function compareIdSets(
  deps: EngineDeps,
): Promise<{ compared: boolean; deleted: Record<string, number> }> {
  const now = deps.clock.now();
  const step = idCompareStep(await deps.store.getKv(ID_COMPARE_KV), now, deps.settings.idCompareIntervalMs);
  const stamp = { kv: { [ID_COMPARE_KV]: new Date(now).toISOString() } };
  if (step === "wait") return { compared: false, deleted: {} };
  if (step === "start") {
    await deps.store.commit(stamp, now);
    return { compared: false, deleted: {} };
  }
  const deleted: Record<string, number> = {};
  for (const kind of KINDS) {
    const listed = new Set<string>();
    for await (const ids of deps.clio.listIds(kind)) for (const id of ids) listed.add(id);
    deleted[kind] = 0;
    for (let after: string | undefined; ; ) {
      const page = await deps.store.listMirror(kind, { afterId: after, limit: PAGE });
      const tombstones = tombstonesFor(page, listed);
      deleted[kind] += tombstones.length;
      if (tombstones.length > 0) await deps.store.commit({ mirror: tombstones }, deps.clock.now());
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
  }
  await deps.store.commit(stamp, deps.clock.now());
  return { compared: true, deleted };
}
