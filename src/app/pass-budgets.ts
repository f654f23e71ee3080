import { CLIO_MAX_PAGE } from "../clio/client.ts";
import { clioRateBudget } from "../clio/rate-budget.ts";
import { BATCH_SIZE } from "../engine/executor.ts";
import { qboBudget } from "../qbo/index.ts";
import type { RateBudgets } from "./pass-estimate.ts";

/** The budgets the engine's limiters start from (clio/rate-budget.ts, qbo/index.ts): the ETA's bounds. */
export function defaultBudgets(): RateBudgets {
  const clio = clioRateBudget().lanes.default!;
  const qboBatch = qboBudget("qbo:")!.lanes.batch!;
  return {
    clioPerMinute: clio.limit,
    clioBurst: clio.burst ?? clio.limit,
    clioPageSize: CLIO_MAX_PAGE,
    qboBatchesPerMinute: qboBatch.limit,
    qboBatchBurst: qboBatch.burst ?? qboBatch.limit,
    batchSize: BATCH_SIZE,
  };
}
