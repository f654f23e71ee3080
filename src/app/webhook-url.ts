import { type Config, envName, flagName } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import { clioSite } from "./providers.ts";

/**
 * Where Clio delivers serve's webhooks: `<publicUrl>/webhooks/clio`, or `undefined` without a
 * `publicUrl` (then serve subscribes to nothing and relies on the periodic pass). Clio accepts
 * only https (clio-api.md §5.9), so a real Clio host with an http address is a configuration
 * error here rather than a refusal at subscription time.
 */
export function clioWebhookUrl(config: Config): string | undefined {
  const url = webhookUrl(config, "clio");
  if (!url) return undefined;
  if (url.protocol !== "https:" && clioSite(config).kind === "clio") {
    throw new LexError(
      "config_invalid",
      `publicUrl (${flagName("publicUrl")} / ${envName("publicUrl")}) must use https: Clio delivers webhooks only to https addresses`,
      { details: { settings: ["publicUrl"] } },
    );
  }
  return url.toString();
}

/** `<publicUrl>/webhooks/<provider>` (a path under publicUrl is kept), or undefined without publicUrl. */
export function webhookUrl(config: Config, provider: "clio" | "qbo"): URL | undefined {
  if (!config.publicUrl) return undefined;
  const base = config.publicUrl.endsWith("/") ? config.publicUrl : `${config.publicUrl}/`;
  return new URL(`webhooks/${provider}`, base);
}
