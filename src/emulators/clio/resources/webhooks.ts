import { createHash } from "node:crypto";
import type { Hono } from "hono";
import { FieldsError, parseFields, validateFields } from "../fields.ts";
import { commonFilter } from "../filters.ts";
import {
  type ApiEnv,
  ApiFailure,
  badRequest,
  checkIfMatch,
  invalid,
  notFound,
  parseId,
  readData,
  showRecord,
} from "../http.ts";
import { listResponse } from "../paging.ts";
import type { WebhookRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import type { WebhookDispatcher } from "../webhooks/dispatcher.ts";
import { findModel } from "../webhooks/models.ts";

/** /webhooks CRUD and PUT /webhooks/{id}/activate (clio-api.md §5.9). */
const DAY = 86_400_000;
const DEFAULT_EXPIRY = 3 * DAY;
const MAX_EXPIRY = 31 * DAY;
const FIELDS_CAP = 1000;

export function registerWebhooks(api: Hono<ApiEnv>, dispatcher: WebhookDispatcher): void {
  api.get("/webhooks", (c) =>
    listResponse(
      c,
      { resource: "webhook", defaultOrder: "id(asc)", orders: { id: (w) => w.id } },
      commonFilter(c, c.get("state").all("webhooks")),
    ),
  );
  api.get("/webhooks/:id", (c) => showRecord(c, "webhook", findHook(c.get("state"), c.req.param("id"))));
  api.post("/webhooks", async (c) => {
    const state = c.get("state");
    const data = await readData(c);
    const model = findModel(data.model);
    if (!model) throw invalid("Model is not a supported webhook model");
    const url = checkUrl(data.url);
    const fields = checkFields(data.fields, model.resource);
    const events = checkEvents(data.events, model.events);
    const now = state.clock.now();
    const id = state.allocateId();
    const hook = state.insert("webhooks", {
      id,
      url,
      fields,
      shared_secret: createHash("sha256")
        .update(`secret:${c.get("config").region}:${id}:${state.writeSeq}`)
        .digest("hex")
        .slice(0, 32),
      model: model.name,
      status: c.get("config").autoCompleteHandshake ? "enabled" : "pending",
      events,
      expires_at: checkExpiry(data.expires_at, now, now + DEFAULT_EXPIRY),
    });
    if (hook.status === "pending") dispatcher.handshake(hook);
    return showRecord(c, "webhook", hook, 201);
  });
  api.patch("/webhooks/:id", async (c) => {
    const state = c.get("state");
    const hook = findHook(state, c.req.param("id"));
    checkIfMatch(c, hook);
    const data = await readData(c);
    const model = findModel(hook.model)!;
    const patch: Partial<WebhookRec> = {};
    if (data.url !== undefined && data.url !== hook.url) {
      patch.url = checkUrl(data.url);
      patch.status = c.get("config").autoCompleteHandshake ? "enabled" : "pending";
    }
    if (data.fields !== undefined) patch.fields = checkFields(data.fields, model.resource);
    if (data.events !== undefined) patch.events = checkEvents(data.events, model.events);
    if (data.expires_at !== undefined)
      patch.expires_at = checkExpiry(data.expires_at, state.clock.now(), hook.expires_at);
    const updated = state.update("webhooks", hook.id, patch);
    if (patch.status === "pending") dispatcher.handshake(updated);
    return showRecord(c, "webhook", updated);
  });
  api.delete("/webhooks/:id", (c) => {
    const hook = findHook(c.get("state"), c.req.param("id"));
    c.get("state").remove("webhooks", hook.id);
    return c.body(null, 204);
  });
  api.put("/webhooks/:id/activate", (c) => {
    const state = c.get("state");
    const hook = findHook(state, c.req.param("id"));
    if (c.req.header("X-Hook-Secret") !== hook.shared_secret) throw invalid("X-Hook-Secret does not match");
    return showRecord(
      c,
      "webhook",
      hook.status === "enabled" ? hook : state.update("webhooks", hook.id, { status: "enabled" }),
    );
  });
}

function findHook(state: ClioState, raw: string): WebhookRec {
  const hook = state.get("webhooks", parseId(raw));
  if (!hook) throw notFound("Webhook", raw);
  return hook;
}

function checkUrl(v: unknown): string {
  let url: URL;
  try {
    url = new URL(String(v ?? ""));
  } catch {
    throw invalid("Url is not a valid URL");
  }
  // Clio requires https; plain http is allowed for loopback hosts so local receivers work.
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
    throw invalid("Url must use https");
  return url.toString();
}

function checkFields(v: unknown, resource: string | undefined): string {
  const text = String(v ?? "");
  if (!text.trim()) throw invalid("Fields can't be blank");
  if (text.length > FIELDS_CAP) throw invalid(`Fields is too long (maximum is ${FIELDS_CAP} characters)`);
  if (resource) {
    try {
      validateFields(resource, parseFields(text));
    } catch (e) {
      if (e instanceof FieldsError) throw new ApiFailure(400, "InvalidFields", e.message);
      throw e;
    }
  }
  return text;
}

function checkEvents(v: unknown, allowed: string[]): string[] {
  if (v === undefined || v === null) return [...allowed];
  if (!Array.isArray(v) || v.length === 0) throw badRequest("events must be a non-empty array");
  for (const e of v)
    if (!allowed.includes(String(e))) throw invalid(`Event ${String(e)} is not valid for this model`);
  return v.map(String);
}

function checkExpiry(v: unknown, now: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const t = Date.parse(String(v));
  if (Number.isNaN(t)) throw invalid("Expires at is not a valid date-time");
  if (t <= now) throw invalid("Expires at must be in the future");
  if (t > now + MAX_EXPIRY) throw invalid("Expires at must be within 31 days");
  return t;
}
