import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { clientAddress } from "../request-origin.ts";
import type { WebEnv } from "../web-env.ts";
import { type Reception, receiveClio, receiveQbo } from "./receivers.ts";
import type { DeliveryOutcome, WebhookDeps, WebhookProvider } from "./webhook-deps.ts";

/** Deliveries are ids and a few fields; Intuit sets no size limit, so this leaves room for a large batch. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const LEVEL: Record<DeliveryOutcome, "info" | "warn"> = {
  accepted: "info",
  handshake: "info",
  duplicate: "info",
  ignored: "info",
  forged: "warn",
  malformed: "warn",
  oversized: "warn",
  not_configured: "warn",
};

const TEXT: Record<DeliveryOutcome, string> = {
  accepted: "accepted",
  handshake: "",
  duplicate: "already received",
  ignored: "ignored",
  forged: "signature does not match",
  malformed: "not a delivery this receiver understands",
  oversized: "body too large",
  not_configured: "webhooks from this provider are not configured",
};

/**
 * POST /webhooks/clio and /webhooks/qbo: public (a delivery proves itself by its signature), the
 * body read raw (the signature covers its exact bytes) and at most WEBHOOK_BODY_LIMIT, one log
 * line per delivery. A failure inside answers 500, so the provider retries; it never ends serve.
 */
export function registerWebhooks(app: Hono<WebEnv>, deps: WebhookDeps): void {
  registerWebhookRoutes(app, deps, {
    clio: (raw, headers) => receiveClio(deps, raw, headers),
    qbo: (raw, headers) => receiveQbo(deps, raw, headers),
  });
}

/** Takes one provider's delivery: its raw body and headers in, the answer out. */
export type Receiver = (raw: Uint8Array, headers: Headers) => Promise<Reception>;

/**
 * The two routes with given receivers: one firm's (above), or scale mode's, which route each
 * delivery to its firm first (firm-routing.ts).
 */
export function registerWebhookRoutes(
  app: Hono<WebEnv>,
  deps: Pick<WebhookDeps, "logger" | "trustProxy" | "onOutcome">,
  receivers: Record<WebhookProvider, Receiver>,
): void {
  const route = (provider: WebhookProvider, receive: Receiver) => {
    const answer = (c: Context, r: Reception) => {
      deps.onOutcome?.(provider, r.outcome);
      const from = LEVEL[r.outcome] === "warn" ? { from: clientAddress(c, deps.trustProxy ?? false) } : {};
      deps.logger[LEVEL[r.outcome]](
        { provider, outcome: r.outcome, ...from, ...r.detail },
        "webhook delivery",
      );
      // The handshake's answer is its header; the others say in a word what became of the delivery.
      if (r.outcome === "handshake") return c.body(null, 200, r.headers ?? {});
      return c.text(TEXT[r.outcome], r.status as 200);
    };
    app.post(
      `/webhooks/${provider}`,
      bodyLimit({
        maxSize: WEBHOOK_BODY_LIMIT,
        onError: (c) => answer(c, { status: 413, outcome: "oversized" }),
      }),
      async (c) => {
        try {
          const raw = new Uint8Array(await c.req.arrayBuffer());
          return answer(c, await receive(raw, c.req.raw.headers));
        } catch (error) {
          deps.logger.error({ err: error, provider }, "webhook delivery failed; the provider will retry it");
          return c.text("The delivery could not be taken; retry later.", 500);
        }
      },
    );
  };
  route("clio", receivers.clio);
  route("qbo", receivers.qbo);
}
