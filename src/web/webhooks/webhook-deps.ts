import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { Store } from "../../store/port.ts";

export type WebhookProvider = "clio" | "qbo";

/**
 * What became of a delivery (logged, and counted by /metrics): `accepted` started a sync,
 * `duplicate` and `ignored` (another company, nothing we sync) are answered 200 and change
 * nothing, the rest are refused.
 */
export type DeliveryOutcome =
  | "accepted"
  | "handshake"
  | "duplicate"
  | "ignored"
  | "forged"
  | "malformed"
  | "oversized"
  | "not_configured";

/** A record a delivery names; a sync of it follows within seconds. */
export interface NamedRecord {
  kind: string;
  id: string;
  event: string;
}

export interface WebhookDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Whether X-Forwarded-For names the sender in log lines (serve's `trustProxy`). */
  trustProxy?: boolean;
  /** How long a delivery's fingerprint is kept to recognise a replay. */
  dedupTtlMs: number;
  /** Clio: the subscriptions' secrets; undefined when no `publicUrl` is set. */
  clio:
    | (() => { secrets: Array<{ id: number; model: string; secret: string }>; expectingHandshake: boolean })
    | undefined;
  /** QBO: the verifier token, and the realm serve is connected to (undefined: none yet). */
  qbo: { verifierToken: string; connectedRealm(): Promise<string | undefined> } | undefined;
  /** Starts the sync of what a verified, new delivery names. */
  onChange(provider: WebhookProvider, receivedAt: number, records: NamedRecord[]): void;
  onOutcome?(provider: WebhookProvider, outcome: DeliveryOutcome): void;
}
