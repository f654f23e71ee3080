import type { Clock } from "../core/clock.ts";
import { isLexError, LexError } from "../core/errors.ts";
import type { Connector } from "./connectors.ts";
import type { OAuthStates } from "./oauth-states.ts";
import { listenForRedirect, type RedirectListener } from "./redirect-listener.ts";

export interface ConnectOptions<C> {
  connector: Connector<C>;
  states: OAuthStates;
  clock: Clock;
  /** How long to wait for the person at the browser (at most the state's 10 minutes). */
  timeoutMs: number;
  /** Listen on the redirect URI (its own port when local, else this port on loopback). */
  listenPort: number;
  /** Lines typed or pasted on the terminal: the address the browser ended on (headless servers). */
  pasted?: AsyncIterable<string>;
  /** Stdout: the authorize address, first and alone. */
  out: (line: string) => void;
  /** Stderr: guidance for the person. */
  note: (line: string) => void;
  /** Aborted on Ctrl+C. */
  signal?: AbortSignal;
  /** Stores the connection; called only once everything succeeded. */
  save: (connection: C) => Promise<void>;
}

/**
 * The OAuth 2.0 authorization-code flow for a person (RFC 6749 §4.1): print the provider's
 * address, wait for its redirect (on the redirect URI, or pasted), check the state, exchange the
 * code, find out what was connected, and only then store it. Every failure is a coded error and
 * leaves what was stored before untouched.
 */
export async function runConnect<C>(options: ConnectOptions<C>): Promise<C> {
  const { connector } = options;
  const state = options.states.issue(connector.provider);
  let settle!: (result: { ok: true; value: C } | { ok: false; error: unknown }) => void;
  const finished = new Promise<{ ok: true; value: C } | { ok: false; error: unknown }>((r) => {
    settle = r;
  });
  let busy = false;

  const handle = async (query: URLSearchParams) => {
    if (busy) return { ok: false, message: "An answer is already being handled." };
    busy = true;
    try {
      const connection = await complete(options, query);
      await options.save(connection);
      settle({ ok: true, value: connection });
      return { ok: true, message: `lexbridge is now connected to ${connector.describe(connection)}.` };
    } catch (error) {
      settle({ ok: false, error });
      return {
        ok: false,
        message: isLexError(error) ? `[${error.code}] ${error.message}` : "Unexpected error.",
      };
    }
  };

  const listener: RedirectListener = await listenForRedirect(
    connector.redirectUri,
    options.listenPort,
    handle,
  );
  const cancelTimer = options.clock.setTimer(
    () =>
      settle({
        ok: false,
        error: new LexError(
          "oauth_timeout",
          `No answer reached ${connector.redirectUri} within ${Math.round(options.timeoutMs / 1000)} s`,
        ),
      }),
    options.timeoutMs,
  );
  const onAbort = () =>
    settle({
      ok: false,
      error: new LexError("oauth_consent_denied", "Connecting was cancelled; nothing was stored"),
    });
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    options.out(connector.authorizeUrl(state));
    options.note(
      `Open the address above in a browser and approve access to ${connector.label}.\n` +
        `Waiting for the redirect on ${listener.address}` +
        (options.pasted ? " — or paste here the address the browser ends on." : "."),
    );
    if (options.pasted) void readPasted(options.pasted, connector.redirectUri, handle, settle);
    const result = await finished;
    if (!result.ok) throw result.error;
    return result.value;
  } finally {
    cancelTimer();
    options.signal?.removeEventListener("abort", onAbort);
    await listener.close();
  }
}

async function readPasted(
  lines: AsyncIterable<string>,
  redirectUri: string,
  handle: (q: URLSearchParams) => Promise<unknown>,
  settle: (r: { ok: false; error: unknown }) => void,
): Promise<void> {
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      continue; // not an address: keep waiting
    }
    const expected = new URL(redirectUri);
    if (url.origin !== expected.origin || url.pathname !== expected.pathname) {
      settle({
        ok: false,
        error: new LexError(
          "oauth_redirect_mismatch",
          `The pasted address goes to ${url.origin}${url.pathname}, not to the redirect URI ${redirectUri}`,
        ),
      });
      return;
    }
    await handle(url.searchParams);
    return;
  }
}

function complete<C>(options: ConnectOptions<C>, query: URLSearchParams): Promise<C> {
  return completeRedirect(options.connector, options.states, query);
}

/**
 * The redirect's answer, checked and turned into a connection: the state first (it must be one
 * this process issued for this provider, unused and fresh), then the provider's error, then the
 * code exchange. Shared by `lexbridge connect` and the dashboard's `/oauth/callback`.
 */
export async function completeRedirect<C>(
  connector: Connector<C>,
  states: OAuthStates,
  query: URLSearchParams,
): Promise<C> {
  const check = states.consume(query.get("state"), connector.provider);
  if (check !== "ok")
    throw new LexError(
      "oauth_state_mismatch",
      check === "expired"
        ? "The authorization took longer than 10 minutes; its state has expired"
        : "The redirect's state is not the one this attempt issued (a stale tab, another attempt or a forged request)",
    );
  const error = query.get("error");
  if (error) {
    const description = query.get("error_description");
    throw new LexError(
      "oauth_consent_denied",
      `${connector.label} answered error=${error}${description ? ` (${description})` : ""}; nothing was stored`,
      { providerCode: error },
    );
  }
  return connector.complete(query);
}
