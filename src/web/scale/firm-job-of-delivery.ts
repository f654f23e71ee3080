import { changeSyncOf } from "../../app/targeted-changes.ts";
import type { FirmJobPayload } from "../../app/worker/firm-jobs.ts";
import type { Logger } from "../../core/logger.ts";
import type { NamedRecord, WebhookProvider } from "../webhooks/webhook-deps.ts";

/**
 * The job one verified delivery queues for its firm in scale mode: the targeted sync of the
 * records it names (the same decision as embedded serve's, targeted-changes.ts), or the firm's pass
 * when they cannot be targeted. Each delivery is its own job; the firm's queue runs them in turn.
 */
export function firmJobOfDelivery(
  firmId: string,
  provider: WebhookProvider,
  records: readonly NamedRecord[],
  logger: Logger,
): FirmJobPayload {
  const decision = changeSyncOf(records.map((r) => ({ provider, ...r })));
  if ("targets" in decision) return { firmId, kind: "targeted", targets: decision.targets };
  logger.info({ firm: firmId, reason: decision.fallback }, "webhook: queuing the firm's pass");
  return { firmId, kind: "pass" };
}
