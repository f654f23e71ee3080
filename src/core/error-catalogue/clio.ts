import type { Catalogue } from "./types.ts";

/** Error codes of the clio domain. Each names the Clio status it covers (reference/clio-api.md §4). */
export const clioErrors = {
  clio_auth_invalid: {
    kind: "config",
    action: "refresh_then_retry",
    title: "Clio refused the access token",
    cause:
      "Clio answered 401 invalid_token: the access token expired (30 days by default), was revoked, or belongs to another region.",
    fix: "Nothing at first: the token is refreshed and the call repeated. If it persists, reconnect with `lexbridge connect clio`.",
  },
  clio_oauth_invalid_grant: {
    kind: "config",
    action: "stop",
    title: "Clio rejected the authorization grant",
    cause:
      "The token endpoint answered invalid_grant or invalid_client: the code was used or expired, the refresh token was revoked, the client secret is wrong, or the app lives in another region (Clio then says invalid_client).",
    fix: "Check the region and the client id/secret, then reconnect with `lexbridge connect clio`.",
  },
  clio_forbidden: {
    kind: "config",
    action: "stop",
    title: "Clio forbids this action",
    cause:
      "Clio answered 403: the app lacks a permission (scope), the user authorised before the scope was added, or the user's role forbids it.",
    fix: "Add the permission to the Clio developer app and re-authorise as an admin-level Clio user.",
  },
  clio_not_found: {
    kind: "data",
    action: "issue",
    title: "The Clio record does not exist",
    cause: "Clio answered 404: the record was deleted or is not visible to the authorising user.",
    fix: "Check the record in Clio; if it was deleted, re-sync the item to drop or re-link it.",
  },
  clio_bad_request: {
    kind: "system",
    action: "stop",
    title: "Clio rejected the request parameters",
    cause:
      "Clio answered 400: an unknown field in `fields`, braces nested deeper than one level, or an invalid filter or operator.",
    fix: "Report it with the log line: the request lexbridge built does not match the API.",
  },
  clio_invalid_request: {
    kind: "data",
    action: "issue",
    title: "Clio rejected the record",
    cause:
      "Clio answered 422 (validation failed), e.g. a contact without first or last name, or an action not allowed in the record's state.",
    fix: "Correct the record in Clio (the message says which field), then re-sync the item.",
  },
  clio_offset_limit: {
    kind: "system",
    action: "stop",
    title: "Clio's offset pagination limit was reached",
    cause: "Offset pagination stops at 10,000 records (422 ArgumentError).",
    fix: "Use cursor pagination (order=id(asc), follow meta.paging.next); report it if lexbridge did this.",
  },
  clio_precondition_failed: {
    kind: "transient",
    action: "retry",
    title: "The Clio record changed meanwhile",
    cause: "Clio answered 412: the If-Match ETag no longer matches because someone edited the record.",
    fix: "Nothing: the record is fetched again, merged and the update retried.",
  },
  clio_api_version_gone: {
    kind: "config",
    action: "stop",
    title: "The Clio API version is no longer supported",
    cause: "Clio answered 410 Gone to the X-API-VERSION header: the version is invalid or retired.",
    fix: "Upgrade lexbridge: this version asks Clio for an API version Clio no longer serves.",
  },
  clio_rate_limited: {
    kind: "transient",
    action: "retry",
    title: "Clio rate limit reached",
    cause: "Clio answered 429: the access token used its requests for the current 60-second window.",
    fix: "Nothing: lexbridge waits for Retry-After and follows the X-RateLimit headers.",
  },
  clio_server_error: {
    kind: "transient",
    action: "retry",
    title: "Clio had a server error",
    cause: "Clio answered 5xx.",
    fix: "Nothing: it is retried with backoff. If it persists, check Clio's status page.",
  },
  clio_unexpected_response: {
    kind: "system",
    action: "stop",
    title: "Clio answered with an unexpected body",
    cause: "A response did not match the expected shape (schema validation failed).",
    fix: "Report it with the log line; Clio may have changed the API.",
  },
  clio_webhook_signature_invalid: {
    kind: "data",
    action: "issue",
    title: "A Clio webhook delivery had a bad signature",
    cause: "X-Hook-Signature was missing or is not the HMAC-SHA256 of the body with the webhook's secret.",
    fix: "Nothing if it was a forgery. If genuine deliveries fail, re-create the webhook subscription.",
  },
} as const satisfies Catalogue;
