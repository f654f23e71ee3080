import type { Command } from "commander";
import { storedTokenWarnings } from "../../app/connection-checks.ts";
import { clioSite, qboSite } from "../../app/providers.ts";
import { errorCatalogue, isErrorCode } from "../../core/error-catalogue/index.ts";
import type { SyncIssue } from "../../store/port.ts";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { print } from "../output.ts";

/** An issue as the Sync Status page shows it: what, why, the fix, and links to both records. */
export function describeIssue(issue: SyncIssue, links: { clioBase: string; qboBase: string }) {
  const entry = isErrorCode(issue.code) ? errorCatalogue[issue.code] : undefined;
  const clioPath = issue.entity === "contact" ? "contacts" : issue.entity === "bill" ? "bills" : undefined;
  const qboPath =
    issue.entity === "contact"
      ? "customerdetail?nameId="
      : issue.entity === "bill"
        ? "invoice?txnId="
        : undefined;
  return {
    ...issue,
    title: entry?.title ?? issue.code,
    fix: entry?.fix ?? "",
    clioUrl: clioPath && issue.clioId ? `${links.clioBase}/nc/#/${clioPath}/${issue.clioId}` : undefined,
    qboUrl: qboPath && issue.qboId ? `${links.qboBase}/app/${qboPath}${issue.qboId}` : undefined,
  };
}

export function registerStatus(program: Command): void {
  addConfigOptions(
    program
      .command("status")
      .description("list the Sync Status issues: items that could not sync, with the reason and the fix")
      .option("--all", "include resolved issues")
      .option("--code <code>", "only issues with this code")
      .option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    await withStore(command, async (store, config) => {
      const issues = await store.listIssues({
        ...(opts.all ? {} : { state: "open" as const }),
        ...(opts.code ? { code: opts.code } : {}),
      });
      const qboBase = qboSite(config).webBase;
      const clioBase = clioSite(config).webBase;
      const described = issues.map((i) => describeIssue(i, { clioBase, qboBase }));
      const warnings = await storedTokenWarnings(config, store, Date.now());
      const lines = warnings.map((w) => `[${w.status.toUpperCase()}] ${w.message}. ${w.fix}`);
      if (described.length === 0) lines.push("No open issues: everything synced.");
      for (const d of described) {
        lines.push(
          `#${d.id} [${d.code}${d.providerCode ? ` / QBO ${d.providerCode}` : ""}] ${d.clioName ?? d.key}: ${d.message}`,
          `    fix: ${d.fix}`,
          `    seen ${new Date(d.firstSeen).toISOString()} … ${new Date(d.lastSeen).toISOString()}, ${d.attempts} attempt(s)${d.retryRequested ? ", re-sync requested" : ""}`,
        );
        if (d.clioUrl) lines.push(`    Clio: ${d.clioUrl}`);
        if (d.qboUrl) lines.push(`    QuickBooks: ${d.qboUrl}`);
      }
      print(opts.json, described, lines);
    });
  });
}
