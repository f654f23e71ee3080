/**
 * Turns any QBO failure into a LexError with our code and action, keeping QBO's own code,
 * message, `element` and `intuit_tid`. Reads all three fault shapes (reference §9.1): the data
 * service `Fault`, the gateway's lowercase `fault`, and XML `IntuitResponse/Fault`.
 */
import { type ErrorCode, LexError } from "../core/errors.ts";

export interface QboFaultError {
  code: string;
  message: string;
  detail: string;
  element?: string;
}

export interface ParsedFault {
  type?: string;
  errors: QboFaultError[];
}

function fromJsonErrors(list: unknown, type: unknown): ParsedFault {
  const errors = (Array.isArray(list) ? list : []).map((e: Record<string, unknown>) => ({
    code: String(e.code ?? e.Code ?? ""),
    message: String(e.Message ?? e.message ?? ""),
    detail: String(e.Detail ?? e.detail ?? ""),
    ...(e.element ? { element: String(e.element) } : {}),
  }));
  return { ...(typeof type === "string" ? { type } : {}), errors };
}

/** Reads a fault from a JSON body (either casing) or XML text; undefined when there is none. */
export function parseFault(body: unknown): ParsedFault | undefined {
  if (typeof body === "string") {
    const code = /<Error[^>]*code="(\d+)"/.exec(body)?.[1];
    if (!code) return undefined;
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1] ?? "";
    const detail = /<Detail>([\s\S]*?)<\/Detail>/.exec(body)?.[1] ?? "";
    const type = /<Fault[^>]*type="([^"]+)"/.exec(body)?.[1];
    return { ...(type ? { type } : {}), errors: [{ code, message, detail }] };
  }
  if (!body || typeof body !== "object") return undefined;
  const o = body as Record<string, Record<string, unknown> | undefined>;
  if (o.Fault) return fromJsonErrors(o.Fault.Error, o.Fault.type);
  if (o.fault) return fromJsonErrors(o.fault.error, o.fault.type);
  return undefined;
}

const BY_CODE: Record<string, ErrorCode> = {
  "100": "qbo_auth_invalid",
  "120": "qbo_forbidden",
  "140": "qbo_company_locked",
  "150": "qbo_company_locked",
  "500": "qbo_unsupported",
  "600": "qbo_validation",
  "620": "qbo_invalid_reference",
  "1040": "qbo_batch_too_large",
  "2500": "qbo_invalid_reference",
  "3001": "qbo_rate_limited",
  "3100": "qbo_forbidden",
  "3200": "qbo_auth_invalid",
  "4000": "qbo_query_invalid",
  "4001": "qbo_query_invalid",
  "4002": "qbo_query_invalid",
  "5010": "qbo_stale_object",
  "6070": "qbo_amount_mismatch",
  "6140": "qbo_duplicate_doc_number",
  "6190": "qbo_company_inactive",
  "6210": "qbo_closed_period",
  "6240": "qbo_duplicate_name",
  "6540": "qbo_deposited_payment",
};

/** Our error code for one QBO fault code (with the HTTP status as a fallback). */
export function codeForFault(err: QboFaultError | undefined, status: number): ErrorCode {
  const code = err?.code ?? "";
  if (code === "610") return /inactive/i.test(err?.detail ?? "") ? "qbo_invalid_reference" : "qbo_not_found";
  if (/changedSince/i.test(err?.detail ?? "") && /30 days/.test(err?.detail ?? "")) return "qbo_cdc_window";
  const mapped = BY_CODE[code];
  if (mapped) return mapped;
  const n = Number(code);
  if (n >= 2000 && n < 3000) return "qbo_validation";
  if (n >= 6000 && n < 7000) return "qbo_validation";
  if (n >= 10000) return "qbo_server_error";
  if (status === 401) return "qbo_auth_invalid";
  if (status === 403) return "qbo_forbidden";
  if (status === 429) return "qbo_rate_limited";
  if (status >= 500) return "qbo_server_error";
  return "qbo_unknown_fault";
}

export function faultToError(fault: ParsedFault | undefined, status: number, requestId?: string): LexError {
  const first = fault?.errors[0];
  const code = codeForFault(first, status);
  const text = first ? `${first.message}${first.detail ? `: ${first.detail}` : ""}` : `HTTP ${status}`;
  return new LexError(code, `QuickBooks: ${text}`, {
    ...(first?.code ? { providerCode: first.code } : {}),
    ...(requestId ? { requestId } : {}),
    status,
    details: {
      ...(first?.element ? { element: first.element } : {}),
      ...(fault?.type ? { faultType: fault.type } : {}),
      ...(fault && fault.errors.length > 1 ? { errors: fault.errors } : {}),
    },
  });
}

/** Reads a failed response into a LexError (its body is consumed). */
export async function responseToError(res: Response): Promise<LexError> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // XML or plain text
  }
  return faultToError(parseFault(body), res.status, res.headers.get("intuit_tid") ?? undefined);
}
