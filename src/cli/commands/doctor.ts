import type { Command } from "commander";
import { storedTokenWarnings } from "../../app/connection-checks.ts";
import { runPreflight } from "../../engine/preflight.ts";
import { addConfigOptions } from "../config-options.ts";
import { withEngine } from "../context.ts";
import { print } from "../output.ts";

export function registerDoctor(program: Command): void {
  addConfigOptions(
    program
      .command("doctor")
      .description("pre-flight checks of the QuickBooks company, with what breaks if each is wrong")
      .option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    await withEngine(command, async (engine, config) => {
      const tokens = await storedTokenWarnings(config, engine.store, engine.deps.clock.now());
      const checks = [
        ...tokens.map((w) => ({
          id: `token:${w.provider}`,
          status: w.status,
          summary: w.message,
          impact: w.fix,
        })),
        ...(await runPreflight(engine.deps)),
      ];
      print(
        opts.json,
        checks,
        checks.flatMap((c) => [
          `[${c.status.toUpperCase().padEnd(4)}] ${c.summary}`,
          ...(c.impact ? [`       ${c.impact}`] : []),
        ]),
      );
      if (checks.some((c) => c.status === "fail")) process.exitCode = 1;
    });
  });
}
