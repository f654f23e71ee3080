import type { ClioSyncRecords } from "../clio/schemas/index.ts";
import type { MirrorKind, MirrorWrite } from "../store/port.ts";
import type { ClioListKind, EngineDeps } from "./ports.ts";
import { transferParentId } from "./trust-transfers.ts";

/** A Clio record with its kind, the two narrowing together. */
type KindedRecord = { [K in MirrorKind]: { kind: K; record: ClioSyncRecords[K] } }[MirrorKind];

/**
 * Which record owns a mirrored record: a line item its bill, an allocation its payment or credit
 * memo; a trust transfer leg's parent groups the legs it could pair with (trust-transfers.ts).
 */
function parentOf(r: KindedRecord): string | null {
  if (r.kind === "line_item") return refId(r.record.bill);
  if (r.kind === "allocation") {
    const parent = r.record.parent;
    return parent?.id === undefined ? null : `${String(parent.type)}:${String(parent.id)}`;
  }
  if (r.kind === "bank_transaction") {
    // The legs that could pair into one transfer share a parent: account, date and amount.
    return transferParentId(r.record);
  }
  return null;
}

function refId(value: { id: number } | null | undefined): string | null {
  return value?.id === undefined || value.id === null ? null : String(value.id);
}

export function toMirror<K extends MirrorKind>(kind: K, record: ClioSyncRecords[K]): MirrorWrite<K> {
  const kinded = { kind, record } as KindedRecord;
  return {
    kind,
    id: String(record.id),
    parentId: parentOf(kinded),
    // An allocation is found by its bill too, when a changed bill's allocations are compared.
    billId: kinded.kind === "allocation" ? refId(kinded.record.bill) : null,
    etag: String(record.etag ?? record.updated_at ?? ""),
    data: record,
  };
}

export interface PullStats {
  pages: number;
  records: number;
}

/**
 * Copies what changed in Clio since the stream's cursor into the mirror, page by page (each page
 * one commit, so memory stays bounded and a crash loses at most a page of reading). The cursor is
 * the time the scan started, stored only once the scan is complete; the next scan starts an
 * overlap window earlier, because `updated_since`'s precision and strictness are unconfirmed
 * (clio-api.md §2.4) — re-reading a record is harmless, its etag says it did not change.
 */
export async function pullClioStream(
  deps: EngineDeps,
  kind: ClioListKind,
  onPage?: (n: number) => void,
  onChanged?: (records: Record<string, unknown>[]) => void | Promise<void>,
): Promise<PullStats> {
  const stream = `clio:${kind}`;
  const cursor = await deps.store.getCursor(stream);
  const since =
    cursor === undefined ? undefined : new Date(Date.parse(cursor) - deps.settings.overlapMs).toISOString();
  const startedAt = new Date(deps.clock.now()).toISOString();
  const stats: PullStats = { pages: 0, records: 0 };
  for await (const page of deps.clio.list(kind, since)) {
    stats.pages++;
    stats.records += page.records.length;
    const mirror = page.records.map((r) => toMirror(kind, r));
    const changed = onChanged ? await changedRecords(deps, mirror, page.records) : [];
    await deps.store.commit({ mirror }, deps.clock.now());
    // Told once the page is in the mirror, so whatever it starts reads the page there.
    if (onChanged) await onChanged(changed);
    onPage?.(page.records.length);
    // A stop ends the scan between pages; the cursor stays, so the next run reads it again.
    deps.signal?.throwIfAborted();
  }
  await deps.store.commit({ cursors: { [stream]: startedAt } }, deps.clock.now());
  return stats;
}

/**
 * The records of a page that are new or whose etag differs from the mirror's: what changed in
 * Clio, as opposed to what the overlap window reads again (the reconciliation after a pass looks
 * only at the clients of what changed).
 */
export async function changedRecords(
  deps: EngineDeps,
  mirror: ReturnType<typeof toMirror>[],
  records: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const [i, m] of mirror.entries()) {
    const known = await deps.store.getMirror(m.kind, m.id);
    if (!known || known.etag !== m.etag) out.push(records[i]!);
  }
  return out;
}
