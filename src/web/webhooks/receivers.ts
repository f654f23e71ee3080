import { createHash, timingSafeEqual } from "node:crypto";
import { clioHandshakeSecret, parseClioWebhook, verifyClioWebhookSignature } from "../../clio/webhooks.ts";
import { parseQboDelivery, verifyQboSignature } from "./qbo-events.ts";
import type { DeliveryOutcome, NamedRecord, WebhookDeps } from "./webhook-deps.ts";

/** The answer to a delivery: its status, what became of it, and headers (the handshake's echo). */
export interface Reception {
  status: number;
  outcome: DeliveryOutcome;
  headers?: Record<string, string>;
  /** For the log line. */
  detail?: Record<string, unknown>;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * POST /webhooks/clio: the activation handshake (echo X-Hook-Secret, only for a subscription of
 * ours or while serve is creating one), else a delivery signed with one subscription's secret.
 * Clio signs no timestamp, so a replay is recognised by the body's SHA-256, kept for the TTL.
 */
export async function receiveClio(deps: WebhookDeps, raw: Uint8Array, headers: Headers): Promise<Reception> {
  const clio = deps.clio?.();
  if (!clio) return { status: 404, outcome: "not_configured" };
  const handshake = clioHandshakeSecret(headers);
  if (handshake !== undefined) {
    const ours = clio.secrets.some((s) => sameText(s.secret, handshake));
    if (!ours && !clio.expectingHandshake)
      return { status: 401, outcome: "forged", detail: { handshake: true } };
    return { status: 200, outcome: "handshake", headers: { "X-Hook-Secret": handshake } };
  }
  const signature = headers.get("x-hook-signature");
  const signer = clio.secrets.find((s) => verifyClioWebhookSignature(raw, signature, s.secret));
  if (!signer)
    return { status: 401, outcome: "forged", detail: { signature: signature ? "wrong" : "missing" } };
  const parsed = parseClioWebhook(Buffer.from(raw).toString("utf8"), signature, signer.secret);
  if (!parsed.ok) return { status: 400, outcome: "malformed", detail: { webhookId: signer.id } };
  const { data, meta } = parsed.value;
  const record: NamedRecord = { kind: signer.model, id: String(data.id), event: meta.event };
  const now = deps.clock.now();
  const fingerprint = `clio:${createHash("sha256").update(raw).digest("hex")}`;
  if (!(await deps.store.claimWebhookDelivery(fingerprint, now, now + deps.dedupTtlMs)))
    return { status: 200, outcome: "duplicate", detail: { record } };
  deps.onChange("clio", now, [record]);
  return { status: 200, outcome: "accepted", detail: { record } };
}

/**
 * POST /webhooks/qbo: a delivery signed with the app's verifier token, in the CloudEvents or the
 * legacy format. Events of another company than the connected one are ignored; each event is
 * taken once (CloudEvents by its id). The work is queued: the answer comes before any sync.
 */
export async function receiveQbo(deps: WebhookDeps, raw: Uint8Array, headers: Headers): Promise<Reception> {
  if (!deps.qbo) return { status: 404, outcome: "not_configured" };
  const signature = headers.get("intuit-signature") ?? undefined;
  if (!verifyQboSignature(raw, signature, deps.qbo.verifierToken))
    return { status: 401, outcome: "forged", detail: { signature: signature ? "wrong" : "missing" } };
  let changes: ReturnType<typeof parseQboDelivery>;
  try {
    changes = parseQboDelivery(JSON.parse(Buffer.from(raw).toString("utf8")));
  } catch {
    changes = undefined;
  }
  if (!changes) return { status: 400, outcome: "malformed" };
  const realm = await deps.qbo.connectedRealm();
  const ours = changes.filter((c) => c.realmId === realm);
  const others = [...new Set(changes.filter((c) => c.realmId !== realm).map((c) => c.realmId))];
  const now = deps.clock.now();
  const fresh: NamedRecord[] = [];
  for (const change of ours) {
    if (await deps.store.claimWebhookDelivery(`qbo:${change.dedupKey}`, now, now + deps.dedupTtlMs))
      fresh.push({ kind: change.entity, id: change.id, event: change.operation });
  }
  const detail = { events: changes.length, ...(others.length > 0 ? { otherRealms: others } : {}) };
  if (fresh.length > 0) {
    deps.onChange("qbo", now, fresh);
    return { status: 200, outcome: "accepted", detail: { ...detail, records: fresh } };
  }
  return { status: 200, outcome: ours.length > 0 ? "duplicate" : "ignored", detail };
}
