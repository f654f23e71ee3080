/**
 * QBO's throttle fault 3001 ("ThrottleExceeded") has also been answered with HTTP 403, in the
 * XML body the gateway sends even for JSON requests (reference/qbo-api.md §7, §9.1). A 403 is
 * otherwise "not authorized" (3100), which must not be retried; so a 403 whose body is the
 * throttle fault is shown to the layers above as the 429 it means, and the rate budget and the
 * retries treat it as one. Logging sits below this and still records the real status.
 */
import type { HttpSend } from "../http/types.ts";
import { parseFault } from "./errors.ts";

const THROTTLE_CODE = "3001";

/** True when a response body (JSON in either casing, or XML) holds throttle fault 3001. */
export function isThrottleBody(text: string): boolean {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // XML or plain text
  }
  const fault = parseFault(body);
  if (fault?.errors.some((e) => e.code === THROTTLE_CODE)) return true;
  return /ThrottleExceeded|errorCode=0*3001\b/.test(text);
}

export function withQboThrottleStatus(next: HttpSend): HttpSend {
  return async (request) => {
    const response = await next(request);
    if (response.status !== 403) return response;
    const text = await response.text();
    const status = isThrottleBody(text) ? 429 : 403;
    return new Response(text, { status, statusText: response.statusText, headers: response.headers });
  };
}
