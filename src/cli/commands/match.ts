import type { Command } from "commander";
import { decideMatch } from "../../app/match-review.ts";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { print } from "../output.ts";

/**
 * `lexbridge match`: the near matches the first sync proposed (same name or same email, not
 * both). Accepting links the client to that customer on the next pass; rejecting creates a new one.
 */
export function registerMatch(program: Command): void {
  const match = program
    .command("match")
    .description("review proposed first-sync matches: list, accept, reject");
  addConfigOptions(
    match
      .command("list")
      .description("list proposed matches")
      .option("--all", "include decided ones")
      .option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    await withStore(command, async (store) => {
      const matches = await store.listMatches(opts.all ? undefined : "proposed");
      print(
        opts.json,
        matches,
        matches.length === 0
          ? ["No proposed matches."]
          : matches.map(
              (m) => `Clio contact ${m.clioId} ↔ QuickBooks customer ${m.qboId}: ${m.reason} [${m.state}]`,
            ),
      );
    });
  });
  for (const decision of ["accept", "reject"] as const) {
    addConfigOptions(
      match
        .command(`${decision} <clioContactId>`)
        .description(
          decision === "accept"
            ? "link the client to the proposed customer"
            : "create a new customer instead",
        )
        .option("--json", "machine-readable output"),
    ).action(async (clioId: string, opts, command: Command) => {
      await withStore(command, async (store) => {
        const result = await decideMatch(
          store,
          clioId,
          decision === "accept" ? "accepted" : "rejected",
          Date.now(),
        );
        if (!result) {
          print(opts.json, { ok: false }, [`No proposed match for Clio contact ${clioId}.`]);
          process.exitCode = 1;
          return;
        }
        print(opts.json, result, [`Match ${result.state}; it takes effect on the next sync pass.`]);
      });
    });
  }
}
