import { LexError } from "../core/errors.ts";

/**
 * Walks an authorization URL whose server approves at once (the emulators do, as a developer's
 * own sandbox login would be scripted) and returns the query of the redirect: `code`, `state`
 * and, for QBO, `realmId`. Real providers need a person at a browser: `lexbridge connect`.
 */
export async function approveAtOnce(
  authorizeUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<URLSearchParams> {
  const response = await fetchImpl(authorizeUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  await response.body?.cancel();
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new LexError(
      "auth_unauthorized",
      `The authorization server did not approve at once (status ${response.status}); connect interactively with \`lexbridge connect\``,
      { status: response.status },
    );
  }
  const params = new URL(location, authorizeUrl).searchParams;
  if (!params.get("code")) {
    throw new LexError(
      "auth_unauthorized",
      `Authorization was refused: ${params.get("error") ?? "no code in the redirect"}`,
    );
  }
  return params;
}
