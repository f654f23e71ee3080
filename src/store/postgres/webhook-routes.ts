import type { Pool } from "pg";
import { inTransaction } from "./transaction.ts";

/**
 * Which firm a webhook delivery is for (webhook_routes): a QBO delivery names its company
 * (realmId), a Clio delivery its subscription (meta.webhook_id). One QBO company belongs to one
 * firm: a firm connecting a company another firm had takes its deliveries over.
 */
export class WebhookRoutes {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** The firm connected to this QBO company, if any. */
  firmOfQboRealm(realmId: string): Promise<string | undefined> {
    return this.#firmOf("qbo", realmId);
  }

  /** The firm whose pass created this Clio webhook subscription, if any. */
  firmOfClioWebhook(webhookId: number): Promise<string | undefined> {
    return this.#firmOf("clio", String(webhookId));
  }

  /** The firm's QBO company now (replacing the one it had); undefined: none (disconnected). */
  setQboRealm(firmId: string, realmId: string | undefined, at: number): Promise<void> {
    return this.#replace(firmId, "qbo", realmId ? [realmId] : [], at);
  }

  /** The firm's Clio webhook subscriptions now (replacing the ones it had). */
  setClioWebhooks(firmId: string, webhookIds: number[], at: number): Promise<void> {
    return this.#replace(firmId, "clio", webhookIds.map(String), at);
  }

  async #firmOf(provider: string, externalId: string): Promise<string | undefined> {
    const result = await this.#pool.query<{ firm_id: string }>(
      "SELECT firm_id FROM webhook_routes WHERE provider = $1 AND external_id = $2",
      [provider, externalId],
    );
    return result.rows[0]?.firm_id;
  }

  async #replace(firmId: string, provider: string, ids: string[], at: number): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await client.query("DELETE FROM webhook_routes WHERE firm_id = $1 AND provider = $2", [
        firmId,
        provider,
      ]);
      for (const id of ids)
        await client.query(
          `INSERT INTO webhook_routes (provider, external_id, firm_id, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (provider, external_id) DO UPDATE SET firm_id = excluded.firm_id, updated_at = excluded.updated_at`,
          [provider, id, firmId, at],
        );
    });
  }
}
