import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { errorCatalogue } from "../core/error-catalogue/index.ts";
import { buildProgram } from "./program.ts";

const repoRoot = new URL("../../", import.meta.url);

/** `lexbridge <command> [<subcommand>]` as a fix text quotes it between backticks. */
function quotedCommands(fix: string): string[][] {
  return [...fix.matchAll(/`lexbridge ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)].map((m) =>
    m.slice(1).filter((w): w is string => w !== undefined),
  );
}

function findCommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

describe("fix texts of the error catalogue", () => {
  const program = buildProgram();
  const entries = Object.entries(errorCatalogue);

  it("name only commands the program has (and a subcommand where the command needs one)", () => {
    const wrong: string[] = [];
    let quoted = 0;
    for (const [code, entry] of entries) {
      for (const [name, sub] of quotedCommands(entry.fix)) {
        quoted++;
        const command = findCommand(program, name as string);
        if (!command) {
          wrong.push(`${code}: lexbridge ${name}`);
          continue;
        }
        if (command.commands.length > 0 && !(sub && findCommand(command, sub)))
          wrong.push(
            `${code}: lexbridge ${name} ${sub ?? ""} (needs one of ${command.commands.map((c) => c.name())})`,
          );
      }
    }
    assert.ok(quoted > 10, "the fix texts quote commands; the pattern finds them");
    assert.deepEqual(wrong, []);
  });

  it("name only flags some command has", () => {
    const flags = new Set<string>();
    const collect = (command: Command) => {
      for (const option of command.options) if (option.long) flags.add(option.long);
      command.commands.forEach(collect);
    };
    collect(program);
    flags.add("--help");
    const wrong: string[] = [];
    for (const [code, entry] of entries)
      for (const [flag] of entry.fix.matchAll(/--[a-z][a-z-]+/g))
        if (!flags.has(flag)) wrong.push(`${code}: ${flag}`);
    assert.ok(flags.has("--clio-base-url"), "the shared settings are among the flags");
    assert.deepEqual(wrong, []);
  });

  it("name only docs pages that exist, and no dashboard (not in this version)", () => {
    const wrong: string[] = [];
    for (const [code, entry] of entries) {
      for (const [page] of entry.fix.matchAll(/docs\/[a-z-]+\.md/g))
        if (!existsSync(new URL(page, repoRoot))) wrong.push(`${code}: ${page}`);
      if (/dashboard/i.test(entry.fix)) wrong.push(`${code}: mentions the dashboard`);
    }
    assert.deepEqual(wrong, []);
  });
});
