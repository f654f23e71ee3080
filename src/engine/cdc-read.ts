/**
 * Reads QBO's change feed (CDC, reference §6) without trusting an answer that may have been cut
 * short. Intuit's CDC page: "Server responses can handle a maximum of 1,000 objects. We suggest
 * you query for shorter time periods." An answer holding 1,000 objects may therefore be
 * incomplete; it is split by entity, each read on its own, and an entity that still fills an
 * answer by itself is left to the full compare (full-compare.ts).
 *
 * Why not halve the time window further: CDC takes a lower bound only (`changedSince`), so the
 * older half of a window cannot be asked for without the newer half, and which objects a full
 * answer leaves out is unconfirmed (reference §15 item 5). Reading the linked records' current
 * state answers the question whatever QBO cut.
 */
import { isLexError } from "../core/errors.ts";
import type { QboEntityName } from "../qbo/schemas.ts";
import type { QboPort } from "./ports.ts";

/** The most objects one CDC answer holds (reference §6). */
export const CDC_ANSWER_CAP = 1000;
/** How far back CDC looks (reference §6): older `changedSince` values are refused. */
export const CDC_LOOKBACK_MS = 30 * 24 * 3600_000;

export interface EntityChanges {
  changed: Record<string, unknown>[];
  deleted: string[];
}

export interface CdcRead {
  /** The earliest answer's `time`: the next cursor (undefined when nothing was read). */
  time: string | undefined;
  /** Entities whose changes were read completely. */
  complete: Map<QboEntityName, EntityChanges>;
  /** Entities to compare in full: their answer was full, or QBO refused the window. */
  incomplete: QboEntityName[];
}

export async function readCdc(
  qbo: Pick<QboPort, "cdc">,
  entities: QboEntityName[],
  since: Date,
): Promise<CdcRead> {
  const out: CdcRead = { time: undefined, complete: new Map(), incomplete: [] };
  await readInto(qbo, entities, since, out);
  return out;
}

async function readInto(qbo: Pick<QboPort, "cdc">, entities: QboEntityName[], since: Date, out: CdcRead) {
  const answer = await qbo.cdc(entities, since);
  if (!answer.ok) {
    // The window was older than QBO allows (a clock apart from QBO's): compare instead.
    if (isLexError(answer.error) && answer.error.code === "qbo_cdc_window") {
      out.incomplete.push(...entities);
      return;
    }
    throw answer.error;
  }
  const { changed, deleted, time } = answer.value;
  if (out.time === undefined || time < out.time) out.time = time;
  const size = (e: string) => (changed[e]?.length ?? 0) + (deleted[e]?.length ?? 0);
  const total = entities.reduce((n, e) => n + size(e), 0);
  if (total < CDC_ANSWER_CAP) {
    for (const e of entities) out.complete.set(e, { changed: changed[e] ?? [], deleted: deleted[e] ?? [] });
    return;
  }
  if (entities.length === 1) {
    out.incomplete.push(entities[0]!);
    return;
  }
  for (const e of entities) await readInto(qbo, [e], since, out);
}
