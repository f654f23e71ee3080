import type { Catalogue } from "./types.ts";

/**
 * Connecting to the providers (`lexbridge connect` / `disconnect`, the OAuth 2.0 authorization-code
 * flow) and the data directory's single-process lock. None of these changes anything stored.
 */
export const connectErrors = {
  auth_not_connected: {
    kind: "config",
    action: "stop",
    title: "Not connected",
    cause:
      "No tokens are stored for this provider, or the stored ones belong to another host, region or company than the configuration names.",
    fix: "Run `lexbridge connect clio` or `lexbridge connect qbo` (docs/going-live.md), with the same settings the sync uses.",
  },
  oauth_consent_denied: {
    kind: "config",
    action: "stop",
    title: "Access was not granted",
    cause:
      "The person at the browser chose Cancel on the provider's consent page (error=access_denied), or lacks the role that may connect apps.",
    fix: "Run `lexbridge connect` again and choose Connect/Allow, signed in as an administrator of the firm or company.",
  },
  oauth_state_mismatch: {
    kind: "config",
    action: "stop",
    title: "The authorization answer could not be trusted",
    cause:
      "The redirect carried a `state` this connect attempt did not issue, one already used, or one older than 10 minutes — a stale browser tab, a second attempt, or a forged request.",
    fix: "Run `lexbridge connect` again and use only the address it prints, within 10 minutes.",
  },
  oauth_timeout: {
    kind: "config",
    action: "stop",
    title: "No answer from the browser in time",
    cause:
      "No redirect reached the redirect URI within the time allowed. Most often the provider refused the redirect URI (it must match one registered on the app exactly) and showed an error page, or the browser runs on another machine than lexbridge.",
    fix: "Check that the redirect URI setting matches one registered on the app, character for character; on a headless server paste the address the browser ends on into the terminal. Then run `lexbridge connect` again.",
  },
  oauth_client_rejected: {
    kind: "config",
    action: "stop",
    title: "The app's client id or secret was refused",
    cause:
      "The token endpoint answered invalid_client: the client secret is wrong, the keys belong to the other QuickBooks environment, or (Clio) the app is registered in another region.",
    fix: "Copy the client id and secret again from the developer portal (for QuickBooks, Development keys go with the sandbox and Production keys with production; for Clio, the portal of the firm's region) and set them (docs/going-live.md).",
  },
  oauth_redirect_mismatch: {
    kind: "config",
    action: "stop",
    title: "The redirect URI does not match",
    cause:
      "The address the browser was sent to is not the configured redirect URI, or the provider refused the code because the redirect URI differs from the one used to ask for it.",
    fix: "Register the redirect URI shown by `lexbridge connect` on the app exactly (scheme, host, port and path), or set `redirectUri` to the registered one, and connect again.",
  },
  oauth_callback_unavailable: {
    kind: "config",
    action: "stop",
    title: "Cannot listen on the redirect URI",
    cause:
      "`lexbridge connect` could not open the redirect URI's port on this machine (the port is in use, or the host is not an address of this machine).",
    fix: "Stop what uses the port or choose another redirect URI (registered on the app too); on a headless server, paste the address the browser ends on into the terminal instead.",
  },
  store_locked: {
    kind: "config",
    action: "stop",
    title: "Another lexbridge process uses this data directory",
    cause:
      "Two processes running passes on the same store could write the same record twice; a lock file in the data directory allows one at a time.",
    fix: "Stop the other process (its pid is in the message) or use another data directory. A lock left by a process that no longer runs is taken over by itself.",
  },
} as const satisfies Catalogue;
