import type { Catalogue } from "./types.ts";

/** Error codes of the qbo domain. Each names the QBO fault codes it covers (reference/qbo-api.md §9). */
export const qboErrors = {
  qbo_auth_invalid: {
    kind: "config",
    action: "refresh_then_retry",
    title: "QuickBooks refused the access token",
    cause:
      "QBO answered 401 with fault 3200 (AuthenticationFailed): the access token expired or is malformed.",
    fix: "Nothing at first: the token is refreshed and the call repeated. If it persists, reconnect with `lexbridge connect qbo`.",
  },
  qbo_forbidden: {
    kind: "config",
    action: "stop",
    title: "The app is not authorized for this QuickBooks company",
    cause:
      "QBO answered 403 with fault 3100 or 120: missing scope, sandbox keys against production, or the user lost access.",
    fix: "Reconnect with `lexbridge connect qbo` as an admin user of the company, with the keys of the right environment (Development keys for the sandbox, Production keys for production).",
  },
  qbo_oauth_invalid_grant: {
    kind: "config",
    action: "stop",
    title: "QuickBooks rejected the authorization grant",
    cause:
      "The token endpoint answered invalid_grant or invalid_client: the code or refresh token expired, was revoked or rotated away, or the client credentials are wrong.",
    fix: "Reconnect with `lexbridge connect qbo`; check the client id and secret.",
  },
  qbo_rate_limited: {
    kind: "transient",
    action: "retry",
    title: "QuickBooks throttled the request",
    cause:
      "QBO answered 429 with fault 3001 (ThrottleExceeded): over 500 requests/min, 10 concurrent, or 40 batches/min for the company.",
    fix: "Nothing: lexbridge waits and retries within the company's budget.",
  },
  qbo_server_error: {
    kind: "transient",
    action: "retry",
    title: "QuickBooks had a server error",
    cause: "QBO answered 500/502/503/504 or a SystemFault (codes 10000+): a problem on Intuit's side.",
    fix: "Nothing: the request is retried with backoff (writes only with their requestid). If it persists, check status.developer.intuit.com.",
  },
  qbo_company_locked: {
    kind: "transient",
    action: "retry",
    title: "The QuickBooks company is locked or under maintenance",
    cause: "QBO answered fault 140 or 150.",
    fix: "Nothing: retried later.",
  },
  qbo_company_inactive: {
    kind: "config",
    action: "stop",
    title: "The QuickBooks subscription is not active",
    cause: "QBO answered fault 6190 (invalid company status): the subscription lapsed or was cancelled.",
    fix: "Renew the QuickBooks subscription, then run the sync again.",
  },
  qbo_stale_object: {
    kind: "transient",
    action: "retry",
    title: "The QuickBooks record changed since it was read",
    cause:
      "QBO answered fault 5010 (Stale Object Error): the SyncToken sent is not the record's current one.",
    fix: "Nothing: lexbridge re-reads the record, re-applies the change and retries.",
  },
  qbo_not_found: {
    kind: "data",
    action: "issue",
    title: "The QuickBooks record does not exist",
    cause: "QBO answered fault 610 (Object Not Found): the record was deleted in QuickBooks.",
    fix: "Re-sync the item: lexbridge re-creates or re-links the record.",
  },
  qbo_invalid_reference: {
    kind: "data",
    action: "issue",
    title: "A referenced QuickBooks record is missing or inactive",
    cause:
      "QBO answered fault 610 (made inactive), 2500 (invalid reference id) or 620 (can't link): a customer, item or account used by the record is inactive or gone.",
    fix: "Make the named customer, item or account active again in QuickBooks, then re-sync the item (`lexbridge resync <item id>`).",
  },
  qbo_duplicate_name: {
    kind: "data",
    action: "issue",
    title: "The name is already used in QuickBooks",
    cause: "QBO answered fault 6240: customers, vendors and employees share one list of display names.",
    fix: "Rename the other QuickBooks customer, vendor or employee (the three share one list of names), or rename the Clio contact; then re-sync the item (`lexbridge resync <item id>`).",
  },
  qbo_duplicate_doc_number: {
    kind: "data",
    action: "issue",
    title: "The document number is already used in QuickBooks",
    cause:
      "QBO answered fault 6140 (Duplicate Document Number): the company warns on duplicate numbers and another transaction has this number.",
    fix: "Renumber the other QuickBooks transaction or turn off the duplicate-number warning, then re-sync.",
  },
  qbo_deposited_payment: {
    kind: "data",
    action: "issue",
    title: "The payment is already deposited in QuickBooks",
    cause: "QBO answered fault 6540: a payment included in a bank deposit can't be changed or deleted.",
    fix: "In QuickBooks, remove the payment from its deposit (edit the deposit), then re-sync the item.",
  },
  qbo_closed_period: {
    kind: "data",
    action: "issue",
    title: "The QuickBooks books are closed for this date",
    cause: "QBO answered fault 6210: the transaction date is on or before the company's closing date.",
    fix: "Move the closing date in QuickBooks (Settings › Advanced › Accounting) or change the date in Clio, then re-sync.",
  },
  qbo_amount_mismatch: {
    kind: "data",
    action: "issue",
    title: "A line amount does not equal quantity × rate",
    cause: "QBO answered fault 6070: Amount must equal Qty × UnitPrice rounded to cents.",
    fix: "Correct the line in Clio; lexbridge sends Qty and UnitPrice that multiply exactly.",
  },
  qbo_validation: {
    kind: "data",
    action: "issue",
    title: "QuickBooks rejected the record",
    cause:
      "QBO answered a validation fault (2010, 2020, 2050, 2170, 6000, 6080, 6100 …): a required field is missing, too long, or a business rule failed. The message keeps QBO's detail and the field.",
    fix: "Correct the named field in Clio, then re-sync the item (`lexbridge resync <item id>`).",
  },
  qbo_query_invalid: {
    kind: "system",
    action: "stop",
    title: "QuickBooks could not run a query",
    cause:
      "QBO answered fault 4000 (parse error), 4001 (invalid query) or 4002 (processing error): a defect in the query lexbridge built.",
    fix: "Report it with the log line; the query text is in the details.",
  },
  qbo_batch_too_large: {
    kind: "system",
    action: "stop",
    title: "Batch request too large",
    cause: "QBO answered fault 1040: more than 30 items in one batch.",
    fix: "A defect in lexbridge (batches are split at 30); report it.",
  },
  qbo_cdc_window: {
    kind: "transient",
    action: "retry",
    title: "Change feed window is older than 30 days",
    cause:
      "QBO's change data capture only looks back 30 days (fault 4001 on changedSince). lexbridge does not ask for an older window: after more than 30 days without a pass it compares every linked record with QuickBooks instead. QBO refusing a window anyway means this machine's clock and QuickBooks' disagree.",
    fix: "Nothing to reset: the pass compares the linked records in full and carries on. If it recurs, check the system clock (NTP).",
  },
  qbo_unsupported: {
    kind: "system",
    action: "stop",
    title: "QuickBooks does not support the operation",
    cause:
      "QBO answered fault 500 (Unsupported Operation): e.g. deleting a name-list record or a non-UTF-8 body.",
    fix: "A defect in lexbridge; report it with the log line.",
  },
  qbo_unknown_fault: {
    kind: "system",
    action: "stop",
    title: "QuickBooks answered with an unknown fault",
    cause: "A fault code or response lexbridge has no rule for.",
    fix: "Report it with the log line; QBO's code and message are kept in the details.",
  },
} as const satisfies Catalogue;
