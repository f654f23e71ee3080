import type { HttpSend } from "./types.ts";

/**
 * Where bearer tokens come from. `refresh(rejected)` is called with the token the server refused;
 * an implementation that already holds a newer token returns it without refreshing again.
 */
export interface TokenSource {
  accessToken(): Promise<string>;
  refresh(rejected: string): Promise<string>;
}

/**
 * Adds `Authorization: Bearer …`. On a 401 it asks the token source for a fresh token (one refresh
 * shared by every concurrent caller, see single-flight-tokens.ts) and sends the request once more;
 * a second 401 is returned to the caller, who reports it.
 */
export function withAuth(next: HttpSend, tokens: TokenSource): HttpSend {
  return async (request) => {
    const token = await tokens.accessToken();
    const first = await next({
      ...request,
      headers: { ...request.headers, Authorization: `Bearer ${token}` },
    });
    if (first.status !== 401) return first;
    await first.body?.cancel();
    const fresh = await tokens.refresh(token);
    return next({ ...request, headers: { ...request.headers, Authorization: `Bearer ${fresh}` } });
  };
}
