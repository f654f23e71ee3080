import { createHmac } from "node:crypto";
import type { ClioEmulatorConfig } from "../config.ts";
import { parseFields, project } from "../fields.ts";
import type { MatterRec, WebhookRec } from "../records.ts";
import type { ChangeEvent, ClioState } from "../state.ts";
import { modelOfTable } from "./models.ts";

/**
 * Webhook deliveries (clio-api.md §5.9): a change to a watched record becomes
 * `{data:<subscribed fields>, meta:{event, webhook_id}}`, signed with X-Hook-Signature (lowercase
 * hex HMAC-SHA256 of the raw body). For `updated`, the first update of a record always fires, later
 * ones only when a watched field changed. 2xx, 3xx and 410 are success; 410 disables the hook;
 * anything else is retried with doubling backoff.
 */
export interface DeliveryLog {
  webhook_id: number;
  event: string;
  record_id: number;
  attempt: number;
  status: number | "error";
  at: number;
}

const IGNORED = new Set(["etag", "updated_at"]);

export class WebhookDispatcher {
  readonly #state: ClioState;
  readonly #config: ClioEmulatorConfig;
  readonly #fetch: typeof fetch;
  readonly #inflight = new Set<Promise<void>>();
  readonly #cancels = new Set<() => void>();
  /** `${webhookId}:${recordId}` pairs whose first update already fired. */
  #seenUpdate = new Set<string>();
  log: DeliveryLog[] = [];

  constructor(state: ClioState, config: ClioEmulatorConfig, fetchImpl: typeof fetch) {
    this.#state = state;
    this.#config = config;
    this.#fetch = fetchImpl;
    state.onChange((change) => this.#onChange(change));
  }

  reset(): void {
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
    this.#seenUpdate.clear();
    this.log = [];
  }

  /** Resolves when every delivery started so far has finished (scheduled retries excluded). */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  #onChange(change: ChangeEvent): void {
    const model = modelOfTable(change.table);
    if (!model?.resource) return;
    const now = this.#state.clock.now();
    const after = change.event === "deleted" ? undefined : this.#state.get(change.table, change.id);
    for (const hook of this.#state.all("webhooks")) {
      if (hook.model !== model.name || hook.status !== "enabled" || hook.expires_at <= now) continue;
      const events = this.#events(hook, change, after);
      if (events.length === 0) continue;
      const fields = parseFields(hook.fields);
      const ctx = { state: this.#state, apiVersion: this.#config.defaultVersion };
      const data = project(model.resource, after ?? change.before, fields, ctx);
      for (const event of events)
        this.#send(hook, event, change.id, JSON.stringify({ data, meta: { event, webhook_id: hook.id } }), 1);
    }
  }

  #events(hook: WebhookRec, change: ChangeEvent, after: unknown): string[] {
    const out: string[] = [];
    if (change.event !== "updated") {
      if (hook.events.includes(change.event)) out.push(change.event);
      return out;
    }
    if (hook.events.includes("updated")) {
      const key = `${hook.id}:${change.id}`;
      const first = !this.#seenUpdate.has(key);
      this.#seenUpdate.add(key);
      if (first || this.#watchedChanged(hook, change, after)) out.push("updated");
    }
    if (change.table === "matters" && change.before) {
      const before = change.before as MatterRec;
      const now = after as MatterRec;
      if (before.status !== now.status) {
        const e = { Open: "matter_opened", Pending: "matter_pended", Closed: "matter_closed" }[now.status];
        if (hook.events.includes(e)) out.push(e);
      }
    }
    return out;
  }

  #watchedChanged(hook: WebhookRec, change: ChangeEvent, after: unknown): boolean {
    if (change.before === undefined) return true;
    const model = modelOfTable(change.table)!;
    const fields = parseFields(hook.fields).filter((f) => !IGNORED.has(f.name));
    const ctx = { state: this.#state, apiVersion: this.#config.defaultVersion };
    const a = JSON.stringify(project(model.resource!, change.before, fields, ctx));
    const b = JSON.stringify(project(model.resource!, after, fields, ctx));
    return a !== b;
  }

  #send(hook: WebhookRec, event: string, recordId: number, body: string, attempt: number): void {
    const p = this.#deliver(hook, event, recordId, body, attempt).finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  async #deliver(
    hook: WebhookRec,
    event: string,
    recordId: number,
    body: string,
    attempt: number,
  ): Promise<void> {
    const current = this.#state.get("webhooks", hook.id);
    if (current?.status !== "enabled" || current.expires_at <= this.#state.clock.now()) return;
    const signature = createHmac("sha256", current.shared_secret).update(body).digest("hex");
    let status: number | "error" = "error";
    try {
      const res = await this.#timed(current.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Hook-Signature": signature },
        body,
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = "error";
    }
    this.log.push({
      webhook_id: hook.id,
      event,
      record_id: recordId,
      attempt,
      status,
      at: this.#state.clock.now(),
    });
    if (status === 410) {
      this.#state.update("webhooks", hook.id, { status: "suspended" });
      return;
    }
    if (status !== "error" && status >= 200 && status < 400) return;
    if (attempt > this.#config.webhookRetries) return;
    const delay = this.#config.webhookBackoffMs * 2 ** (attempt - 1);
    const cancel = this.#state.clock.setTimer(() => {
      this.#cancels.delete(cancel);
      this.#send(hook, event, recordId, body, attempt + 1);
    }, delay);
    this.#cancels.add(cancel);
  }

  async #timed(url: string, init: RequestInit): Promise<Response> {
    const controller = new AbortController();
    const cancel = this.#state.clock.setTimer(
      () => controller.abort(new Error("webhook timeout")),
      this.#config.webhookTimeoutMs,
    );
    try {
      return await this.#fetch(url, { ...init, signal: controller.signal });
    } finally {
      cancel();
    }
  }

  /** The activation handshake: POST with X-Hook-Secret; a 200 echoing it enables the hook. */
  handshake(hook: WebhookRec): void {
    const p = (async () => {
      try {
        const res = await this.#timed(hook.url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Hook-Secret": hook.shared_secret },
          body: JSON.stringify({ data: { id: hook.id }, meta: { webhook_id: hook.id } }),
        });
        await res.body?.cancel();
        const current = this.#state.get("webhooks", hook.id);
        if (
          res.status === 200 &&
          res.headers.get("X-Hook-Secret") === hook.shared_secret &&
          current?.status === "pending"
        ) {
          this.#state.update("webhooks", hook.id, { status: "enabled" });
        }
      } catch {
        // The hook stays pending; PUT /webhooks/{id}/activate can still complete it.
      }
    })().finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }
}
