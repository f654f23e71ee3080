import { type Command, InvalidArgumentError } from "commander";
import { connect, disconnect, terminalLines } from "../../app/connect-service.ts";
import type { ProviderName } from "../../app/connections.ts";
import { systemClock } from "../../core/clock.ts";
import { addConfigOptions } from "../config-options.ts";
import { withLockedStore } from "../context.ts";
import { print } from "../output.ts";

function providerName(value: string): ProviderName {
  if (value === "clio" || value === "qbo") return value;
  throw new InvalidArgumentError("choose clio or qbo");
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 600)
    throw new InvalidArgumentError("a whole number of seconds, 1 to 600");
  return n;
}

export function registerConnect(program: Command): void {
  addConfigOptions(
    program
      .command("connect")
      .argument("<provider>", "clio or qbo", providerName)
      .description(
        "authorize lexbridge at Clio or QuickBooks: prints the address to open in a browser, waits for the redirect, stores the tokens sealed",
      )
      .option("--timeout-seconds <n>", "how long to wait for the browser (at most 600)", seconds, 600)
      .option("--json", "print the connection (without tokens) as JSON when done"),
  ).action(async (name: ProviderName, opts, command: Command) => {
    const aborter = new AbortController();
    const stop = () => aborter.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await withLockedStore(command, async (config, store) => {
        const pasted = terminalLines();
        // The terminal is released whatever happens: an open reader would keep the process alive.
        const connection = await connect(
          name,
          config,
          store,
          systemClock,
          {
            out: (line) => process.stdout.write(`${line}\n`),
            note: (line) => process.stderr.write(`${line}\n`),
            ...(pasted ? { pasted } : {}),
            signal: aborter.signal,
          },
          opts.timeoutSeconds * 1000,
        ).finally(() => pasted?.close());
        const { tokens: _secret, ...shown } = connection;
        if (opts.json) print(true, shown, []);
      });
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  });

  addConfigOptions(
    program
      .command("disconnect")
      .argument("<provider>", "clio or qbo", providerName)
      .description("revoke lexbridge's tokens at Clio or QuickBooks and forget them")
      .option(
        "--local-only",
        "forget the tokens without asking the provider to revoke them (provider unreachable)",
      ),
  ).action(async (name: ProviderName, opts, command: Command) => {
    await withLockedStore(command, (config, store) =>
      disconnect(
        name,
        config,
        store,
        systemClock,
        { note: (line) => process.stderr.write(`${line}\n`) },
        Boolean(opts.localOnly),
      ),
    );
  });
}
