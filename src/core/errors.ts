import { type ErrorAction, type ErrorCode, type ErrorKind, errorCatalogue } from "./error-catalogue/index.ts";

export type { ErrorAction, ErrorCode, ErrorKind } from "./error-catalogue/index.ts";

export interface LexErrorOptions {
  /** The provider's own code, e.g. QBO's "6240" or Clio's "RateLimited". Kept next to ours. */
  providerCode?: string;
  /** The provider's request id (QBO `intuit_tid`, Clio `X-Request-Id`) or our own `requestid`. */
  requestId?: string;
  /** HTTP status, when the error came from a response. */
  status?: number;
  /** Extra facts that are safe to log (never tokens or secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of the product. Its `code` comes from the fixed catalogue, which also gives
 * its kind and the action the engine takes. `toJSON()` carries only safe fields: the cause is
 * summarised by name and message, never serialised whole (it may hold a request with headers).
 */
export class LexError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly action: ErrorAction;
  readonly providerCode: string | undefined;
  readonly requestId: string | undefined;
  readonly status: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: LexErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = errorCatalogue[code];
    this.name = "LexError";
    this.code = code;
    this.kind = entry.kind;
    this.action = entry.action;
    this.providerCode = options.providerCode;
    this.requestId = options.requestId;
    this.status = options.status;
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      kind: this.kind,
      action: this.action,
      message: this.message,
    };
    if (this.providerCode !== undefined) json.providerCode = this.providerCode;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.status !== undefined) json.status = this.status;
    if (Object.keys(this.details).length > 0) json.details = this.details;
    if (this.cause instanceof Error) json.cause = { name: this.cause.name, message: this.cause.message };
    return json;
  }
}

export function isLexError(value: unknown, code?: ErrorCode): value is LexError {
  return value instanceof LexError && (code === undefined || value.code === code);
}

/** A result for expected failures: they are returned, not thrown (DESIGN.md, Errors). */
export type Result<T, E = LexError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
