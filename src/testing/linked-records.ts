import assert from "node:assert/strict";
import type { EngineHandle } from "../app/engine-factory.ts";
import type { QboEntityName } from "../qbo/schemas.ts";
import type { EntityKind } from "../store/port.ts";

type Row = Record<string, unknown>;

/** The QBO record linked to a Clio record, read fresh through the API (for end-to-end assertions). */
export async function linkedQboRecord(
  engine: EngineHandle,
  entity: EntityKind,
  qboEntity: QboEntityName,
  clioId: number | string,
): Promise<Row> {
  const link = await engine.store.getLink(entity, String(clioId));
  assert.ok(link, `no ${entity} link for Clio ${clioId}`);
  const r = await engine.deps.qbo.read(qboEntity, link.qboId);
  assert.ok(r.ok, `QBO ${qboEntity} ${link.qboId} cannot be read`);
  return r.value as Row;
}

/** A Clio contact as the sync reads it, through the API. */
export async function clioContactById(engine: EngineHandle, id: number | string): Promise<Row> {
  for await (const page of engine.deps.clio.list("contact", undefined)) {
    const found = page.records.find((r) => String(r.id) === String(id));
    if (found) return found;
  }
  throw new Error(`Clio contact ${id} not found`);
}
