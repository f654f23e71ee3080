import type { ErrorCode } from "../core/error-catalogue/index.ts";
import { LexError } from "../core/errors.ts";

/** Which provider's token endpoint answered, for the error's code and wording. */
export type OAuthProvider = "clio" | "qbo";

const LABEL: Record<OAuthProvider, string> = { clio: "Clio", qbo: "QuickBooks" };

/**
 * Turns a refused token-endpoint answer (RFC 6749 §5.2: `{"error": …, "error_description": …}`)
 * into one coded error. invalid_client means the app's credentials; an invalid_grant that names
 * the redirect URI means the two requests used different ones; any other invalid_grant means the
 * code or refresh token is no longer good. Server errors stay transient.
 */
export function oauthTokenError(
  provider: OAuthProvider,
  grant: string,
  status: number,
  body: { error?: unknown; error_description?: unknown },
): LexError {
  const error = typeof body.error === "string" ? body.error : undefined;
  const description = typeof body.error_description === "string" ? body.error_description : "";
  const label = LABEL[provider];
  const options = { status, providerCode: error ?? String(status) };
  if (status >= 500) {
    const code: ErrorCode = provider === "qbo" ? "qbo_server_error" : "clio_server_error";
    return new LexError(code, `${label}'s token endpoint answered HTTP ${status}`, options);
  }
  if (error === "invalid_client") {
    const region = provider === "clio" ? ", or the app is registered in another Clio region" : "";
    return new LexError(
      "oauth_client_rejected",
      `${label} refused the app's client id or secret (invalid_client)${region}`,
      options,
    );
  }
  if (error === "invalid_grant" && /redirect/i.test(description)) {
    return new LexError(
      "oauth_redirect_mismatch",
      `${label} refused the code: the redirect URI differs from the one the authorization used`,
      options,
    );
  }
  const code: ErrorCode = provider === "qbo" ? "qbo_oauth_invalid_grant" : "clio_oauth_invalid_grant";
  return new LexError(
    code,
    `${label}'s token endpoint refused the ${grant} grant (${error ?? `HTTP ${status}`})`,
    options,
  );
}
