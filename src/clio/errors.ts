import { LexError } from "../core/errors.ts";

/**
 * Maps a Clio response that is not a success to a LexError (clio-api.md §4). The provider code is
 * Clio's `error.type` (or the OAuth `error`), kept next to ours.
 */
export async function clioError(response: Response, what: string): Promise<LexError> {
  const text = await response.text().catch(() => "");
  let providerCode: string | undefined;
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as {
      error?: { type?: string; message?: string } | string;
      error_description?: string;
    };
    if (typeof body.error === "string") {
      providerCode = body.error;
      message = body.error_description ?? body.error;
    } else if (body.error) {
      providerCode = body.error.type;
      message = body.error.message ?? message;
    }
  } catch {
    // not JSON: keep the text
  }
  const options = {
    status: response.status,
    requestId: response.headers.get("x-request-id") ?? undefined,
    details: { what },
    ...(providerCode ? { providerCode } : {}),
  };
  const s = response.status;
  const msg = `${what}: ${message || `HTTP ${s}`}`;
  if (s === 401) return new LexError("clio_auth_invalid", msg, options);
  if (s === 403) return new LexError("clio_forbidden", msg, options);
  if (s === 404) return new LexError("clio_not_found", msg, options);
  if (s === 400) return new LexError("clio_bad_request", msg, options);
  if (s === 410) return new LexError("clio_api_version_gone", msg, options);
  if (s === 412) return new LexError("clio_precondition_failed", msg, options);
  if (s === 422 && providerCode === "ArgumentError") return new LexError("clio_offset_limit", msg, options);
  if (s === 422) return new LexError("clio_invalid_request", msg, options);
  if (s === 429) return new LexError("clio_rate_limited", msg, options);
  if (s >= 500) return new LexError("clio_server_error", msg, options);
  return new LexError("http_unexpected_status", msg, options);
}
