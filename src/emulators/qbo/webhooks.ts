/**
 * Webhook delivery (reference §11): changes are gathered per realm for an aggregation window,
 * then POSTed as `{"eventNotifications":[…]}` (or a CloudEvents array) signed with
 * `intuit-signature` = base64(HMAC-SHA256(verifier token, body)). Failed deliveries are retried on
 * Intuit's schedule (10 s, 20 s, 30 s, 5 min, 20 min, 2 h, 4 h, 6 h, then every 6 h), driven by the
 * emulator's clock so tests can compress it.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "../../core/clock.ts";

export interface WebhookConfig {
  url: string;
  verifierToken: string;
  /** Aggregation window before a notification is sent. */
  windowMs: number;
  format: "legacy" | "cloudevents";
  /** Stop retrying after this many attempts. */
  maxAttempts: number;
}

export interface WebhookEvent {
  realmId: string;
  name: string;
  id: string;
  operation: string;
  lastUpdated: string;
}

export interface Delivery {
  attempt: number;
  status: number | string;
  body: string;
  at: number;
}

export const RETRY_SCHEDULE_MS = [
  10_000, 20_000, 30_000, 300_000, 1_200_000, 7_200_000, 14_400_000, 21_600_000,
];

export function signPayload(body: string, verifierToken: string): string {
  return createHmac("sha256", verifierToken).update(body).digest("base64");
}

export class Webhooks {
  config: WebhookConfig | undefined;
  deliveries: Delivery[] = [];
  #clock: Clock;
  #fetch: typeof fetch;
  #pending = new Map<string, WebhookEvent[]>();
  #timers = new Map<string, () => void>();
  #retries = new Set<() => void>();

  constructor(clock: Clock, fetchImpl: typeof fetch = fetch) {
    this.#clock = clock;
    this.#fetch = fetchImpl;
  }

  configure(config: Partial<WebhookConfig> & { url: string; verifierToken: string }): WebhookConfig {
    this.config = { windowMs: 0, format: "legacy", maxAttempts: 12, ...config };
    return this.config;
  }

  disable(): void {
    this.config = undefined;
    this.stop();
  }

  stop(): void {
    for (const cancel of this.#timers.values()) cancel();
    for (const cancel of this.#retries) cancel();
    this.#timers.clear();
    this.#retries.clear();
    this.#pending.clear();
  }

  emit(event: WebhookEvent): void {
    if (!this.config) return;
    const list = this.#pending.get(event.realmId) ?? [];
    list.push(event);
    this.#pending.set(event.realmId, list);
    if (!this.#timers.has(event.realmId)) {
      const cancel = this.#clock.setTimer(() => this.#flush(event.realmId), this.config.windowMs);
      this.#timers.set(event.realmId, cancel);
    }
  }

  #body(realmId: string, events: WebhookEvent[]): string {
    if (this.config?.format === "cloudevents") {
      return JSON.stringify(
        events.map((e) => ({
          specversion: "1.0",
          id: randomUUID(),
          source: "intuit.emulator",
          type: `qbo.${e.name.toLowerCase()}.${cloudVerb(e.operation)}.v1`,
          datacontenttype: "application/json",
          time: e.lastUpdated,
          intuitentityid: e.id,
          intuitaccountid: realmId,
          data: {},
        })),
      );
    }
    const entities = events.map(({ name, id, operation, lastUpdated }) => ({
      name,
      id,
      operation,
      lastUpdated,
    }));
    return JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities } }] });
  }

  #flush(realmId: string): void {
    this.#timers.delete(realmId);
    const events = this.#pending.get(realmId) ?? [];
    this.#pending.delete(realmId);
    if (events.length === 0 || !this.config) return;
    void this.#deliver(this.#body(realmId, events), 1);
  }

  async #deliver(body: string, attempt: number): Promise<void> {
    const config = this.config;
    if (!config) return;
    let status: number | string;
    try {
      const res = await this.#fetch(config.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "intuit-signature": signPayload(body, config.verifierToken),
        },
        body,
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      status = err instanceof Error ? err.message : String(err);
    }
    this.deliveries.push({ attempt, status, body, at: this.#clock.now() });
    if (this.deliveries.length > 200) this.deliveries.shift();
    const okStatus = typeof status === "number" && status >= 200 && status < 300;
    if (okStatus || attempt >= config.maxAttempts) return;
    const delay = RETRY_SCHEDULE_MS[attempt - 1] ?? RETRY_SCHEDULE_MS[RETRY_SCHEDULE_MS.length - 1]!;
    const cancel = this.#clock.setTimer(() => {
      this.#retries.delete(cancel);
      void this.#deliver(body, attempt + 1);
    }, delay);
    this.#retries.add(cancel);
  }
}

function cloudVerb(operation: string): string {
  const map: Record<string, string> = {
    Create: "created",
    Update: "updated",
    Delete: "deleted",
    Void: "voided",
    Merge: "merged",
  };
  return map[operation] ?? operation.toLowerCase();
}
