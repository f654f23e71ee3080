import { isLexError } from "../core/errors.ts";
import type { Store } from "../store/port.ts";
import type { ProviderName } from "./connections.ts";

export function reconnectIssueKey(name: ProviderName): string {
  return `connection:${name}`;
}

/**
 * A refused refresh token cannot be fixed by retrying: it becomes one Sync Status item naming the
 * connection to renew (resolved by `lexbridge connect`), and the caller stops the pass. Returns
 * whether the error was such a refusal.
 */
export async function raiseReconnectRequired(store: Store, error: unknown, at: number): Promise<boolean> {
  if (!isLexError(error) || error.code !== "auth_refresh_failed") return false;
  const name: ProviderName = error.details.connection === "clio" ? "clio" : "qbo";
  const label = name === "qbo" ? "QuickBooks Online" : "Clio Manage";
  await store.commit(
    {
      issues: [
        {
          key: reconnectIssueKey(name),
          code: "auth_refresh_failed",
          message: `${label} refused lexbridge's refresh token${error.providerCode ? ` (${error.providerCode})` : ""}: reconnect with \`lexbridge connect ${name}\``,
          entity: "run",
          ...(error.providerCode ? { providerCode: error.providerCode } : {}),
        },
      ],
    },
    at,
  );
  return true;
}
