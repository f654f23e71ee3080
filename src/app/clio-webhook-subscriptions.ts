import type { ClioClient } from "../clio/client.ts";
import { ClioWebhook } from "../clio/schemas/index.ts";
import { activateClioWebhook, createClioWebhook, renewClioWebhook } from "../clio/webhooks.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { SecretBox } from "../core/secret-box.ts";
import type { Store } from "../store/port.ts";
import { SYNC_FIELDS } from "./clio-source.ts";

const DAY = 86_400_000;

/**
 * The Clio models whose changes start a sync, and the fields each delivery carries. `fields` also
 * decides which updates fire (clio-api.md §5.9), so they are exactly the fields the sync reads.
 */
export const CLIO_WEBHOOK_MODELS = { contact: SYNC_FIELDS.contact, bill: SYNC_FIELDS.bill } as const;
export type ClioWebhookModel = keyof typeof CLIO_WEBHOOK_MODELS;

/** One subscription as serve keeps it (sealed in the store, since it holds the shared secret). */
export interface ClioSubscription {
  id: number;
  model: ClioWebhookModel;
  url: string;
  secret: string;
  status: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface ClioSubscriptionOptions {
  client: ClioClient;
  store: Store;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
  /** Where Clio delivers: `<publicUrl>/webhooks/clio`. */
  url: string;
  /** How far ahead each subscription expires (Clio allows 31 days at most). Default 30 days. */
  lifetimeMs?: number;
  /** Renew when less than this is left. Default 7 days. */
  renewBeforeMs?: number;
  /** How often to check. Default 1 hour. */
  checkEveryMs?: number;
}

/** Where a firm's Clio subscriptions are kept (sealed: they hold the shared secrets). */
export const CLIO_SUBSCRIPTIONS_KV = "clio:webhook-subscriptions";

/** The subscriptions a firm's last check kept (scale mode's serve reads them; a worker's pass makes them). */
export async function readClioSubscriptions(store: Store, box: SecretBox): Promise<ClioSubscription[]> {
  const sealed = await store.getKv(CLIO_SUBSCRIPTIONS_KV);
  return sealed ? (JSON.parse(box.open(sealed)) as ClioSubscription[]) : [];
}

/**
 * Serve's Clio webhook subscriptions (contacts and bills): made when missing, renewed before they
 * expire (an expired one stops delivering silently), made anew when the URL changed or Clio lost
 * one. Creating one starts Clio's handshake, which may reach /webhooks/clio before the creation
 * answers: while a creation is in flight the receiver echoes a handshake (`expectingHandshake`),
 * and a subscription still pending afterwards is activated with PUT /webhooks/{id}/activate.
 */
export class ClioWebhookSubscriptions {
  readonly #o: Required<ClioSubscriptionOptions>;
  #subs: ClioSubscription[] = [];
  #creating = 0;
  #cancelTimer: (() => void) | undefined;
  #checking: Promise<void> | undefined;

  constructor(options: ClioSubscriptionOptions) {
    this.#o = { lifetimeMs: 30 * DAY, renewBeforeMs: 7 * DAY, checkEveryMs: 3_600_000, ...options };
  }

  /** The subscriptions known now (for the receiver's signature check and the dashboard). */
  list(): ClioSubscription[] {
    return this.#subs.map((s) => ({ ...s }));
  }

  expectingHandshake(): boolean {
    return this.#creating > 0;
  }

  /** Loads the stored subscriptions, brings them up to date, then checks every `checkEveryMs`. */
  async start(): Promise<void> {
    this.#subs = await readClioSubscriptions(this.#o.store, this.#o.box);
    await this.check();
    const tick = () => {
      this.#cancelTimer = this.#o.clock.setTimer(() => {
        void this.check().finally(tick);
      }, this.#o.checkEveryMs);
    };
    tick();
  }

  stop(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    return this.#checking ?? Promise.resolve();
  }

  /** One round: for each model, keep, renew or create its subscription. Never throws. */
  check(): Promise<void> {
    this.#checking ??= this.#checkAll().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #checkAll(): Promise<void> {
    for (const model of Object.keys(CLIO_WEBHOOK_MODELS) as ClioWebhookModel[]) {
      try {
        await this.#checkModel(model);
      } catch (error) {
        this.#o.logger.warn(
          { err: error, model },
          "Clio webhook subscription check failed; next check retries",
        );
      }
    }
    await this.#o.store.commit(
      { kv: { [CLIO_SUBSCRIPTIONS_KV]: this.#o.box.seal(JSON.stringify(this.#subs)) } },
      this.#o.clock.now(),
    );
  }

  async #checkModel(model: ClioWebhookModel): Promise<void> {
    const { client, clock, logger, url } = this.#o;
    const current = this.#subs.find((s) => s.model === model);
    if (current && current.url !== url) {
      // Moved: the old address must stop receiving; a new subscription gets a new secret.
      const removed = await client.delete(`webhooks/${current.id}`);
      if (!removed.ok)
        logger.warn({ id: current.id, err: removed.error }, "could not delete an old Clio webhook");
      this.#forget(current.id);
    } else if (current) {
      // Clio's word on it: lost (404) or suspended ones are made anew; the rest keep their secret.
      const read = await this.#read(current.id);
      if (read && read.status !== "suspended") {
        this.#remember(model, read, current.secret);
        if (this.#subs.find((s) => s.id === current.id)!.expiresAt - clock.now() > this.#o.renewBeforeMs)
          return;
        const renewed = await renewClioWebhook(
          client,
          current.id,
          new Date(clock.now() + this.#o.lifetimeMs),
        );
        if (renewed.ok) {
          this.#remember(model, { ...read, ...renewed.value }, current.secret);
          logger.info({ model, id: current.id, expiresAt: renewed.value.expires_at }, "Clio webhook renewed");
          return;
        }
        logger.warn(
          { model, id: current.id, err: renewed.error },
          "Clio webhook renewal failed; making a new one",
        );
      } else {
        logger.warn(
          { model, id: current.id, status: read?.status ?? "gone" },
          "Clio webhook lost; making a new one",
        );
      }
      if (read) await client.delete(`webhooks/${current.id}`);
      this.#forget(current.id);
    }
    await this.#create(model);
  }

  /** The subscription as Clio has it now; undefined when Clio no longer has it. */
  async #read(id: number): Promise<ClioWebhook | undefined> {
    const got = await this.#o.client.get(`webhooks/${id}`, ClioWebhook, { fields: "id,status,expires_at" });
    if (got.ok && !got.value.notModified) return got.value.data;
    if (!got.ok && got.error.code === "clio_not_found") return undefined;
    throw got.ok ? new Error("Clio answered 304 to an unconditional read") : got.error;
  }

  async #create(model: ClioWebhookModel): Promise<void> {
    const { client, clock, logger, url } = this.#o;
    this.#creating++;
    let made: Awaited<ReturnType<typeof createClioWebhook>>;
    try {
      made = await createClioWebhook(client, {
        url,
        model,
        fields: CLIO_WEBHOOK_MODELS[model],
        events: ["created", "updated", "deleted"],
        expiresAt: new Date(clock.now() + this.#o.lifetimeMs),
      });
    } finally {
      this.#creating--;
    }
    if (!made.ok) throw made.error;
    const secret = made.value.shared_secret;
    if (!secret) throw new Error("Clio answered a new webhook without its shared_secret");
    let hook: ClioWebhook = made.value;
    if (hook.status !== "enabled") {
      // The handshake may not have reached us (or came before Clio had answered the creation).
      const activated = await activateClioWebhook(client, hook.id, secret);
      if (!activated.ok)
        logger.warn({ model, id: hook.id, err: activated.error }, "Clio webhook activation failed");
      hook = { ...hook, ...(await this.#read(hook.id)) };
    }
    this.#remember(model, hook, secret);
    logger.info(
      { model, id: hook.id, status: hook.status, expiresAt: hook.expires_at },
      "Clio webhook created",
    );
  }

  #remember(
    model: ClioWebhookModel,
    hook: { id: number; status?: string | undefined; expires_at?: string | null | undefined },
    secret: string,
  ): void {
    this.#forget(hook.id);
    this.#subs.push({
      id: hook.id,
      model,
      url: this.#o.url,
      secret,
      status: hook.status ?? "enabled",
      expiresAt: hook.expires_at ? Date.parse(hook.expires_at) : this.#o.clock.now() + this.#o.lifetimeMs,
    });
  }

  #forget(id: number): void {
    this.#subs = this.#subs.filter((s) => s.id !== id);
  }
}
