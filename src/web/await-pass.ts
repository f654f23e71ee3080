import type { PassRunner } from "../app/pass-runner.ts";
import type { Clock } from "../core/clock.ts";

/** How long an action waits for its pass before answering anyway (a large firm's pass takes minutes). */
export const PASS_WAIT_MS = 20_000;

/**
 * Runs a pass for an action (a re-sync, a match decision) and waits for it, up to PASS_WAIT_MS:
 * true when it finished in time, so the page can show its result; false when it goes on behind.
 */
export function awaitPass(runner: Pick<PassRunner, "runNow">, clock: Clock): Promise<boolean> {
  return awaitWork(runner.runNow(), clock);
}

/** Waits for any work an action started (a reconciliation), up to PASS_WAIT_MS: true when it ended. */
export async function awaitWork(work: Promise<unknown>, clock: Clock): Promise<boolean> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<false>((resolve) => {
    cancel = clock.setTimer(() => resolve(false), PASS_WAIT_MS);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    cancel?.();
  }
}
