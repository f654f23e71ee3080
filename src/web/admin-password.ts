import { LexError } from "../core/errors.ts";
import type { WebAccounts } from "../store/postgres/dashboard-users.ts";
import { hashPassword } from "./password-hash.ts";

/** Embedded mode's one account; scale mode's first integrator admin. */
export const ADMIN_USER = "admin";
export const MIN_PASSWORD_LENGTH = 12;

/** A password long enough for the dashboard, or the coded error that says how long it must be. */
export function checkPasswordStrength(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new LexError(
      "web_password_weak",
      `The password has ${[...password].length} characters; it needs at least ${MIN_PASSWORD_LENGTH}`,
    );
}

/** Sets (or changes) a user's password (the admin's unless named); every open session of the user ends. */
export async function setAdminPassword(
  store: WebAccounts,
  password: string,
  now: number,
  user = ADMIN_USER,
): Promise<void> {
  checkPasswordStrength(password);
  await store.setWebPassword(user, await hashPassword(password), now);
}

/**
 * Before serving: an admin password must exist. On the first start it may come from
 * LEXBRIDGE_ADMIN_PASSWORD; once set, the variable is ignored (change it with
 * `lexbridge admin set-password`), so a stale environment cannot reset a changed password.
 */
export async function ensureAdminPassword(
  store: WebAccounts,
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
