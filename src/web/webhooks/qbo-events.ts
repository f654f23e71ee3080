import { createHmac, timingSafeEqual } from "node:crypto";

/** One change a QuickBooks webhook names: which company, which record, what happened. */
export interface QboChange {
  realmId: string;
  /** The entity as the API names it (Customer, Invoice, …). */
  entity: string;
  id: string;
  operation: string;
  /** What makes a repeat of this event recognisable (CloudEvents: its id). */
  dedupKey: string;
}

/**
 * `intuit-signature`: base64 HMAC-SHA256 of the raw body keyed with the app's verifier token
 * (qbo-api.md §11.2). The decoded digest is compared in constant time; a header that does not
 * decode to 32 bytes is refused before any comparison.
 */
export function verifyQboSignature(rawBody: Uint8Array, header: string | undefined, token: string): boolean {
  if (!header || !/^[A-Za-z0-9+/]+={0,2}$/.test(header.trim())) return false;
  const given = Buffer.from(header.trim(), "base64");
  const expected = createHmac("sha256", token).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The changes of a delivery in either format (qbo-api.md §11.1, §11.4): the CloudEvents array
 * (`qbo.<entity>.<verb>.v1`, mandatory for Intuit apps since 2026) or the legacy
 * `{eventNotifications:[{realmId, dataChangeEvent:{entities}}]}`; `undefined` when it is neither.
 * Legacy events carry no id, so their key is everything they say.
 */
export function parseQboDelivery(body: unknown): QboChange[] | undefined {
  if (Array.isArray(body)) {
    const out: QboChange[] = [];
    for (const event of body) {
      const e = event as Record<string, unknown> | null;
      const type = typeof e?.type === "string" ? /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(e.type) : null;
      if (!e || !type || !isText(e.id) || !isText(e.intuitaccountid) || !isText(e.intuitentityid))
        return undefined;
      out.push({
        realmId: e.intuitaccountid,
        entity: type[1]!,
        id: e.intuitentityid,
        operation: type[2]!,
        dedupKey: `ce:${e.id}`,
      });
    }
    return out;
  }
  const notifications = (body as { eventNotifications?: unknown } | null)?.eventNotifications;
  if (!Array.isArray(notifications)) return undefined;
  const out: QboChange[] = [];
  for (const n of notifications) {
    const realmId = (n as { realmId?: unknown } | null)?.realmId;
    const entities = (n as { dataChangeEvent?: { entities?: unknown } } | null)?.dataChangeEvent?.entities;
    if (!isText(realmId) || !Array.isArray(entities)) return undefined;
    for (const entity of entities) {
      const { name, id, operation, lastUpdated } = (entity ?? {}) as Record<string, unknown>;
      if (!isText(name) || !isText(id) || !isText(operation)) return undefined;
      const when = isText(lastUpdated) ? lastUpdated : "";
      out.push({
        realmId,
        entity: name,
        id,
        operation,
        dedupKey: `legacy:${realmId}:${name}:${id}:${operation}:${when}`,
      });
    }
  }
  return out;
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 200;
}
