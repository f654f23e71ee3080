import { createHash } from "node:crypto";
import type { z } from "zod";
import { fail, LexError, ok, type Result } from "../core/errors.ts";
import type { HttpRequest, HttpSend } from "../http/types.ts";
import { clioError } from "./errors.ts";
import { type ClioRegion, clioHost } from "./regions.ts";

/**
 * A typed Clio Manage v4 client over an HttpSend stack (auth, rate limit, retry live in the
 * stack). Single calls return a Result; list scans are async iterators that throw a LexError.
 * Every request carries `rateKey` so the stack's budget follows Clio's per-token X-RateLimit-*.
 */
export interface ClioClientOptions {
  send: HttpSend;
  region?: ClioRegion;
  /** Overrides the regional host, e.g. an emulator's URL. */
  baseUrl?: string;
  /** Pinned X-API-VERSION (clio-api.md §1.2). Default 4.0.9. */
  apiVersion?: string;
  /** The rate budget key; use clioRateKey(accessToken). */
  rateKey?: string;
  /** Sent as `Authorization: Bearer …` when the stack has no withAuth. */
  accessToken?: string | (() => string);
}

export interface ReadOptions {
  fields?: string;
  params?: Record<string, string | number | boolean | ReadonlyArray<string | number>>;
}

export interface ListOptions extends ReadOptions {
  /** Page size, 1..200 (default 200). */
  limit?: number;
  /**
   * Default `id(asc)`, which cursor pagination requires (§2.3). `null` sends none, for an endpoint
   * that declares no `order` (line items, §5.4): Clio answers 400 to an undeclared parameter.
   */
  order?: string | null;
  signal?: AbortSignal;
}

export type Conditional<T> =
  | { notModified: true; etag: string }
  | { notModified: false; data: T; etag: string | undefined };

export const CLIO_DEFAULT_VERSION = "4.0.9";

/** `clio:` + a short hash of the token: Clio's limits are per access token. */
export function clioRateKey(accessToken: string): string {
  return `clio:${createHash("sha256").update(accessToken).digest("hex").slice(0, 16)}`;
}

/** The most records a Clio list returns per page, and what every scan asks for. */
export const CLIO_MAX_PAGE = 200;

export class ClioClient {
  readonly #send: HttpSend;
  readonly #api: string;
  readonly #version: string;
  readonly #rateKey: string | undefined;
  readonly #token: (() => string) | undefined;

  constructor(options: ClioClientOptions) {
    this.#send = options.send;
    this.#api = `${clioHost(options.region ?? "us", options.baseUrl)}/api/v4`;
    this.#version = options.apiVersion ?? CLIO_DEFAULT_VERSION;
    this.#rateKey = options.rateKey;
    const t = options.accessToken;
    this.#token = t === undefined ? undefined : typeof t === "string" ? () => t : t;
  }

  url(path: string, params: ReadOptions["params"] = {}, fields?: string): string {
    const url = new URL(`${this.#api}/${path.replace(/^\/+/, "")}${path.endsWith(".json") ? "" : ".json"}`);
    for (const [k, v] of Object.entries(params)) {
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(`${k}[]`, String(item));
      else url.searchParams.set(k, String(v));
    }
    if (fields) url.searchParams.set("fields", fields);
    return url.toString();
  }

  async request(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "X-API-VERSION": this.#version,
      ...init.headers,
    };
    if (this.#token) headers.Authorization = `Bearer ${this.#token()}`;
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    const req: HttpRequest = { method, url, headers };
    if (init.body !== undefined) req.body = JSON.stringify(init.body);
    if (this.#rateKey) req.rateKey = this.#rateKey;
    if (init.signal) req.signal = init.signal;
    return this.#send(req);
  }

  /** GET one record; `ifNoneMatch` makes it conditional (304 → notModified). */
  async get<S extends z.ZodType>(
    path: string,
    schema: S,
    options: ReadOptions & { ifNoneMatch?: string } = {},
  ): Promise<Result<Conditional<z.infer<S>>>> {
    const headers: Record<string, string> = options.ifNoneMatch
      ? { "If-None-Match": options.ifNoneMatch }
      : {};
    const res = await this.request("GET", this.url(path, options.params, options.fields), { headers });
    if (res.status === 304) return ok({ notModified: true, etag: options.ifNoneMatch ?? "" });
    const data = await this.#data(res, schema, `GET ${path}`);
    return data.ok
      ? ok({ notModified: false, data: data.value, etag: res.headers.get("etag") ?? undefined })
      : data;
  }

  /** Pages of a list endpoint in cursor mode, following `meta.paging.next` as given (§2.3). */
  async *pages<S extends z.ZodType>(
    path: string,
    schema: S,
    options: ListOptions = {},
  ): AsyncGenerator<Array<z.infer<S>>> {
    const limit = options.limit ?? CLIO_MAX_PAGE;
    if (limit < 1 || limit > CLIO_MAX_PAGE) throw new RangeError(`limit must be 1..${CLIO_MAX_PAGE}`);
    const order: Record<string, string> = options.order === null ? {} : { order: options.order ?? "id(asc)" };
    let url: string | undefined = this.url(path, { ...options.params, limit, ...order }, options.fields);
    while (url) {
      const res = await this.request("GET", url, options.signal ? { signal: options.signal } : {});
      if (!res.ok) throw await clioError(res, `GET ${path}`);
      const body = (await res.json()) as { data?: unknown; meta?: { paging?: { next?: string } } };
      if (!Array.isArray(body.data)) throw unexpected(`GET ${path}`, "data is not an array");
      const page: Array<z.infer<S>> = [];
      for (const item of body.data) {
        const parsed = schema.safeParse(item);
        if (!parsed.success) throw unexpected(`GET ${path}`, parsed.error.message);
        page.push(parsed.data);
      }
      yield page;
      url = body.meta?.paging?.next;
    }
  }

  /** Every record of a list endpoint, page by page. */
  async *all<S extends z.ZodType>(
    path: string,
    schema: S,
    options: ListOptions = {},
  ): AsyncGenerator<z.infer<S>> {
    for await (const page of this.pages(path, schema, options)) yield* page;
  }

  async create<S extends z.ZodType>(
    path: string,
    schema: S,
    data: Record<string, unknown>,
    options: { fields?: string } = {},
  ): Promise<Result<z.infer<S>>> {
    const res = await this.request("POST", this.url(path, {}, options.fields), { body: { data } });
    return this.#data(res, schema, `POST ${path}`);
  }

  /** PATCH with optional optimistic locking: `ifMatch` → 412 clio_precondition_failed on change. */
  async update<S extends z.ZodType>(
    path: string,
    schema: S,
    data: Record<string, unknown>,
    options: { fields?: string; ifMatch?: string } = {},
  ): Promise<Result<z.infer<S>>> {
    const headers: Record<string, string> = options.ifMatch ? { "If-Match": options.ifMatch } : {};
    const res = await this.request("PATCH", this.url(path, {}, options.fields), { body: { data }, headers });
    return this.#data(res, schema, `PATCH ${path}`);
  }

  async delete(path: string): Promise<Result<void>> {
    const res = await this.request("DELETE", this.url(path));
    if (res.status === 204 || res.ok) {
      await res.body?.cancel();
      return ok(undefined);
    }
    return fail(await clioError(res, `DELETE ${path}`));
  }

  async #data<S extends z.ZodType>(res: Response, schema: S, what: string): Promise<Result<z.infer<S>>> {
    if (!res.ok) return fail(await clioError(res, what));
    const body = (await res.json()) as { data?: unknown };
    const parsed = schema.safeParse(body.data);
    return parsed.success ? ok(parsed.data) : fail(unexpected(what, parsed.error.message));
  }
}

function unexpected(what: string, detail: string): LexError {
  return new LexError("clio_unexpected_response", `${what}: ${detail.slice(0, 300)}`);
}
