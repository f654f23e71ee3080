import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ClioEmulatorConfig } from "./config.ts";
import { type Ctx, FieldsError, parseFields, project, validateFields } from "./fields.ts";
import type { ClioState } from "./state.ts";

/** Variables the API middleware sets on each request. */
export interface ApiEnv {
  Variables: {
    state: ClioState;
    config: ClioEmulatorConfig;
    apiVersion: string;
    userId: number;
    accessToken: string;
  };
}

export type ApiContext = Context<ApiEnv>;

/** The Error body of clio-api.md §4.1: {"error":{"type","message"}}. */
export function apiError(c: Context, status: number, type: string, message: string): Response {
  return c.json({ error: { type, message } }, status as ContentfulStatusCode);
}

export class ApiFailure extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export const notFound = (what: string, id: unknown) =>
  new ApiFailure(404, "RecordNotFound", `${what} with id ${String(id)} could not be found`);
export const invalid = (message: string) => new ApiFailure(422, "RecordInvalid", message);
export const badRequest = (message: string) => new ApiFailure(400, "InvalidParameter", message);

export function ctxOf(c: ApiContext): Ctx {
  return { state: c.get("state"), apiVersion: c.get("apiVersion") };
}

/**
 * Parses and validates `fields` for `resource`; FieldsError becomes a 400 for the whole request.
 * In strict mode the spec has vetted the names already (strict-spec.ts), and one the spec declares
 * but the emulator does not model reads as null; otherwise the emulator's own names are the rule.
 */
export function requestedFields(c: ApiContext, resource: string) {
  try {
    const fields = parseFields(c.req.query("fields"));
    if (!c.get("config").strictSpec) validateFields(resource, fields);
    return fields;
  } catch (e) {
    if (e instanceof FieldsError) throw new ApiFailure(400, "InvalidFields", e.message);
    throw e;
  }
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * A single-record response with ETag and Last-Modified, honouring If-None-Match and
 * If-Modified-Since on GET (304), per clio-api.md §2.5.
 */
export function showRecord(
  c: ApiContext,
  resource: string,
  rec: { etag: string; updated_at: number },
  status: 200 | 201 = 200,
): Response {
  const fields = requestedFields(c, resource);
  c.header("ETag", rec.etag);
  c.header("Last-Modified", httpDate(rec.updated_at));
  if (c.req.method === "GET") {
    const inm = c.req.header("If-None-Match");
    if (inm?.split(",").some((t) => t.trim() === rec.etag || t.trim() === "*")) {
      return c.body(null, 304);
    }
    const ims = c.req.header("If-Modified-Since");
    if (inm === undefined && ims !== undefined) {
      const since = Date.parse(ims);
      if (!Number.isNaN(since) && rec.updated_at <= since) return c.body(null, 304);
    }
  }
  return c.json({ data: project(resource, rec, fields, ctxOf(c)) }, status);
}

/** If-Match on PATCH: 412 when the record changed (§2.5). */
export function checkIfMatch(c: ApiContext, rec: { etag: string }): void {
  const im = c.req.header("If-Match");
  if (im === undefined) return;
  if (im.trim() === "*" || im.split(",").some((t) => t.trim() === rec.etag)) return;
  throw new ApiFailure(412, "PreconditionFailed", "The resource has been modified since the given ETag");
}

/** Reads `{data:{...}}`; a missing envelope is a 400. */
export async function readData(c: ApiContext): Promise<Record<string, unknown>> {
  let body: unknown;
  const type = c.req.header("Content-Type") ?? "";
  try {
    if (type.includes("application/x-www-form-urlencoded")) body = formToData(await c.req.text());
    else body = await c.req.json();
  } catch {
    throw badRequest("The request body is not valid JSON");
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw badRequest('The request body must be {"data": {...}}');
  return data as Record<string, unknown>;
}

function formToData(text: string): { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const m = /^data\[([^\]]+)\]$/.exec(k);
    if (m?.[1]) data[m[1]] = v;
  }
  return { data };
}

export function parseId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ApiFailure(404, "RecordNotFound", "Not found");
  return id;
}

export function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
