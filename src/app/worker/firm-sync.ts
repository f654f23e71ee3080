import type { Logger } from "../../core/logger.ts";
import type { EngineDeps } from "../../engine/ports.ts";
import { type PassSummary, runSyncPass } from "../../engine/sync-pass.ts";
import type { FirmJobPayload } from "./firm-jobs.ts";

/**
 * The sync a firm's job runs: the pass, or for a webhook's job the targeted sync of the records
 * it named. When those cannot be targeted (no initial sync yet, a record QBO cannot show by id),
 * the pass runs instead, as serve does in embedded mode.
 */
export async function runFirmSync(
  deps: EngineDeps,
  payload: FirmJobPayload,
  logger: Logger,
): Promise<PassSummary> {
  if (payload.kind === "targeted" && payload.targets) {
    const summary = await runSyncPass(deps, { targets: payload.targets });
    const fallback = summary.targeted?.fallback;
    if (!fallback) return summary;
    logger.info(
      { firm: payload.firmId, reason: fallback },
      "webhook: targeted sync not possible; running the pass",
    );
  }
  return runSyncPass(deps);
}
