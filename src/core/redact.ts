/**
 * What counts as a secret, in one place: logs (pino redact paths), error details and URLs all
 * use these lists, so a new secret name is added once.
 */
export const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "cookie",
  "set-cookie",
  "access_token",
  "accessToken",
  "refresh_token",
  "refreshToken",
  "id_token",
  "client_secret",
  "clientSecret",
  "password",
  "secret",
  "token",
  "verifierToken",
  "webhookSecret",
  "x-hook-secret",
] as const;

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

export const REDACTED = "[redacted]";

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_SET.has(key.toLowerCase());
}

/** Query parameters that carry secrets; `code` is the OAuth authorization code (not an error code). */
function isSecretQueryParam(key: string): boolean {
  return isSecretKey(key) || key === "code";
}

/** pino `redact.paths`: each secret key at the top level and one or two levels deep. */
export function pinoRedactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const prop = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (prop.startsWith("[") ? `${prefix}${prop}` : `${prefix}.${prop}`);
    paths.push(prop.startsWith("[") ? prop.slice(2, -2) : prop, join("*"), join("*.*"));
  }
  return paths;
}

/** A copy of headers with secret values replaced. */
export function redactHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key] = isSecretKey(key) ? REDACTED : value;
  return out;
}

/** A URL for logs: secret query parameters (token, code, client_secret, …) replaced. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "[unparseable url]";
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretQueryParam(key)) parsed.searchParams.set(key, REDACTED);
  }
  parsed.username = "";
  parsed.password = "";
  return parsed.pathname + (parsed.search ? decodeURIComponent(parsed.search) : "");
}
