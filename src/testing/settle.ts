import type { FakeClock } from "../core/clock.ts";

/**
 * Drives a FakeClock until `promise` settles (or `maxMs` of fake time passed), then returns
 * its outcome. The outcome is observed at once, so a rejection is never reported as unhandled.
 */
export async function settleWithClock<T>(
  clock: FakeClock,
  promise: Promise<T>,
  stepMs = 1000,
  maxMs = 3_600_000,
): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  promise.then(
    (value) => {
      outcome = { ok: true, value };
    },
    (error: unknown) => {
      outcome = { ok: false, error };
    },
  );
  for (let elapsed = 0; outcome === undefined && elapsed < maxMs; elapsed += stepMs)
    await clock.advance(stepMs);
  await clock.advance(0);
  if (outcome === undefined) throw new Error(`did not settle within ${maxMs} ms of fake time`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
