import { html } from "hono/html";
import { catalogueEntry } from "../core/error-catalogue/index.ts";
import { isLexError } from "../core/errors.ts";

/**
 * An error as the catalogue words it: its title and code, what happened, and the fix (the
 * catalogue's, or `fix` where the page knows a nearer one).
 */
export function errorBlock(error: unknown, fix?: string) {
  if (!isLexError(error))
    return html`<article role="alert"><p><strong>Something went wrong.</strong> The log has the details.</p></article>`;
  const entry = catalogueEntry(error.code);
  return html`<article role="alert" data-code="${error.code}">
    <p><strong>${entry.title}</strong> <small><code>${error.code}</code></small></p>
    <p>${error.message}.</p>
    <p><small><strong>Fix:</strong> ${fix ?? entry.fix}</small></p>
  </article>`;
}
