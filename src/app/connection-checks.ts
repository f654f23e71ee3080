import type { Config } from "../core/config.ts";
import type { Store } from "../store/port.ts";
import { loadConnection, secretBoxFor } from "./connections.ts";
import { type TokenWarning, tokenHealth } from "./token-health.ts";

/** The token warnings for what is stored in a data dir (for `status` and `doctor`). */
export async function storedTokenWarnings(
  config: Config,
  store: Store,
  now: number,
): Promise<TokenWarning[]> {
  const box = secretBoxFor(config);
  return tokenHealth(
    { qbo: await loadConnection(store, box, "qbo"), clio: await loadConnection(store, box, "clio") },
    now,
  );
}
