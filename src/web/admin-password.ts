import { LexError } from "../core/errors.ts";
import type { Store } from "../store/port.ts";
import { hashPassword } from "./password-hash.ts";

/** The dashboard has one account for now. */
export const ADMIN_USER = "admin";
export const MIN_PASSWORD_LENGTH = 12;

/** Sets (or changes) the admin password; every open session of the admin ends. */
export async function setAdminPassword(store: Store, password: string, now: number): Promise<void> {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new LexError(
      "web_password_weak",
      `The admin password has ${[...password].length} characters; it needs at least ${MIN_PASSWORD_LENGTH}`,
    );
  await store.setWebPassword(ADMIN_USER, await hashPassword(password), now);
}

/**
 * Before serving: an admin password must exist. On the first start it may come from
 * LEXBRIDGE_ADMIN_PASSWORD; once set, the variable is ignored (change it with
 * `lexbridge admin set-password`), so a stale environment cannot reset a changed password.
 */
export async function ensureAdminPassword(
  store: Store,
  fromEnv: string | undefined,
  now: number,
): Promise<"existing" | "from_env"> {
  if (await store.getWebPassword(ADMIN_USER)) return "existing";
  if (!fromEnv)
    throw new LexError(
      "web_admin_password_missing",
      "The dashboard needs an admin password before it can start",
    );
  await setAdminPassword(store, fromEnv, now);
  return "from_env";
}
