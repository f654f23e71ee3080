import { errorCatalogue } from "./index.ts";

/**
 * Renders the error catalogue as Markdown for docs/errors.md. Pure: the script writes the file
 * and a test compares the file with this output, so the two cannot drift apart.
 */
export function renderErrorCatalogue(): string {
  const lines = [
    "# Error catalogue",
    "",
    "<!-- Generated from src/core/error-catalogue by `npm run docs:errors`. Do not edit by hand. -->",
    "",
    "Every error lexbridge reports carries one of these codes. Errors from QuickBooks or Clio keep the",
    "provider's own code next to ours (`providerCode`). The *action* is what the sync engine does:",
    "`retry` (with backoff), `refresh_then_retry` (new access token first), `issue` (the record goes to",
    "Sync Status, `lexbridge status`; other records carry on) or `stop` (the run stops until the setting is fixed).",
    "",
    "| Code | Kind | Action | Title |",
    "|---|---|---|---|",
  ];
  const codes = Object.keys(errorCatalogue).sort() as Array<keyof typeof errorCatalogue>;
  for (const code of codes) {
    const e = errorCatalogue[code];
    lines.push(`| [\`${code}\`](#${code}) | ${e.kind} | ${e.action} | ${e.title} |`);
  }
  for (const code of codes) {
    const e = errorCatalogue[code];
    lines.push("", `## ${code}`, "", `**${e.title}** — kind \`${e.kind}\`, action \`${e.action}\`.`, "");
    lines.push(`- **Cause:** ${e.cause}`, `- **Fix:** ${e.fix}`);
  }
  return `${lines.join("\n")}\n`;
}
