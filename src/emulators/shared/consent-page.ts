import { randomBytes } from "node:crypto";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * The consent page both emulators show before they redirect, as the real providers do: the app's
 * request is kept on the server under a random id (the form carries only that id, so the person's
 * answer cannot be bent to another redirect URI), and the page offers Connect or Cancel.
 */
export interface PendingConsent {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  expiresAt: number;
  /** Provider-specific details (the QBO company chosen, the Clio user). */
  extra: Record<string, string>;
}

const TTL_MS = 10 * 60_000;

export class ConsentRequests {
  readonly #pending = new Map<string, PendingConsent>();

  open(request: Omit<PendingConsent, "expiresAt">, now: number): string {
    const id = randomBytes(18).toString("base64url");
    this.#pending.set(id, { ...request, expiresAt: now + TTL_MS });
    return id;
  }

  /** The request behind a submitted form, once: a second submission finds nothing. */
  take(id: string | undefined, now: number): PendingConsent | undefined {
    if (!id) return undefined;
    const found = this.#pending.get(id);
    this.#pending.delete(id);
    return found && found.expiresAt > now ? found : undefined;
  }
}

export interface ConsentPageOptions {
  /** Who asks, e.g. "QuickBooks Online (emulator)". */
  provider: string;
  appName: string;
  /** What access is granted, in plain words. */
  access: string;
  action: string;
  consentId: string;
  /** Extra choices, e.g. which company to connect. */
  choices?: { name: string; label: string; options: { value: string; label: string }[] };
}

export function consentPage(o: ConsentPageOptions): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${o.provider} — authorize ${o.appName}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto">
<h1>${o.provider}</h1>
<p><strong>${o.appName}</strong> asks for access to ${o.access}.</p>
<form method="post" action="${o.action}">
<input type="hidden" name="consent" value="${o.consentId}">
${
  o.choices
    ? html`<label>${o.choices.label} <select name="${o.choices.name}">${o.choices.options.map(
        (opt) => html`<option value="${opt.value}">${opt.label}</option>`,
      )}</select></label>`
    : ""
}
<p><button type="submit" name="decision" value="allow">Connect</button>
<button type="submit" name="decision" value="deny">Cancel</button></p>
</form>
</body></html>`;
}

/** The redirect after the person answered: a code on Connect, error=access_denied on Cancel. */
export function answerRedirect(consent: PendingConsent, params: Record<string, string>): string {
  const target = new URL(consent.redirectUri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  if (consent.state !== undefined) target.searchParams.set("state", consent.state);
  return target.toString();
}
