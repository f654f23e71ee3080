import type { Clock } from "../core/clock.ts";
import type { Config } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import type { Store } from "../store/port.ts";
import { completeRedirect } from "./connect-flow.ts";
import { connectorFor, disconnect, storeConnection } from "./connect-service.ts";
import { type ClioConnection, type ProviderName, type QboConnection, secretBoxFor } from "./connections.ts";
import type { Connector } from "./connectors.ts";
import { OAuthStates } from "./oauth-states.ts";

/** Attempts kept at once: a person connects one provider at a time; this only bounds memory. */
const MAX_ATTEMPTS = 50;

type AnyConnector = Connector<QboConnection | ClioConnection>;

/** What the callback tells the browser after a successful connection. */
export interface Connected {
  provider: ProviderName;
  description: string;
  /** The dashboard origin the person started from (the callback may be on another host name). */
  returnOrigin: string;
}

/**
 * Connecting and disconnecting from the dashboard: the authorization-code flow of `lexbridge
 * connect`, with the redirect landing on serve's own `/oauth/callback` instead of a listener of
 * its own. Each attempt's connector is kept with its state, so the code is exchanged with exactly
 * the redirect URI it was asked for; states live in this process's memory for 10 minutes.
 */
export class DashboardConnect {
  readonly #configOf: () => Config;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #onChanged: (provider: ProviderName) => void;
  readonly #beforeStore: ((provider: ProviderName) => Promise<void>) | undefined;
  readonly #states: OAuthStates;
  readonly #attempts = new Map<string, { connector: AnyConnector; returnOrigin: string }>();

  constructor(deps: {
    /** With `redirectUri` set to the callback the providers send the browser to (known once serve listens). */
    config: () => Config;
    store: Store;
    clock: Clock;
    /** A connection was made or forgotten: the engine must be made again from the store. */
    onChanged: (provider: ProviderName) => void;
    /**
     * After the provider accepted the code, before anything is stored: scale mode's "Add firm"
     * creates the firm here (and a throw stores nothing, like any other failure).
     */
    beforeStore?: (provider: ProviderName) => Promise<void>;
  }) {
    this.#configOf = deps.config;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#onChanged = deps.onChanged;
    this.#beforeStore = deps.beforeStore;
    this.#states = new OAuthStates(deps.clock);
  }

  get redirectUri(): string {
    return this.#configOf().redirectUri!;
  }

  /** The provider's authorize address to send the browser to. */
  async start(provider: ProviderName, returnOrigin: string): Promise<string> {
    const connector = await connectorFor(provider, this.#configOf(), this.#clock, { note: () => {} });
    const state = this.#states.issue(provider);
    this.#attempts.set(state, { connector, returnOrigin });
    // Abandoned attempts (a closed tab) are dropped oldest first; their states expire anyway.
    if (this.#attempts.size > MAX_ATTEMPTS) this.#attempts.delete(this.#attempts.keys().next().value!);
    return connector.authorizeUrl(state);
  }

  /** The origin to send the browser back to for a callback's state, when this process issued it. */
  returnOriginOf(query: URLSearchParams): string | undefined {
    return this.#attempts.get(query.get("state") ?? "")?.returnOrigin;
  }

  /** Handles the redirect: state, consent, code exchange; stores the connection only when all succeeded. */
  async finish(query: URLSearchParams): Promise<Connected> {
    const key = query.get("state") ?? "";
    const attempt = this.#attempts.get(key);
    this.#attempts.delete(key);
    if (!attempt)
      throw new LexError(
        "oauth_state_mismatch",
        "The redirect's state was not issued by this serve (a stale tab, an attempt from before a restart, or a forged request)",
      );
    const { connector } = attempt;
    const connection = await completeRedirect(connector, this.#states, query);
    await this.#beforeStore?.(connector.provider);
    await storeConnection(
      this.#store,
      secretBoxFor(this.#configOf()),
      connector.provider,
      connection,
      this.#clock.now(),
    );
    this.#onChanged(connector.provider);
    return {
      provider: connector.provider,
      description: connector.describe(connection),
      returnOrigin: attempt.returnOrigin,
    };
  }

  /** Revokes at the provider and forgets (`forgetOnly`: forgets without asking the provider). */
  async disconnect(provider: ProviderName, forgetOnly: boolean): Promise<string[]> {
    const notes: string[] = [];
    const done = await disconnect(
      provider,
      this.#configOf(),
      this.#store,
      this.#clock,
      { note: (line) => notes.push(line) },
      forgetOnly,
    );
    if (done) this.#onChanged(provider);
    return notes;
  }
}
