import { createHash, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { WebSession } from "../store/port.ts";
import type { WebAccounts } from "../store/postgres/dashboard-users.ts";
import { isHttps } from "./request-origin.ts";

export const SESSION_COOKIE = "lexbridge_session";
/** A login lasts a working day; then the password is asked again. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

const hashId = (id: string) => createHash("sha256").update(id).digest("hex");
const randomToken = () => randomBytes(32).toString("base64url");

/**
 * Starts a session: a random 256-bit id in an HttpOnly cookie (SameSite=Lax, so following a link
 * to the dashboard keeps the login, while cross-site form posts carry no cookie; Secure on https).
 * The store keeps only the id's hash, and the CSRF token its forms carry.
 */
export async function startSession(
  c: Context,
  store: WebAccounts,
  user: string,
  now: number,
  trustProxy: boolean,
): Promise<WebSession> {
  const id = randomToken();
  const session = {
    idHash: hashId(id),
    user,
    csrfToken: randomToken(),
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  };
  await store.createWebSession(session);
  setCookie(c, SESSION_COOKIE, id, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c, trustProxy),
    maxAge: SESSION_TTL_MS / 1000,
  });
  return session;
}

/** The live session the request's cookie names, if any. */
export async function currentSession(
  c: Context,
  store: WebAccounts,
  now: number,
): Promise<WebSession | undefined> {
  const id = getCookie(c, SESSION_COOKIE);
  return id ? store.getWebSession(hashId(id), now) : undefined;
}

export async function endSession(c: Context, store: WebAccounts, session: WebSession): Promise<void> {
  await store.deleteWebSession(session.idHash);
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}
