import type { Pool } from "pg";
import type { Clock } from "../../core/clock.ts";
import type { Config } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import { WebhookRoutes } from "../../store/postgres/webhook-routes.ts";
import { ClioWebhookSubscriptions } from "../clio-webhook-subscriptions.ts";
import { loadConnection, secretBoxFor } from "../connections.ts";
import type { EngineHandle } from "../engine-factory.ts";
import { clioWebhookUrl } from "../webhook-url.ts";

/**
 * After a firm's pass in a worker: the firm's webhooks as scale mode's serve routes them. Its QBO
 * company is recorded as its (however it was connected: the dashboard or `lexbridge connect`);
 * with a publicUrl, its Clio subscriptions are checked — made, renewed, made anew (two reads when
 * nothing is due) — and recorded as its. Serve does not answer a new subscription's handshake in
 * scale mode (it cannot know the secret before this records it), so each is activated with its
 * secret by ClioWebhookSubscriptions, as when a handshake did not arrive.
 */
export async function keepFirmWebhooks(
  engine: EngineHandle,
  config: Config,
  pool: Pool,
  options: { firmId: string; clock: Clock; logger: Logger },
): Promise<void> {
  const { firmId, clock, logger } = options;
  const routes = new WebhookRoutes(pool);
  const box = secretBoxFor(config);
  const qbo = await loadConnection(engine.store, box, "qbo");
  await routes.setQboRealm(firmId, qbo?.realmId, clock.now());
  const url = clioWebhookUrl(config);
  if (!url) return;
  const subscriptions = new ClioWebhookSubscriptions({
    client: engine.clioClient,
    store: engine.store,
    box,
    clock,
    logger: logger.child({ component: "clio-webhooks" }),
    url,
  });
  await subscriptions.start();
  await subscriptions.stop();
  await routes.setClioWebhooks(
    firmId,
    subscriptions.list().map((s) => s.id),
    clock.now(),
  );
}
