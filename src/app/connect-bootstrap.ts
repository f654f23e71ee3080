import type { Clock } from "../core/clock.ts";
import { LexError } from "../core/errors.ts";
import { networkFailure } from "../http/transport.ts";
import type { Connector } from "./connectors.ts";
import { OAuthStates } from "./oauth-states.ts";

/**
 * Connects to an emulator started with auto-approve (the demo, tests): its authorize address
 * redirects at once, so no person is needed. The answer goes through the same checks as a
 * person's (state, error, code exchange). An emulator that shows a consent page instead — what
 * real providers do — needs `lexbridge connect`.
 */
export async function runBootstrap<C>(
  connector: Connector<C>,
  clock: Clock,
  fetchImpl: typeof fetch = fetch,
): Promise<C> {
  const states = new OAuthStates(clock);
  const address = connector.authorizeUrl(states.issue(connector.provider));
  const response = await fetchImpl(address, { redirect: "manual" }).catch((cause: unknown) => {
    throw networkFailure("GET", address, cause);
  });
  const location = response.headers.get("location");
  await response.body?.cancel();
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new LexError(
      "auth_not_connected",
      `${connector.label} is not connected, and its emulator asks a person to approve (HTTP ${response.status}): run \`lexbridge connect ${connector.provider}\`, or start the emulator with --auto-approve`,
      { status: response.status },
    );
  }
  const query = new URL(location, address).searchParams;
  if (states.consume(query.get("state"), connector.provider) !== "ok")
    throw new LexError(
      "oauth_state_mismatch",
      "The emulator's redirect did not return the state it was given",
    );
  const error = query.get("error");
  if (error)
    throw new LexError("oauth_consent_denied", `${connector.label} answered error=${error}`, {
      providerCode: error,
    });
  return connector.complete(query);
}
