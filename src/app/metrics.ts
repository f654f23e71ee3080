import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Store } from "../store/port.ts";

/** What a finished pass reports to the metrics (a subset of the sync summary). */
export interface PassFigures {
  written?: { succeeded: number; failed: number };
}

/**
 * serve's Prometheus metrics (prom-client, on a registry of its own so tests and several serves
 * in one process do not share counters). Sync Status items are read from the store at each scrape.
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly #passes = new Counter({
    name: "lexbridge_sync_passes_total",
    help: "Sync passes run by serve, by outcome (ok, failed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly #targeted = new Counter({
    name: "lexbridge_targeted_syncs_total",
    help: "Targeted syncs of the records webhooks named, by outcome (ok, failed, fallback: the pass ran instead)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly #passSeconds = new Histogram({
    name: "lexbridge_sync_pass_duration_seconds",
    help: "How long a sync pass took",
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
    registers: [this.registry],
  });
  readonly #writes = new Counter({
    name: "lexbridge_writes_total",
    help: "Writes to QuickBooks by the passes, by outcome (succeeded, failed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly #rateWaits = new Counter({
    name: "lexbridge_rate_limit_waits_total",
    help: "Requests that waited for the provider's rate budget before going out",
    labelNames: ["provider"] as const,
    registers: [this.registry],
  });
  readonly #rateWaitSeconds = new Counter({
    name: "lexbridge_rate_limit_wait_seconds_total",
    help: "Time requests spent waiting for the provider's rate budget",
    labelNames: ["provider"] as const,
    registers: [this.registry],
  });
  readonly #deliveries = new Counter({
    name: "lexbridge_webhook_deliveries_total",
    help: "Webhook deliveries received, by provider and outcome (accepted, duplicate, forged, …)",
    labelNames: ["provider", "outcome"] as const,
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: "lexbridge_change_latency_seconds",
    help: "From a webhook's receipt to the end of the targeted sync or pass that wrote its change",
    labelNames: ["provider"] as const,
    buckets: [0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });

  constructor(store: Store) {
    new Gauge({
      name: "lexbridge_sync_status_items",
      help: "Open Sync Status items, by code",
      labelNames: ["code"] as const,
      registers: [this.registry],
      async collect() {
        const counts = new Map<string, number>();
        for (const issue of await store.listIssues({ state: "open" }))
          counts.set(issue.code, (counts.get(issue.code) ?? 0) + 1);
        this.reset();
        for (const [code, n] of counts) this.set({ code }, n);
      },
    });
  }

  passFinished(ok: boolean, seconds: number, figures: PassFigures | undefined): void {
    this.#passes.inc({ outcome: ok ? "ok" : "failed" });
    this.#passSeconds.observe(seconds);
    const written = figures?.written;
    if (written) {
      this.#writes.inc({ outcome: "succeeded" }, written.succeeded);
      this.#writes.inc({ outcome: "failed" }, written.failed);
    }
  }

  /** A targeted sync ended; its writes count with the passes'. */
  targetedFinished(outcome: "ok" | "failed" | "fallback", figures: PassFigures | undefined): void {
    this.#targeted.inc({ outcome });
    const written = figures?.written;
    if (written) {
      this.#writes.inc({ outcome: "succeeded" }, written.succeeded);
      this.#writes.inc({ outcome: "failed" }, written.failed);
    }
  }

  rateLimitWait(provider: string, ms: number): void {
    this.#rateWaits.inc({ provider });
    this.#rateWaitSeconds.inc({ provider }, ms / 1000);
  }

  delivery(provider: string, outcome: string): void {
    this.#deliveries.inc({ provider, outcome });
  }

  changeLatency(provider: string, seconds: number): void {
    this.#latency.observe({ provider }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
