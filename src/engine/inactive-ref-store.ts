import {
  type InactiveRef,
  inactiveIssueKey,
  inactiveRefIssue,
  inactiveRefsOf,
  refKey,
} from "./planners/inactive-refs.ts";
import type { EngineDeps } from "./ports.ts";

/**
 * Which QBO items and accounts lexbridge relies on are inactive in QBO (planners/inactive-refs.ts),
 * kept in the store so every phase of every pass waits on them without asking QBO again.
 */
const KV_KEY = "qbo:inactive-refs";

export async function readInactiveRefs(deps: EngineDeps): Promise<Map<string, InactiveRef>> {
  const raw = await deps.store.getKv(KV_KEY);
  return inactiveRefsOf(raw ? (JSON.parse(raw) as InactiveRef[]) : []);
}

function kvOf(refs: Map<string, InactiveRef>) {
  return { [KV_KEY]: JSON.stringify([...refs.values()]) };
}

/**
 * An item or account lexbridge relies on was made inactive in QBO: remembered, with one Sync
 * Status item. Seen again while already known, only its SyncToken is kept current (the item is
 * not raised again: nothing was attempted).
 */
export async function markRefInactive(deps: EngineDeps, ref: InactiveRef): Promise<void> {
  const refs = await readInactiveRefs(deps);
  const known = refs.get(refKey(ref.entity, ref.id));
  if (known?.syncToken === ref.syncToken && known.name === ref.name) return;
  refs.set(refKey(ref.entity, ref.id), ref);
  await deps.store.commit(
    { kv: kvOf(refs), ...(known ? {} : { issues: [inactiveRefIssue(ref)] }) },
    deps.clock.now(),
  );
}

/** Active again (made so by lexbridge or in QBO): forgotten, and its item resolved. */
export async function markRefActive(
  deps: EngineDeps,
  ref: Pick<InactiveRef, "entity" | "id">,
): Promise<void> {
  const refs = await readInactiveRefs(deps);
  if (!refs.delete(refKey(ref.entity, ref.id))) return;
  await deps.store.commit({ kv: kvOf(refs), resolveIssues: [inactiveIssueKey(ref)] }, deps.clock.now());
}
