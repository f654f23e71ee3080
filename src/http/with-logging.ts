import type { Clock } from "../core/clock.ts";
import { isLexError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { redactUrl } from "../core/redact.ts";
import { isStopRequested } from "../core/stop.ts";
import type { HttpSend } from "./types.ts";

/** Headers that carry the provider's request id, in the order they are looked for. */
const REQUEST_ID_HEADERS = ["intuit_tid", "x-request-id", "x-correlation-id"];

/**
 * One log line per attempt: method, path (secret query values redacted), status, duration,
 * attempt and request ids. Headers and bodies are never logged, so a token cannot leak here.
 */
export function withLogging(next: HttpSend, logger: Logger, clock: Clock): HttpSend {
  return async (request) => {
    const started = clock.now();
    const base = {
      method: request.method,
      path: redactUrl(request.url),
      attempt: request.attempt ?? 1,
      requestId: request.idempotencyKey,
    };
    try {
      const response = await next(request);
      const providerRequestId = REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find((v) => v);
      logger.info(
        { ...base, status: response.status, durationMs: clock.now() - started, providerRequestId },
        "http request",
      );
      return response;
    } catch (error) {
      // A request abandoned because a person stopped the run is expected, not a warning.
      if (isStopRequested(error)) {
        logger.info({ ...base, durationMs: clock.now() - started }, "http request abandoned: stop requested");
        throw error;
      }
      logger.warn(
        { ...base, durationMs: clock.now() - started, errorCode: isLexError(error) ? error.code : "unknown" },
        "http request failed",
      );
      throw error;
    }
  };
}
