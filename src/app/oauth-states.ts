import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.ts";

/** How long an authorization may take, from the printed address to the redirect. */
export const STATE_TTL_MS = 10 * 60_000;

export type StateCheck = "ok" | "unknown" | "expired";

/**
 * The `state` values of authorizations in progress (RFC 6749 §10.12: it binds the redirect to the
 * attempt that asked for it). Each is 256 random bits, good for one redirect and for 10 minutes.
 * Kept in memory: the process that prints the address is the one that receives the redirect.
 */
export class OAuthStates {
  readonly #clock: Clock;
  readonly #issued = new Map<string, { expiresAt: number; purpose: string }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  issue(purpose: string): string {
    const state = randomBytes(32).toString("base64url");
    this.#issued.set(state, { expiresAt: this.#clock.now() + STATE_TTL_MS, purpose });
    return state;
  }

  /** Consumes a state: whatever the answer, the same value is never accepted again. */
  consume(state: string | null, purpose: string): StateCheck {
    const entry = state === null ? undefined : this.#issued.get(state);
    if (!entry || entry.purpose !== purpose) return "unknown";
    this.#issued.delete(state!);
    return entry.expiresAt > this.#clock.now() ? "ok" : "expired";
  }
}
