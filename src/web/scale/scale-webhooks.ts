import type { Hono } from "hono";
import { readClioSubscriptions } from "../../app/clio-webhook-subscriptions.ts";
import { secretBoxFor } from "../../app/connections.ts";
import type { WebEnv } from "../web-env.ts";
import { firmRoutingReceivers } from "../webhooks/firm-routing.ts";
import { registerWebhookRoutes } from "../webhooks/routes.ts";
import type { DeliveryOutcome, WebhookProvider } from "../webhooks/webhook-deps.ts";
import type { ScaleDashboardDeps } from "./firm-dashboard.ts";
import { firmJobOfDelivery } from "./firm-job-of-delivery.ts";

export interface ScaleWebhookDeps extends ScaleDashboardDeps {
  /** How long a webhook delivery's fingerprint is kept (per firm). */
  dedupTtlMs: number;
  onDelivery?(provider: WebhookProvider, outcome: DeliveryOutcome): void;
}

/**
 * POST /webhooks/qbo and /webhooks/clio of scale mode: one endpoint per provider for every firm,
 * each delivery routed to its firm (firm-routing.ts) and taken there on the firm's store, with
 * the secrets of the firm's Clio subscriptions; a delivery queues the firm's pass.
 */
export function registerScaleWebhooks(app: Hono<WebEnv>, deps: ScaleWebhookDeps): void {
  const logger = deps.logger.child({ component: "webhooks" });
  const token = deps.installation.qboWebhookVerifierToken;
  registerWebhookRoutes(
    app,
    { logger, trustProxy: deps.trustProxy, onOutcome: deps.onDelivery },
    firmRoutingReceivers({
      routes: deps.routes,
      logger,
      qboVerifierToken: token,
      clioEnabled: Boolean(deps.installation.publicUrl),
      firmDeps: async (firmId, qboRealm) => {
        const store = deps.database.storeFor(firmId);
        const secrets = await readClioSubscriptions(
          store,
          secretBoxFor({ ...deps.installation, firm: firmId }),
        );
        return {
          store,
          clock: deps.clock,
          logger: logger.child({ firm: firmId }),
          dedupTtlMs: deps.dedupTtlMs,
          clio: () => ({ secrets, expectingHandshake: false }),
          qbo: token ? { verifierToken: token, connectedRealm: async () => qboRealm } : undefined,
          // A delivery queues the targeted sync of what it names on the firm's queue, or, when
          // that cannot be targeted, the firm's pass now (a pending one moves here; many share it).
          onChange: (provider, _receivedAt, records) =>
            void deps.queue
              .add(firmJobOfDelivery(firmId, provider, records, logger))
              .catch((error: unknown) =>
                logger.error({ err: error, firm: firmId }, "queuing a webhook's pass failed"),
              ),
        };
      },
    }),
  );
}
