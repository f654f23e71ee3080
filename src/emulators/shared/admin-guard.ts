import { timingSafeEqual } from "node:crypto";

/** Where both emulators serve their admin API (state export and import, token minting, faults). */
export const ADMIN_PATH = "/__admin";

type FetchHandler<Rest extends unknown[]> = (request: Request, ...rest: Rest) => Response | Promise<Response>;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Puts the admin API behind `Authorization: Bearer <adminToken>`. The admin API exports every
 * record and mints access tokens, which is harmless on loopback and not on a network, so
 * `lexbridge emulate` asks for a token whenever it listens beyond this machine. The real API paths
 * are untouched: they keep their own OAuth tokens, as at the real providers.
 */
export function guardAdminApi<Rest extends unknown[]>(
  handler: FetchHandler<Rest>,
  adminToken: string | undefined,
): FetchHandler<Rest> {
  if (adminToken === undefined) return handler;
  return (request, ...rest) => {
    const path = new URL(request.url).pathname;
    if (path !== ADMIN_PATH && !path.startsWith(`${ADMIN_PATH}/`)) return handler(request, ...rest);
    const given = /^Bearer (.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    if (given !== undefined && sameSecret(given, adminToken)) return handler(request, ...rest);
    return Response.json(
      {
        error: "admin_token_required",
        message: "This emulator's admin API needs the header Authorization: Bearer <admin token>.",
      },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="emulator admin"' } },
    );
  };
}

/** True for an address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}
