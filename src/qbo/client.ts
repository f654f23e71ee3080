/**
 * The typed QBO v3 client. It only speaks HTTP through an `HttpSend` stack (auth, rate limit,
 * retry, timeout, logging): every call names its realm budget (`rateKey: qbo:<realmId>`, batch
 * calls the `batch` lane), every write carries the caller's deterministic `requestid` (also set
 * as `idempotencyKey`, so retries replay instead of duplicating), and every failure comes back
 * as a LexError value with our code and action (reference §9).
 */
import { z } from "zod";
import { fail, isLexError, LexError, ok, type Result } from "../core/errors.ts";
import type { HttpRequest, HttpSend } from "../http/types.ts";
import { faultToError, parseFault, responseToError } from "./errors.ts";
import type { QboQuery } from "./query-builder.ts";
import { type QboEntity, type QboEntityName, qboDeleted, qboSchemas } from "./schemas.ts";

export const QBO_PRODUCTION = "https://quickbooks.api.intuit.com";
export const QBO_SANDBOX = "https://sandbox-quickbooks.api.intuit.com";
export const MINOR_VERSION = 75;
export const QUERY_PAGE_SIZE = 1000;
export const MAX_BATCH_ITEMS = 30;

export interface QboClientOptions {
  realmId: string;
  send: HttpSend;
  /** API origin (default production; the emulator's URL in tests). */
  baseUrl?: string;
  minorVersion?: number;
}

export interface WriteOptions {
  /** Deterministic id of this write (≤ 50 chars); a repeat returns the original response. */
  requestId: string;
  /** Bypass the duplicate DocNumber check (`include=allowduplicatedocnum`). */
  allowDuplicateDocNumber?: boolean;
}

export type Ident = { Id: string; SyncToken: string };
type Body = Record<string, unknown>;

export interface QueryPage<T> {
  items: T[];
  startPosition: number;
  maxResults: number;
}

/** One write, as a batch item holds it or as a single write sends it. */
export type WriteItem =
  | {
      operation: "create" | "update" | "delete";
      entity: QboEntityName;
      body: Body;
      /** Batch `optionsData`, e.g. `include=void`; a single write sends it as query parameters. */
      options?: string;
    }
  | { operation: "void"; entity: "Invoice"; body: Ident };

export type BatchItem = (WriteItem & { bId: string }) | { bId: string; query: QboQuery | string };

export type BatchItemResult =
  | { bId: string; ok: true; entity?: string; value?: Body; query?: Body }
  | { bId: string; ok: false; error: LexError };

export interface CdcChanges {
  /** The response `time`: store it as the next changedSince. */
  time: string;
  changed: Record<string, Body[]>;
  deleted: Record<string, string[]>;
}

function parseEntity<N extends QboEntityName>(entity: N, value: unknown): Result<QboEntity<N>> {
  const parsed = qboSchemas[entity].safeParse(value);
  if (parsed.success) return ok(parsed.data as QboEntity<N>);
  return fail(
    new LexError(
      "input_invalid",
      `QuickBooks ${entity} did not match its schema: ${z.prettifyError(parsed.error)}`,
    ),
  );
}

export class QboClient {
  readonly realmId: string;
  readonly #send: HttpSend;
  readonly #base: string;
  readonly #minor: number;

  constructor(options: QboClientOptions) {
    this.realmId = options.realmId;
    this.#send = options.send;
    this.#base = `${(options.baseUrl ?? QBO_PRODUCTION).replace(/\/$/, "")}/v3/company/${options.realmId}`;
    this.#minor = options.minorVersion ?? MINOR_VERSION;
  }

  #url(path: string, params: Record<string, string | undefined> = {}): string {
    const u = new URL(this.#base + path);
    u.searchParams.set("minorversion", String(this.#minor));
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  async #call(req: HttpRequest): Promise<Result<Body>> {
    const headers: Record<string, string> = { Accept: "application/json", ...req.headers };
    if (req.body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await this.#send({ ...req, headers, rateKey: `qbo:${this.realmId}` });
    } catch (err) {
      if (isLexError(err)) return fail(err);
      throw err;
    }
    if (!res.ok) return fail(await responseToError(res));
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail(faultToError(parseFault(text), res.status));
    }
    const fault = parseFault(body);
    if (fault) return fail(faultToError(fault, res.status, res.headers.get("intuit_tid") ?? undefined));
    return ok(body as Body);
  }

  #write(
    entity: QboEntityName,
    body: Body,
    opts: WriteOptions,
    params: Record<string, string | undefined>,
    rateLane?: string,
  ) {
    const include = [
      params.include,
      opts.allowDuplicateDocNumber ? "allowduplicatedocnum" : undefined,
    ].filter(Boolean);
    return this.#call({
      method: "POST",
      url: this.#url(`/${entity.toLowerCase()}`, {
        ...params,
        include: include.length > 0 ? include.join(",") : undefined,
        requestid: opts.requestId,
      }),
      body: JSON.stringify(body),
      idempotencyKey: opts.requestId,
      ...(rateLane ? { rateLane } : {}),
    });
  }

  async #entity<N extends QboEntityName>(entity: N, r: Result<Body>): Promise<Result<QboEntity<N>>> {
    if (!r.ok) return r;
    return parseEntity(entity, r.value[entity]);
  }

  async create<N extends QboEntityName>(
    entity: N,
    body: Body,
    opts: WriteOptions,
  ): Promise<Result<QboEntity<N>>> {
    return this.#entity(entity, await this.#write(entity, body, opts, {}));
  }

  async read<N extends QboEntityName>(entity: N, id: string): Promise<Result<QboEntity<N>>> {
    const path =
      entity === "CompanyInfo"
        ? `/companyinfo/${this.realmId}`
        : entity === "Preferences"
          ? "/preferences"
          : `/${entity.toLowerCase()}/${encodeURIComponent(id)}`;
    return this.#entity(entity, await this.#call({ method: "GET", url: this.#url(path) }));
  }

  /** Full update: every writable field must be sent; omitted fields are cleared by QBO. */
  async update<N extends QboEntityName>(
    entity: N,
    body: Body & Ident,
    opts: WriteOptions,
  ): Promise<Result<QboEntity<N>>> {
    return this.#entity(
      entity,
      await this.#write(entity, { ...body, sparse: false }, opts, { operation: "update" }),
    );
  }

  /** Sparse update: only the fields sent change (a `Line` array replaces all lines). */
  async sparseUpdate<N extends QboEntityName>(
    entity: N,
    patch: Body & Ident,
    opts: WriteOptions,
  ): Promise<Result<QboEntity<N>>> {
    return this.#entity(
      entity,
      await this.#write(entity, { ...patch, sparse: true }, opts, { operation: "update" }),
    );
  }

  /** Hard delete (transactions only; name lists are made inactive with a sparse update). */
  async delete(
    entity: QboEntityName,
    ident: Ident,
    opts: WriteOptions,
  ): Promise<Result<{ Id: string; status: "Deleted" }>> {
    const r = await this.#write(entity, ident, opts, { operation: "delete" });
    if (!r.ok) return r;
    const parsed = qboDeleted.safeParse(r.value[entity]);
    if (!parsed.success)
      return fail(new LexError("input_invalid", "QuickBooks delete answer did not match its schema"));
    return ok({ Id: parsed.data.Id, status: "Deleted" });
  }

  /** Void: Invoice uses `operation=void`, Payment `operation=update&include=void` (reference §1.2). */
  async void<N extends "Invoice" | "Payment">(
    entity: N,
    ident: Ident,
    opts: WriteOptions,
  ): Promise<Result<QboEntity<N>>> {
    const r =
      entity === "Invoice"
        ? await this.#write(entity, ident, opts, { operation: "void" })
        : await this.#write(entity, { ...ident, sparse: true }, opts, {
            operation: "update",
            include: "void",
          });
    return this.#entity(entity, r);
  }

  async #query(text: string): Promise<Result<Body>> {
    const r = await this.#call({
      method: "POST",
      url: this.#url("/query"),
      body: text,
      headers: { "Content-Type": "application/text" },
      safeToRepeat: true,
    });
    if (!r.ok) {
      r.error.details.query = text;
      return r;
    }
    return ok((r.value.QueryResponse ?? {}) as Body);
  }

  /** One page of a query (POST form; reads are always safe to retry). */
  async query<N extends QboEntityName>(q: QboQuery | string): Promise<Result<QueryPage<QboEntity<N>>>> {
    const text = String(q);
    const r = await this.#query(text);
    if (!r.ok) return r;
    const key = Object.keys(r.value).find((k) => k in qboSchemas) as N | undefined;
    const rows = key ? (r.value[key] as unknown[]) : [];
    const items: QboEntity<N>[] = [];
    for (const row of rows) {
      const p = parseEntity(key!, row);
      if (!p.ok) return p;
      items.push(p.value);
    }
    return ok({ items, startPosition: Number(r.value.startPosition ?? 1), maxResults: items.length });
  }

  async count(q: QboQuery): Promise<Result<number>> {
    const r = await this.#query(
      q
        .page(1, 1)
        .count()
        .toString()
        .replace(/ STARTPOSITION \d+ MAXRESULTS \d+$/, ""),
    );
    if (!r.ok) return r;
    return ok(Number(r.value.totalCount ?? 0));
  }

  /** Every row of a query, page by page (STARTPOSITION/MAXRESULTS 1000); throws the LexError of a failed page. */
  async *queryAll<N extends QboEntityName>(
    q: QboQuery,
    pageSize = QUERY_PAGE_SIZE,
  ): AsyncGenerator<QboEntity<N>> {
    for (let start = 1; ; start += pageSize) {
      const page = await this.query<N>(q.page(start, pageSize));
      if (!page.ok) throw page.error;
      yield* page.value.items;
      // QBO's maxResults echo is unreliable: stop on a short or empty page only.
      if (page.value.items.length < pageSize) return;
    }
  }

  /**
   * One write sent on its own, exactly as a batch item would carry it (operation, body, options),
   * on the single-write lane of the realm's budget; answers the written entity as QBO returned it.
   * A fault about the write comes back as the failure, with QBO's code and HTTP status.
   */
  async writeSingle(item: WriteItem, opts: WriteOptions): Promise<Result<Body>> {
    const options = new URLSearchParams(item.operation === "void" ? "" : (item.options ?? ""));
    const params: Record<string, string | undefined> = Object.fromEntries(options.entries());
    if (item.operation !== "create") params.operation = item.operation;
    const r = await this.#write(item.entity, item.body, opts, params, "single");
    if (!r.ok) return r;
    return ok((r.value[item.entity] ?? {}) as Body);
  }

  /** Up to 30 independent items in one call; each item has its own result. */
  async batch(items: BatchItem[], opts: { requestId?: string } = {}): Promise<Result<BatchItemResult[]>> {
    if (items.length > MAX_BATCH_ITEMS) {
      return fail(
        new LexError(
          "qbo_batch_too_large",
          `A batch holds at most ${MAX_BATCH_ITEMS} items; got ${items.length}`,
        ),
      );
    }
    const request = items.map((it) => {
      if ("query" in it) return { bId: it.bId, Query: String(it.query) };
      const options = it.operation !== "void" ? it.options : undefined;
      return {
        bId: it.bId,
        operation: it.operation,
        [it.entity]: it.body,
        ...(options ? { optionsData: options } : {}),
      };
    });
    const r = await this.#call({
      method: "POST",
      url: this.#url("/batch", { requestid: opts.requestId }),
      body: JSON.stringify({ BatchItemRequest: request }),
      rateLane: "batch",
      ...(opts.requestId ? { idempotencyKey: opts.requestId } : {}),
    });
    if (!r.ok) return r;
    const responses = (r.value.BatchItemResponse ?? []) as Body[];
    return ok(
      responses.map((res): BatchItemResult => {
        const bId = String(res.bId ?? "");
        const fault = parseFault(res);
        if (fault) return { bId, ok: false, error: faultToError(fault, 400) };
        if (res.QueryResponse) return { bId, ok: true, query: res.QueryResponse as Body };
        const entity = Object.keys(res).find((k) => k in qboSchemas);
        return { bId, ok: true, ...(entity ? { entity, value: res[entity] as Body } : {}) };
      }),
    );
  }

  /** Change data capture since a time within the last 30 days. */
  async cdc(entities: QboEntityName[], changedSince: Date | string): Promise<Result<CdcChanges>> {
    const since = typeof changedSince === "string" ? changedSince : changedSince.toISOString();
    const r = await this.#call({
      method: "GET",
      url: this.#url("/cdc", { entities: entities.join(","), changedSince: since }),
    });
    if (!r.ok) return r;
    const out: CdcChanges = { time: String(r.value.time ?? ""), changed: {}, deleted: {} };
    for (const block of (r.value.CDCResponse ?? []) as Body[]) {
      for (const qr of (block.QueryResponse ?? []) as Body[]) {
        for (const [key, list] of Object.entries(qr)) {
          if (!Array.isArray(list)) continue;
          for (const row of list as Body[]) {
            if (row.status === "Deleted") {
              out.deleted[key] = [...(out.deleted[key] ?? []), String(row.Id)];
            } else {
              out.changed[key] = [...(out.changed[key] ?? []), row];
            }
          }
        }
      }
    }
    return ok(out);
  }

  companyInfo(): Promise<Result<QboEntity<"CompanyInfo">>> {
    return this.read("CompanyInfo", this.realmId);
  }

  preferences(): Promise<Result<QboEntity<"Preferences">>> {
    return this.read("Preferences", "1");
  }
}
