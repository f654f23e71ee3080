import type { Catalogue } from "./types.ts";

/** Errors of the HTTP layer, shared by both providers' clients. */
export const httpErrors = {
  http_timeout: {
    kind: "transient",
    action: "retry",
    title: "Request timed out",
    cause: "The remote API did not answer within the per-request timeout.",
    fix: "Nothing: it is retried when safe. If it persists, check connectivity or raise the timeout.",
  },
  http_network: {
    kind: "transient",
    action: "retry",
    title: "Network error",
    cause: "The connection was refused, reset or dropped before a response arrived.",
    fix: "During a pass nothing: it is retried when safe. If it persists or a command stops on it, check the address in the message (--clio-base-url / --qbo-base-url, or the Clio region and QuickBooks environment that choose it) and this machine's connection to it.",
  },
  http_retries_exhausted: {
    kind: "transient",
    action: "retry",
    title: "Gave up after repeated failures",
    cause: "Every attempt of a request failed with a retryable error (429, 5xx, timeout, reset).",
    fix: "The item is retried on the next sync pass. If it persists the provider may be down, or (a refused connection, an unknown host in the message) the address is wrong: check --clio-base-url / --qbo-base-url, or the Clio region and QuickBooks environment that choose it.",
  },
  http_unexpected_status: {
    kind: "system",
    action: "stop",
    title: "Unexpected HTTP status",
    cause: "The API answered with a status lexbridge has no rule for.",
    fix: "Report it with the log line; the request id identifies the call.",
  },
  auth_refresh_failed: {
    kind: "config",
    action: "stop",
    title: "Reconnect required",
    cause:
      "The provider refused the refresh token (invalid_grant: revoked, expired after about 100 days unused for QuickBooks, or rotated away) or the app's credentials: no new access token can be had without a person.",
    fix: "Reconnect with `lexbridge connect clio` or `lexbridge connect qbo` (the message names which). The pass stopped cleanly; nothing is lost, and the next pass after reconnecting resumes.",
  },
  auth_unauthorized: {
    kind: "config",
    action: "stop",
    title: "Access was refused after a token refresh",
    cause: "The API still answered 401 after a fresh token was obtained.",
    fix: "Reconnect with `lexbridge connect clio` or `lexbridge connect qbo` (the message names which), signed in as a user who still has access to the firm or company.",
  },
} as const satisfies Catalogue;
