import type { Command } from "commander";
import { matchContactByRef } from "../../app/item-refs.ts";
import { decideMatch } from "../../app/match-review.ts";
import { RecordFactsReader } from "../../app/record-facts.ts";
import { LexError } from "../../core/errors.ts";
import { issueKey } from "../../engine/issue-keys.ts";
import type { MatchProposal, Store } from "../../store/port.ts";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { print, printableLines } from "../output.ts";

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
      const matches = await describeMatches(
        store,
        await store.listMatches(opts.all ? undefined : "proposed"),
      );
      print(
        opts.json,
        matches,
        matches.length === 0
          ? ["No proposed matches."]
          : printableLines(
              matches.map(
                (m) =>
                  `${m.itemId ? `#${m.itemId} ` : ""}${m.clioName ?? "(no name)"} (Clio contact ${m.clioId}) ↔ ${m.qboName ? `${m.qboName} ` : ""}(QuickBooks customer ${m.qboId}): ${m.reason} [${m.state}]`,
              ),
            ),
      );
    });
  });
  for (const decision of ["accept", "reject"] as const) {
    addConfigOptions(
      match
        .command(`${decision} <id>`)
        .description(
          `${decision === "accept" ? "link the client to the proposed customer" : "create a new customer instead"}: <id> is the Sync Status item id (N or #N) or the Clio contact id (N or contact:N)`,
        )
        .option("--json", "machine-readable output"),
    ).action(async (ref: string, opts, command: Command) => {
      await withStore(command, async (store) => {
        const clioId = await matchContactByRef(store, ref);
        const result = await decideMatch(
          store,
          clioId,
          decision === "accept" ? "accepted" : "rejected",
          Date.now(),
        );
        if (!result)
          throw new LexError("status_item_not_found", `no proposed match for Clio contact ${clioId}`);
        const name = await new RecordFactsReader(store).clientName(clioId);
        print(opts.json, result, [
          `Match of ${name ?? "Clio contact"} (Clio contact ${clioId}) with QuickBooks customer ${result.qboId} ${result.state}; it takes effect on the next sync pass.`,
        ]);
      });
    });
  }
}

/** Each match with the names beside its ids and the Sync Status item that asks for the decision. */
async function describeMatches(store: Store, matches: MatchProposal[]) {
  const facts = new RecordFactsReader(store);
  const out = [];
  for (const m of matches) {
    const [item] = await store.listIssues({ key: issueKey.contact(m.clioId), code: "sync_match_review" });
    const clioName = (await facts.clientName(m.clioId)) ?? item?.clioName;
    out.push({
      ...m,
      ...(clioName ? { clioName } : {}),
      ...(item?.qboName && item.qboId === m.qboId ? { qboName: item.qboName } : {}),
      ...(item?.state === "open" ? { itemId: item.id } : {}),
    });
  }
  return out;
}
