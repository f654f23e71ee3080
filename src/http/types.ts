/**
 * The request/response shape shared by every fetch decorator. A request is a plain value (not a
 * WHATWG Request) so it can be sent again by `with-retry` without cloning a consumed body.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Already-serialised body (JSON text, form text). */
  body?: string;
  /**
   * Set by the caller when repeating the request cannot do harm twice (QBO writes that carry a
   * `requestid`). Reads (GET/HEAD/OPTIONS) are always safe to repeat.
   */
  idempotencyKey?: string;
  /** A read sent as a POST (QBO's query endpoint): as safe to repeat as a GET. */
  safeToRepeat?: boolean;
  /** Which rate budget this request draws from, e.g. `qbo:<realmId>` or `clio:<tokenHash>`. */
  rateKey?: string;
  /** The lane inside that budget, e.g. `batch` for QBO batch calls. Default `default`. */
  rateLane?: string;
  /** Attempt number (1-based), set by `with-retry` so logs can show it. */
  attempt?: number;
  signal?: AbortSignal;
}

/** A sender: the transport at the bottom, each decorator wraps one. */
export type HttpSend = (request: HttpRequest) => Promise<Response>;
