import { readFileSync } from "node:fs";
import { z } from "zod";
import { LexError } from "./errors.ts";

/**
 * The configuration schema is the single source of truth: each setting's type, default and
 * description live here, and the environment variable names (`LEXBRIDGE_<SNAKE_CASE>`), the CLI
 * flags (`--kebab-case`) and the `--help` text are all derived from it.
 * Precedence: flags > environment > config file > defaults.
 */
export const configSchema = z.object({
  dataDir: z.string().min(1).default(".lexbridge").describe("directory for the embedded database and state"),
  databaseUrl: z
    .string()
    .optional()
    .describe(
      "reserved for PostgreSQL storage, which this version does not have: leave unset (the embedded SQLite file in the data dir is used)",
    ),
  logLevel: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe(
      "level of the log file <dataDir>/logs/lexbridge.log; warnings and errors also show on the terminal",
    ),
  clioRegion: z
    .enum(["us", "ca", "eu", "au"])
    .optional()
    .describe("Clio region (us, ca, eu, au); default: the region of clioBaseUrl, else us"),
  clioBaseUrl: z
    .url()
    .optional()
    .describe("Clio Manage base URL: a region's host or an emulator (default: the region's host)"),
  clioClientId: z.string().min(1).optional().describe("Clio OAuth app client id (the app's key)"),
  clioClientSecret: z.string().min(1).optional().describe("Clio OAuth app client secret"),
  qboEnvironment: z
    .enum(["production", "sandbox"])
    .default("production")
    .describe("QuickBooks environment when qboBaseUrl is not set: production or sandbox (development keys)"),
  qboBaseUrl: z
    .url()
    .optional()
    .describe("QuickBooks Online API base URL: Intuit's production or sandbox host, or an emulator"),
  qboRealmId: z.string().optional().describe("QuickBooks company (realm) id; set by `lexbridge connect qbo`"),
  qboClientId: z.string().min(1).optional().describe("QuickBooks OAuth app client id"),
  qboClientSecret: z.string().min(1).optional().describe("QuickBooks OAuth app client secret"),
  redirectUri: z
    .url()
    .optional()
    .describe(
      "OAuth redirect URI registered on both apps; `lexbridge connect` listens on it (default http://localhost:<port>/oauth/callback)",
    ),
  startDate: z.iso.date().optional().describe("sync bills issued on or after this date (YYYY-MM-DD)"),
  qboTaxCodes: z
    .string()
    .regex(/^\s*(\d+(\.\d{1,3})?\s*=\s*[^;=]+?\s*)(;\s*\d+(\.\d{1,3})?\s*=\s*[^;=]+?\s*)*;?\s*$/, {
      error: "expected rate=code pairs separated by ;, e.g. 0=Exempt;14.975=GST/QST QC",
    })
    .optional()
    .describe(
      "QuickBooks tax code (name or id) per Clio tax rate, as rate=code pairs separated by ; (0 = untaxed lines), for rates no single code matches; e.g. 0=Exempt;13=HST ON",
    ),
  qboDepositAccount: z
    .string()
    .min(1)
    .optional()
    .describe(
      "QuickBooks account (name or id) Clio payments are deposited to: a Bank or Other Current Asset account (default Undeposited Funds)",
    ),
  trustStartDate: z.iso
    .date()
    .optional()
    .describe(
      "trust cut-over (YYYY-MM-DD): Clio trust movements dated before it are not posted (QuickBooks already holds them)",
    ),
  syncIntervalSeconds: z.coerce
    .number()
    .int()
    .min(10)
    .default(300)
    .describe("seconds between periodic sync passes"),
  clioIdCompareHours: z.coerce
    .number()
    .min(0)
    .default(24)
    .describe(
      "hours between complete compares of Clio's bill, payment and credit memo ids with the synced ones, which find deletions no changed bill reveals (0: every pass)",
    ),
  reconcileFullHours: z.coerce
    .number()
    .min(0)
    .default(24)
    .describe(
      "hours between full reconciliations after a sync pass; in between, a pass reconciles only the clients it touched (0: every pass)",
    ),
  conflictPolicy: z
    .enum(["latest-wins", "clio-wins", "qbo-wins"])
    .default("latest-wins")
    .describe("which edit wins when a contact field changed on both sides"),
  httpTimeoutMs: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe("per-request timeout in milliseconds"),
  port: z.coerce.number().int().min(0).max(65_535).default(4000).describe("dashboard / webhook port"),
  publicUrl: z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://sync.example.com" })
    .optional()
    .describe(
      "the address Clio reaches `lexbridge serve` at (https; /webhooks/clio is added): set it to receive Clio webhooks",
    ),
  qboWebhookVerifierToken: z
    .string()
    .min(1)
    .optional()
    .describe(
      "the verifier token of the QuickBooks app's webhooks (developer portal): set it to receive them",
    ),
  metricsToken: z
    .string()
    .min(16, { error: "expected at least 16 characters" })
    .optional()
    .describe("bearer token for /metrics from other machines; without it /metrics answers only on loopback"),
  trustProxy: z
    .union([z.boolean(), z.stringbool()], { error: "expected true or false" })
    .default(false)
    .describe(
      "true when `lexbridge serve` runs behind a reverse proxy that sets X-Forwarded-Proto (then https there makes the session cookie Secure)",
    ),
});

export type Config = z.infer<typeof configSchema>;

/** "0=Exempt;13=HST ON" → { "0": "Exempt", "13": "HST ON" } (the config schema checked the form). */
export function parseTaxCodeSetting(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

export type ConfigKey = keyof Config;

export const configKeys = Object.keys(configSchema.shape) as ConfigKey[];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function envName(key: ConfigKey): string {
  return `LEXBRIDGE_${snake(key)}`;
}

export function flagName(key: ConfigKey): string {
  return `--${kebab(key)}`;
}

export interface ConfigOptionHelp {
  key: ConfigKey;
  flag: string;
  env: string;
  description: string;
  defaultValue: unknown;
}

/** One entry per setting, for `--help` and docs/operations.md. */
export function describeConfig(): ConfigOptionHelp[] {
  return configKeys.map((key) => {
    const schema = configSchema.shape[key];
    const parsed = schema.safeParse(undefined);
    return {
      key,
      flag: flagName(key),
      env: envName(key),
      description: schema.description ?? "",
      defaultValue: parsed.success ? parsed.data : undefined,
    };
  });
}

export interface ConfigSources {
  /** Path of a JSON config file; a missing file is an error only when named explicitly. */
  file?: string;
  env?: Record<string, string | undefined>;
  /** Values from CLI flags, keyed by config key (commander's camelCase option names). */
  flags?: Partial<Record<ConfigKey, unknown>>;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const merged: Record<string, unknown> = { ...readConfigFile(sources.file) };
  for (const key of configKeys) {
    const fromEnv = sources.env?.[envName(key)];
    if (fromEnv !== undefined && fromEnv !== "") merged[key] = fromEnv;
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) merged[key] = fromFlag;
  }
  const result = configSchema.strict().safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      const where = configKeys.includes(key as ConfigKey)
        ? `${key} (${flagName(key as ConfigKey)} / ${envName(key as ConfigKey)})`
        : key || "config";
      return `${where}: ${issue.message}`;
    });
    throw new LexError("config_invalid", `Invalid configuration: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
  return result.data;
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new LexError("config_invalid", `Cannot read config file ${path}`, { cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new LexError("config_invalid", `Config file ${path} is not a JSON object`, { cause });
  }
}
