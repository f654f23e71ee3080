import { createHmac, timingSafeEqual } from "node:crypto";
import { fail, LexError, ok, type Result } from "../core/errors.ts";
import type { ClioClient } from "./client.ts";
import { clioError } from "./errors.ts";
import { ClioWebhook, ClioWebhookDelivery } from "./schemas/index.ts";

/**
 * Clio webhooks (clio-api.md §5.9): deliveries carry X-Hook-Signature, the lowercase hex
 * HMAC-SHA256 of the raw body keyed with the shared secret (no timestamp, no prefix); the
 * activation handshake sends X-Hook-Secret, which the receiver echoes with a 200.
 */
export function signClioWebhook(rawBody: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/** Constant-time comparison of the received signature with the expected one. */
export function verifyClioWebhookSignature(
  rawBody: string | Uint8Array,
  signature: string | null | undefined,
  secret: string,
): boolean {
  if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature.trim())) return false;
  const expected = Buffer.from(signClioWebhook(rawBody, secret), "hex");
  const given = Buffer.from(signature.trim().toLowerCase(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Verifies and parses a delivery. */
export function parseClioWebhook(
  rawBody: string,
  signature: string | null | undefined,
  secret: string,
): Result<ClioWebhookDelivery> {
  if (!verifyClioWebhookSignature(rawBody, signature, secret)) {
    return fail(new LexError("clio_webhook_signature_invalid", "X-Hook-Signature does not match the body"));
  }
  try {
    const parsed = ClioWebhookDelivery.safeParse(JSON.parse(rawBody));
    if (parsed.success) return ok(parsed.data);
  } catch {
    // fall through
  }
  return fail(
    new LexError("clio_unexpected_response", "Webhook body is not {data, meta:{event, webhook_id}}"),
  );
}

/** The secret of a handshake request, if this request is one. */
export function clioHandshakeSecret(
  headers: Headers | Record<string, string | undefined>,
): string | undefined {
  if (headers instanceof Headers) return headers.get("x-hook-secret") ?? undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === "x-hook-secret") return v;
  return undefined;
}

/** The answer that completes the handshake: 200 echoing X-Hook-Secret. */
export function clioHandshakeResponse(secret: string): Response {
  return new Response(null, { status: 200, headers: { "X-Hook-Secret": secret } });
}

export interface CreateWebhookInput {
  url: string;
  model: string;
  /** Keep it minimal but include etag and updated_at (§5.9). */
  fields: string;
  events?: string[];
  /** At most 31 days ahead; default 3 days. */
  expiresAt?: Date;
}

const WEBHOOK_FIELDS =
  "id,etag,url,fields,shared_secret,model,status,events,expires_at,created_at,updated_at";

export function createClioWebhook(
  client: ClioClient,
  input: CreateWebhookInput,
): Promise<Result<ClioWebhook>> {
  const data: Record<string, unknown> = { url: input.url, model: input.model, fields: input.fields };
  if (input.events) data.events = input.events;
  if (input.expiresAt) data.expires_at = input.expiresAt.toISOString();
  return client.create("webhooks", ClioWebhook, data, { fields: WEBHOOK_FIELDS });
}

export function renewClioWebhook(
  client: ClioClient,
  id: number,
  expiresAt: Date,
): Promise<Result<ClioWebhook>> {
  return client.update(
    `webhooks/${id}`,
    ClioWebhook,
    { expires_at: expiresAt.toISOString() },
    { fields: WEBHOOK_FIELDS },
  );
}

/**
 * The second way to finish the handshake: PUT /webhooks/{id}/activate with X-Hook-Secret. Clio
 * documents no query parameter for it (§5.9; it is not in the spec), so no `fields`: the answer
 * holds the default fields; read the webhook for its status.
 */
export async function activateClioWebhook(
  client: ClioClient,
  id: number,
  secret: string,
): Promise<Result<ClioWebhook>> {
  const res = await client.request("PUT", client.url(`webhooks/${id}/activate`), {
    headers: { "X-Hook-Secret": secret },
  });
  if (!res.ok) {
    return fail(await clioError(res, "PUT webhooks/activate"));
  }
  const parsed = ClioWebhook.safeParse(((await res.json()) as { data?: unknown }).data);
  return parsed.success
    ? ok(parsed.data)
    : fail(new LexError("clio_unexpected_response", parsed.error.message));
}
