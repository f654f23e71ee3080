import { qboQuery } from "../qbo/query-builder.ts";
import type { CdcRead } from "./cdc-read.ts";
import { requestIdFor } from "./hash.ts";
import { markRefActive, markRefInactive, readInactiveRefs } from "./inactive-ref-store.ts";
import { raise } from "./issues.ts";
import { type PassContext, recordPlan } from "./pass-context.ts";
import { type InactiveRef, inactiveRefIssue, refKey, refsToReactivate } from "./planners/inactive-refs.ts";
import type { EngineDeps } from "./ports.ts";
import { readItemIds } from "./setup-items.ts";
import { readTrustAccountMap } from "./setup-trust.ts";

/**
 * Keeps the inactive items and accounts lexbridge relies on current (planners/inactive-refs.ts):
 * noticed from QBO's change feed, and made active again when the person re-syncs their item.
 */

/** The name-list entities whose changes the pass reads beside the linked ones. */
export const REFERENCE_ENTITIES = ["Item", "Account"] as const;
type RefEntity = (typeof REFERENCE_ENTITIES)[number];

/** The ids of the items and accounts lexbridge writes references to. */
async function reliedOn(deps: EngineDeps): Promise<Record<RefEntity, Set<string>>> {
  const items = await readItemIds(deps);
  const accounts = Object.values(await readTrustAccountMap(deps)).flatMap((p) => [p.bank, p.liability]);
  return { Item: new Set(items ? Object.values(items) : []), Account: new Set(accounts) };
}

/**
 * An item or account lexbridge relies on that changed in QBO: made inactive, it is marked so with
 * one item; made active, it is forgotten and its item resolved. Where the feed was incomplete, the
 * relied-on records are read by id instead (a few: six items, two accounts per trust account).
 */
export async function noteReferenceChanges(deps: EngineDeps, read: CdcRead): Promise<void> {
  const wanted = await reliedOn(deps);
  for (const entity of REFERENCE_ENTITIES) {
    const ids = wanted[entity];
    if (ids.size === 0) continue;
    const changed = read.complete.get(entity)?.changed ?? (await readByIds(deps, entity, [...ids]));
    for (const record of changed) {
      const id = String(record.Id);
      if (!ids.has(id)) continue;
      if (record.Active === false)
        await markRefInactive(deps, {
          entity,
          id,
          name: String(record.Name ?? id),
          syncToken: String(record.SyncToken),
        });
      else await markRefActive(deps, { entity, id });
    }
  }
}

async function readByIds(deps: EngineDeps, entity: RefEntity, ids: string[]) {
  const out: Record<string, unknown>[] = [];
  const q = qboQuery(entity).where("Id", "IN", ids).where("Active", "IN", [true, false]);
  for await (const record of deps.qbo.queryAll(q)) out.push(record as Record<string, unknown>);
  return out;
}

/**
 * `lexbridge resync` of an inactive item or account: a sparse update makes it active again (with
 * the SyncToken QBO has now), before the phases that send what waited on it are planned.
 */
export async function reactivateRequested(deps: EngineDeps, ctx: PassContext): Promise<void> {
  for (const ref of refsToReactivate(await readInactiveRefs(deps), ctx.openIssues)) {
    const current = await deps.qbo.read(ref.entity, ref.id);
    if (current.ok && current.value.Active !== false) {
      await markRefActive(deps, ref); // made active in QBO meanwhile
      continue;
    }
    const syncToken = current.ok ? String(current.value.SyncToken) : ref.syncToken;
    recordPlan(ctx, { phase: "setup", action: "reactivate", clioId: "", name: ref.name, qboId: ref.id });
    const done = await deps.qbo.sparseUpdate(
      ref.entity,
      { Id: ref.id, SyncToken: syncToken, Active: true },
      { requestId: requestIdFor([deps.qbo.realmId, "reactivate", refKey(ref.entity, ref.id), syncToken]) },
    );
    if (done.ok) await markRefActive(deps, ref);
    else await raise(deps, ctx, failedReactivation(ref, done.error.message));
  }
}

function failedReactivation(ref: InactiveRef, reason: string) {
  const issue = inactiveRefIssue(ref);
  return { ...issue, message: `${issue.message}. Making it active again failed: ${reason}` };
}
