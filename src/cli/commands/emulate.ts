import { type Command, Option } from "commander";
import { startClioEmulator } from "../../emulators/clio/index.ts";
import { type FirmSize, generateFirm } from "../../emulators/generator/index.ts";
import { startQboEmulator } from "../../emulators/qbo/index.ts";
import { print } from "../output.ts";

export interface RunningEmulators {
  clioUrl: string;
  qboUrl: string;
  realmId: string;
  summary: ReturnType<typeof generateFirm>["summary"] | undefined;
  close(): Promise<void>;
}

/** Starts both emulators, loaded with a generated firm (Clio) and its pre-existing QBO company. */
export async function startEmulators(options: {
  clioPort: number;
  qboPort: number;
  host: string;
  firm: FirmSize | "empty";
  seed: number;
  timeScale?: number;
  quotas?: boolean;
}): Promise<RunningEmulators> {
  const firm =
    options.firm === "empty" ? undefined : generateFirm({ size: options.firm, seed: options.seed });
  const timeScale = options.timeScale ?? 1;
  const clio = await startClioEmulator({
    port: options.clioPort,
    host: options.host,
    ...(firm ? { firm } : {}),
    ...(options.quotas === false ? { rateLimitPerMinute: 1_000_000_000 } : {}),
    timeScale,
  });
  const qbo = await startQboEmulator({
    port: options.qboPort,
    host: options.host,
    ...(firm ? { seed: firm.qbo } : {}),
    ...(options.quotas === false ? { quotas: { enabled: false } } : {}),
    timeScale,
  } as Parameters<typeof startQboEmulator>[0]);
  return {
    clioUrl: clio.url,
    qboUrl: qbo.url,
    realmId: qbo.defaultRealmId,
    summary: firm?.summary,
    close: async () => {
      await clio.close();
      await qbo.close();
    },
  };
}

export function registerEmulate(program: Command): void {
  program
    .command("emulate")
    .description(
      "serve the Clio Manage and QuickBooks Online emulators (with a generated firm) until stopped",
    )
    .option("--clio-port <port>", "Clio emulator port (0 = any free port)", "4001")
    .option("--qbo-port <port>", "QuickBooks emulator port (0 = any free port)", "4002")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .addOption(
      new Option("--firm <size>", "generated firm to load")
        .choices(["empty", "small", "medium", "large"])
        .default("small"),
    )
    .option("--seed <n>", "generator seed (same seed, same firm)", "1")
    .option("--time-scale <factor>", "compress quota windows by this factor (benchmarks)", "1")
    .option("--no-quotas", "turn the API quotas off")
    .option("--json", "print the endpoints as JSON")
    .action(async (opts) => {
      const running = await startEmulators({
        clioPort: Number(opts.clioPort),
        qboPort: Number(opts.qboPort),
        host: opts.host,
        firm: opts.firm,
        seed: Number(opts.seed),
        timeScale: Number(opts.timeScale),
        quotas: opts.quotas,
      });
      print(
        opts.json,
        {
          clio: {
            baseUrl: running.clioUrl,
            api: `${running.clioUrl}/api/v4`,
            admin: `${running.clioUrl}/__admin`,
          },
          qbo: { baseUrl: running.qboUrl, realmId: running.realmId, admin: `${running.qboUrl}/__admin` },
          firm: running.summary ?? "empty",
        },
        [
          `Clio emulator:  ${running.clioUrl}  (API ${running.clioUrl}/api/v4, admin ${running.clioUrl}/__admin)`,
          `QBO emulator:   ${running.qboUrl}  (realm ${running.realmId}, admin ${running.qboUrl}/__admin)`,
          running.summary
            ? `Firm: ${opts.firm} seed ${opts.seed} — ${JSON.stringify(running.summary.clio)}`
            : "Firm: empty",
          "Point lexbridge at them: lexbridge sync --clio-base-url <clio> --qbo-base-url <qbo>",
          "Press Ctrl+C to stop.",
        ],
      );
      await waitForSignal();
      await running.close();
    });
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}
