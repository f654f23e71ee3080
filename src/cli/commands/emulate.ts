import { randomBytes } from "node:crypto";
import { type Command, Option } from "commander";
import { EMULATOR_CLIENT } from "../../app/providers.ts";
import { LexError } from "../../core/errors.ts";
import { type ClioEmulator, startClioEmulator } from "../../emulators/clio/index.ts";
import { type FirmSize, generateFirm } from "../../emulators/generator/index.ts";
import { COMPANY_PROFILES } from "../../emulators/qbo/company-profiles.ts";
import { type CompanyOptions, type QboEmulator, startQboEmulator } from "../../emulators/qbo/index.ts";
import { isLoopbackHost } from "../../emulators/shared/admin-guard.ts";
import { portNumber, positiveNumber, wholeNumber } from "../option-parsers.ts";
import { print } from "../output.ts";

export interface RunningEmulators {
  clioUrl: string;
  qboUrl: string;
  realmId: string;
  summary: ReturnType<typeof generateFirm>["summary"] | undefined;
  clioEmulator: ClioEmulator;
  qboEmulator: QboEmulator;
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
  /** Approve authorizations at once (demo, tests) instead of showing the consent pages. */
  autoApprove?: boolean;
  /** An app registered in both emulators: its credentials and exact redirect URIs are then required. */
  app?: RegisteredApp;
  /** Puts both admin APIs behind `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** The QBO company's country and tax setup, and whether multicurrency is on. */
  qboCompany?: CompanyOptions;
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
    autoApprove: options.autoApprove ?? false,
    ...(options.app ? { requireRegisteredApps: true } : {}),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  });
  const qbo = await startQboEmulator({
    port: options.qboPort,
    host: options.host,
    ...(firm ? { seed: firm.qbo } : {}),
    ...(options.quotas === false ? { quotas: { enabled: false } } : {}),
    timeScale,
    autoApprove: options.autoApprove ?? false,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.qboCompany ? { company: options.qboCompany } : {}),
  } as Parameters<typeof startQboEmulator>[0]).catch(async (error: unknown) => {
    await clio.close(); // a listening Clio emulator would keep the process alive
    throw error;
  });
  if (options.app) registerApp(clio.emulator, qbo.emulator, options.app);
  return {
    clioUrl: clio.url,
    qboUrl: qbo.url,
    realmId: qbo.defaultRealmId,
    summary: firm?.summary,
    clioEmulator: clio.emulator,
    qboEmulator: qbo.emulator,
    close: async () => {
      await clio.close();
      await qbo.close();
    },
  };
}

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** The same app in both emulators, as a developer registers one at each provider. */
function registerApp(clio: ClioEmulator, qbo: QboEmulator, app: RegisteredApp): void {
  clio.state.apps.set(app.clientId, {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uris: app.redirectUris,
  });
  qbo.core.state.oauth.apps[app.clientId] = { ...app };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerEmulate(program: Command): void {
  program
    .command("emulate")
    .description(
      "serve the Clio Manage and QuickBooks Online emulators (with a generated firm) until stopped",
    )
    .option("--clio-port <port>", "Clio emulator port (0 = any free port)", portNumber, 4001)
    .option("--qbo-port <port>", "QuickBooks emulator port (0 = any free port)", portNumber, 4002)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .addOption(
      new Option("--firm <size>", "generated firm to load")
        .choices(["empty", "small", "medium", "large", "xlarge"])
        .default("small"),
    )
    .option("--seed <n>", "generator seed (same seed, same firm)", wholeNumber(0), 1)
    .addOption(
      new Option(
        "--qbo-company <profile>",
        "the QuickBooks company's country and tax: us (no sales tax), us-ast (automated sales tax), ca, gb, au",
      )
        .choices([...COMPANY_PROFILES])
        .default("us"),
    )
    .option("--qbo-multicurrency", "turn multicurrency on in the QuickBooks company")
    .option("--time-scale <factor>", "compress quota windows by this factor (benchmarks)", positiveNumber, 1)
    .option("--no-quotas", "turn the API quotas off")
    .option("--auto-approve", "approve OAuth authorizations at once instead of showing the consent pages")
    .option("--client-id <id>", "the registered app's client id (both emulators)", EMULATOR_CLIENT.id)
    .option("--client-secret <secret>", "the registered app's client secret", EMULATOR_CLIENT.secret)
    .option(
      "--redirect-uri <uri>",
      "a redirect URI registered on the app (repeatable; default lexbridge's http://localhost:4000/oauth/callback)",
      collect,
      [],
    )
    .option(
      "--admin-token <token>",
      "require `Authorization: Bearer <token>` on both admin APIs (always on, generated if not given, when --host is not loopback)",
    )
    .option("--json", "print the endpoints as JSON")
    .action(async (opts) => {
      const adminToken = adminTokenFor(opts.host, opts.adminToken);
      const running = await listening(opts.host, {
        clioPort: opts.clioPort,
        qboPort: opts.qboPort,
        host: opts.host,
        firm: opts.firm,
        seed: opts.seed,
        timeScale: opts.timeScale,
        quotas: opts.quotas,
        autoApprove: Boolean(opts.autoApprove),
        ...(adminToken ? { adminToken } : {}),
        qboCompany: { profile: opts.qboCompany, multiCurrency: Boolean(opts.qboMulticurrency) },
        app: {
          clientId: opts.clientId,
          clientSecret: opts.clientSecret,
          redirectUris:
            opts.redirectUri.length > 0 ? opts.redirectUri : ["http://localhost:4000/oauth/callback"],
        },
      });
      if (adminToken && !isLoopbackHost(opts.host))
        process.stderr.write(
          `lexbridge: warning: the emulators listen on ${opts.host}, reachable from other machines. Their admin API (every record, token minting) answers only requests with the header Authorization: Bearer ${adminToken}\n`,
        );
      print(
        opts.json,
        {
          ...(adminToken ? { adminToken } : {}),
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
          `OAuth app: client id ${opts.clientId}; ${opts.autoApprove ? "authorizations approved at once" : "consent pages on (lexbridge connect clio|qbo)"}`,
          ...(adminToken ? [`Admin API: send Authorization: Bearer ${adminToken}`] : []),
          "Point lexbridge at them: lexbridge sync --clio-base-url <clio> --qbo-base-url <qbo>",
          "Press Ctrl+C to stop.",
        ],
      );
      await waitForSignal();
      await running.close();
    });
}

/** The admin token to require: the one given, else a generated one when listening beyond loopback. */
function adminTokenFor(host: string, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  return isLoopbackHost(host) ? undefined : randomBytes(24).toString("base64url");
}

/** Starts the emulators; an address they cannot listen on is the person's to fix, with a code. */
async function listening(host: string, options: Parameters<typeof startEmulators>[0]) {
  try {
    return await startEmulators(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && /^(EADDRINUSE|EADDRNOTAVAIL|EACCES|ENOTFOUND|EAI_AGAIN|EINVAL)$/.test(code))
      throw new LexError(
        "emulator_listen_failed",
        `Cannot listen on ${host} (Clio port ${options.clioPort}, QuickBooks port ${options.qboPort}): ${code}`,
        { cause: error },
      );
    throw error;
  }
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}
