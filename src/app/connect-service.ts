import { createInterface } from "node:readline";
import type { Clock } from "../core/clock.ts";
import type { Config } from "../core/config.ts";
import { isLexError, LexError } from "../core/errors.ts";
import { discoverIntuitOAuth } from "../qbo/hosts.ts";
import type { Store } from "../store/port.ts";
import { runConnect } from "./connect-flow.ts";
import {
  type ClioConnection,
  forgetConnection,
  loadConnection,
  type ProviderName,
  type QboConnection,
  saveConnection,
  secretBoxFor,
} from "./connections.ts";
import { type Connector, clioConnector, qboConnector, revokeClio, revokeQbo } from "./connectors.ts";
import { OAuthStates, STATE_TTL_MS } from "./oauth-states.ts";
import { clioProvider, qboProvider } from "./providers.ts";
import { reconnectIssueKey } from "./reconnect-item.ts";

export interface ConnectIo {
  out: (line: string) => void;
  note: (line: string) => void;
  /** Lines from the terminal, when one is attached (pasting the final address on headless servers). */
  pasted?: AsyncIterable<string>;
  signal?: AbortSignal;
  /** Intuit's discovery document is read with this (tests without network pass a failing one). */
  fetch?: typeof fetch;
}

/** Lines typed on stdin (only when it is a terminal: a pipe or /dev/null must not end the wait). */
export function terminalLines(): (AsyncIterable<string> & { close(): void }) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return createInterface({ input: process.stdin, terminal: false });
}

/** The provider's side of the flow; for Intuit, its OAuth addresses from the discovery document. */
export async function connectorFor(
  name: ProviderName,
  config: Config,
  clock: Clock,
  io: Pick<ConnectIo, "note" | "fetch">,
): Promise<Connector<QboConnection | ClioConnection>> {
  if (name === "clio") return clioConnector(clioProvider(config), clock);
  const provider = qboProvider(config);
  if (provider.kind === "emulator") return qboConnector(provider, clock, provider.oauth);
  const discovered = await discoverIntuitOAuth(provider.environment, io.fetch ?? fetch);
  if (discovered.source === "documented")
    io.note("Intuit's discovery document could not be read; using the documented OAuth addresses.");
  return qboConnector(provider, clock, discovered.endpoints);
}

/**
 * `lexbridge connect clio|qbo`: runs the person's authorization and stores the connection (sealed)
 * only when it fully succeeded; resolves a "reconnect required" item left by an earlier refusal.
 */
export async function connect(
  name: ProviderName,
  config: Config,
  store: Store,
  clock: Clock,
  io: ConnectIo,
  timeoutMs = STATE_TTL_MS,
): Promise<QboConnection | ClioConnection> {
  const box = secretBoxFor(config);
  const connector = await connectorFor(name, config, clock, io);
  const connection = await runConnect({
    connector,
    states: new OAuthStates(clock),
    clock,
    timeoutMs: Math.min(timeoutMs, STATE_TTL_MS),
    listenPort: config.port,
    ...(io.pasted ? { pasted: io.pasted } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    out: io.out,
    note: io.note,
    save: (c) => storeConnection(store, box, name, c, clock.now()),
  });
  io.note(`Connected: ${connector.describe(connection)}.`);
  return connection;
}

/** Keeps a new connection (sealed) and resolves the "reconnect required" item an earlier refusal left. */
export async function storeConnection(
  store: Store,
  box: ReturnType<typeof secretBoxFor>,
  name: ProviderName,
  connection: QboConnection | ClioConnection,
  now: number,
): Promise<void> {
  await saveConnection(store, box, name, connection as never, now);
  await store.commit({ resolveIssues: [reconnectIssueKey(name)] }, now);
}

/**
 * `lexbridge disconnect clio|qbo`: revokes the tokens at the provider, then forgets them. A token
 * the provider no longer knows is already as good as revoked; an unreachable provider stops the
 * command with nothing forgotten (unless `localOnly`).
 */
export async function disconnect(
  name: ProviderName,
  config: Config,
  store: Store,
  clock: Clock,
  io: Pick<ConnectIo, "note">,
  localOnly = false,
): Promise<boolean> {
  const box = secretBoxFor(config);
  const stored = await loadConnection(store, box, name);
  if (!stored) {
    io.note(`${name === "qbo" ? "QuickBooks Online" : "Clio Manage"} was not connected; nothing to do.`);
    return false;
  }
  if (!localOnly) {
    try {
      if (name === "qbo") await revokeQbo(qboProvider(config), clock, stored as QboConnection);
      else await revokeClio(clioProvider(config), stored as ClioConnection);
    } catch (error) {
      if (isLexError(error, "http_network"))
        throw new LexError(
          "http_network",
          `${error.message}; to forget the tokens without asking the provider, run \`lexbridge disconnect ${name} --local-only\``,
          { cause: error },
        );
      if (!(isLexError(error) && isAlreadyInvalid(error))) throw error;
      io.note("The provider no longer knew these tokens (already revoked).");
    }
  }
  await forgetConnection(store, name, clock.now());
  io.note(
    name === "qbo"
      ? `Disconnected from QuickBooks Online company "${(stored as QboConnection).companyName}" (realmId ${(stored as QboConnection).realmId}).`
      : `Disconnected from Clio Manage firm "${(stored as ClioConnection).firmName}".`,
  );
  return true;
}

function isAlreadyInvalid(error: LexError): boolean {
  return (
    error.code === "clio_auth_invalid" ||
    error.code === "qbo_oauth_invalid_grant" ||
    error.code === "clio_oauth_invalid_grant" ||
    error.status === 401
  );
}
