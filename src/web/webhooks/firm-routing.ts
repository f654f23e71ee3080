import type { Logger } from "../../core/logger.ts";
import type { WebhookRoutes } from "../../store/postgres/webhook-routes.ts";
import { parseQboDelivery, verifyQboSignature } from "./qbo-events.ts";
import { type Reception, receiveClio, receiveQbo } from "./receivers.ts";
import type { Receiver } from "./routes.ts";
import type { DeliveryOutcome, WebhookDeps } from "./webhook-deps.ts";

export interface FirmRoutingDeps {
  routes: WebhookRoutes;
  logger: Logger;
  /** The installation's QBO app verifier token (one app for every firm); undefined: QBO webhooks off. */
  qboVerifierToken: string | undefined;
  /** Whether Clio webhooks are on (publicUrl set). */
  clioEnabled: boolean;
  /**
   * One firm's receiver dependencies: its store (replays are recognised per firm), its Clio
   * subscriptions' secrets, `qboRealm` as its company, and onChange queuing the firm's job.
   */
  firmDeps(firmId: string, qboRealm?: string): Promise<WebhookDeps>;
}

/** Which outcome a delivery split among firms reports: the most telling of its parts. */
const RANK: DeliveryOutcome[] = ["accepted", "duplicate", "ignored"];

/**
 * Scale mode's webhook receivers: a thin layer in front of the one-firm receivers (receivers.ts)
 * that finds the delivery's firm and hands it the delivery, which it then checks and takes as in
 * embedded mode. QBO deliveries name their company (CloudEvents `intuitaccountid`, legacy
 * `realmId`); one delivery may carry several companies' events, each routed to its firm. Clio
 * deliveries name their subscription (`meta.webhook_id`), which the firm's pass created. A
 * delivery for a company or subscription no firm has is ignored with a log line.
 */
export function firmRoutingReceivers(deps: FirmRoutingDeps): { clio: Receiver; qbo: Receiver } {
  return {
    qbo: async (raw, headers) => {
      const token = deps.qboVerifierToken;
      if (!token) return { status: 404, outcome: "not_configured" };
      // Checked here before anything is looked up, so an unsigned body cannot probe the routes.
      const signature = headers.get("intuit-signature") ?? undefined;
      if (!verifyQboSignature(raw, signature, token))
        return { status: 401, outcome: "forged", detail: { signature: signature ? "wrong" : "missing" } };
      const changes = parseJson(raw, parseQboDelivery);
      if (!changes) return { status: 400, outcome: "malformed" };
      const parts: Reception[] = [];
      const unknownRealms: string[] = [];
      for (const realm of new Set(changes.map((c) => c.realmId))) {
        const firmId = await deps.routes.firmOfQboRealm(realm);
        if (!firmId) unknownRealms.push(realm);
        else {
          const part = await receiveQbo(await deps.firmDeps(firmId, realm), raw, headers);
          parts.push({ ...part, detail: { firm: firmId, outcome: part.outcome, ...part.detail } });
        }
      }
      if (unknownRealms.length > 0)
        deps.logger.info(
          { provider: "qbo", realms: unknownRealms },
          "webhook events for a QuickBooks company no firm is connected to; ignored",
        );
      return combined(parts, { events: changes.length, ...(unknownRealms.length ? { unknownRealms } : {}) });
    },
    clio: async (raw, headers) => {
      if (!deps.clioEnabled) return { status: 404, outcome: "not_configured" };
      const webhookId = parseJson(
        raw,
        (body) => (body as { meta?: { webhook_id?: unknown } })?.meta?.webhook_id,
      );
      // A handshake carries no subscription we know yet (the worker creating it records it after
      // Clio answered): it is refused, and the worker activates the subscription with its secret.
      if (typeof webhookId !== "number")
        return { status: 401, outcome: "forged", detail: { webhookId: "none" } };
      const firmId = await deps.routes.firmOfClioWebhook(webhookId);
      if (!firmId) {
        deps.logger.info(
          { provider: "clio", webhookId },
          "webhook delivery for a Clio subscription no firm has; ignored",
        );
        return { status: 200, outcome: "ignored", detail: { webhookId } };
      }
      const reception = await receiveClio(await deps.firmDeps(firmId), raw, headers);
      return { ...reception, detail: { ...reception.detail, firm: firmId } };
    },
  };
}

function parseJson<T>(raw: Uint8Array, read: (body: unknown) => T): T | undefined {
  try {
    return read(JSON.parse(Buffer.from(raw).toString("utf8")));
  } catch {
    return undefined;
  }
}

function combined(parts: Reception[], detail: Record<string, unknown>): Reception {
  const outcome = RANK.find((o) => parts.some((p) => p.outcome === o)) ?? "ignored";
  return { status: 200, outcome, detail: { ...detail, firms: parts.map((p) => p.detail) } };
}
