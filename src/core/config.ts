import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  DASHBOARD_SETTING_KEYS,
  dashboardSettingsPath,
  readDashboardSettings,
} from "./dashboard-settings.ts";
import { LexError } from "./errors.ts";

/** A QuickBooks item's name: 100 characters at most, and no colon (QuickBooks' sub-item separator). */
const itemName = (fallback: string) =>
  z
    .string()
    .trim()
    .min(1, { error: "expected a name" })
    .max(100, { error: "expected 100 characters at most (QuickBooks' limit for an item name)" })
    .regex(/^[^:\t\r\n]+$/, {
      error: "expected no colon, tab or line break (QuickBooks refuses them in a name)",
    })
    .default(fallback);

/**
 * The configuration schema is the single source of truth: each setting's type, default and
 * description live here, and the environment variable names (`LEXBRIDGE_<SNAKE_CASE>`), the CLI
 * flags (`--kebab-case`) and the `--help` text are all derived from it.
 * Precedence: flags > environment > config file > dashboard settings (<dataDir>/settings.json, only
 * the few keys of DASHBOARD_SETTING_KEYS) > defaults.
 */
export const configSchema = z.object({
  dataDir: z.string().min(1).default(".lexbridge").describe("directory for the embedded database and state"),
  databaseUrl: z
    .string()
    .optional()
    .describe(
      "PostgreSQL URL (postgres://user:password@host:5432/database; DATABASE_URL is read too): keeps the data there (scale mode: many firms, chosen with --firm; without firms, as the firm 'default') instead of in the SQLite file in the data dir",
    ),
  firm: z
    .string()
    .optional()
    .describe(
      "scale mode (with databaseUrl): the firm a command acts on, as `lexbridge firms list` shows it",
    ),
  jobLogKeepDays: z.coerce
    .number()
    .int()
    .min(1)
    .default(7)
    .describe(
      "scale mode: days the job log keeps a firm's finished jobs (workers prune it hourly; `lexbridge firms prune` by hand)",
    ),
  jobLogKeepPerFirm: z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe("scale mode: the most finished jobs the job log keeps per firm, newest first"),
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
  qboTrustAccounts: z
    .string()
    .regex(
      /^\s*[^;=|]+?\s*=\s*[^;=|]+?\s*\|\s*[^;=|]+?\s*(;\s*[^;=|]+?\s*=\s*[^;=|]+?\s*\|\s*[^;=|]+?\s*)*;?\s*$/,
      {
        error: "expected clio account=bank account|liability account, separated by ;",
      },
    )
    .optional()
    .describe(
      "existing QuickBooks trust accounts that already hold a Clio trust account's history, as clio account=bank account|liability account (each by name or id), separated by ;; used only when their balance before trustStartDate equals Clio's",
    ),
  qboClass: z
    .string()
    .min(1)
    .optional()
    .describe(
      "QuickBooks class (name or id) put on invoices, credit memos and trust journal entries when the company tracks classes",
    ),
  qboLocation: z
    .string()
    .min(1)
    .optional()
    .describe(
      "QuickBooks location (name or id; QBO's Department) put on invoices, credit memos and trust journal entries when the company tracks locations",
    ),
  trustStartDate: z.iso
    .date()
    .optional()
    .describe(
      "trust cut-over (YYYY-MM-DD): Clio trust movements dated before it are not posted (QuickBooks already holds them)",
    ),
  earlyInvoices: z
    .union([z.boolean(), z.stringbool()], { error: "expected true or false" })
    .default(true)
    .describe(
      "write a new bill's invoice while the line items are still read, once the lines read so far add up to the bill's sub_total (Clio lists line items in no bill order; that sub_total is their sum is unconfirmed, and a line read later only rewrites the invoice in the same pass); false waits until every line item is read",
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
  servicesItemName: itemName("Legal Services (Clio)").describe(
    "name of the QuickBooks item on invoice lines of Clio services (time and flat-rate entries); found by that name, or created as a Service item",
  ),
  expensesItemName: itemName("Expenses (Clio)").describe(
    "name of the QuickBooks item on invoice lines of Clio expenses; found by that name, or created as a Service item",
  ),
  // --- The QuickBooks items and income account of lexbridge's lines (dashboard Settings, issue 12).
  // The defaults are DEFAULT_ITEM_NAMES of src/engine/setup-items.ts (a test keeps them equal).
  taxItemName: itemName("Sales Tax (Clio)").describe(
    "name of the QuickBooks item that carries a Clio bill's tax as a line when the company has sales tax off; found by that name, or created as a Service item",
  ),
  interestItemName: itemName("Interest (Clio)").describe(
    "name of the QuickBooks item on invoice lines of Clio interest; found by that name, or created as a Service item",
  ),
  adjustmentItemName: itemName("Adjustment (Clio)").describe(
    "name of the QuickBooks item of the line that brings an invoice to the Clio bill's total; found by that name, or created as a Service item",
  ),
  creditItemName: itemName("Credits (Clio)").describe(
    "name of the QuickBooks item on the lines of credit memos for Clio credit notes; found by that name, or created as a Service item",
  ),
  qboIncomeAccount: z
    .string()
    .trim()
    .min(1, { error: "expected an account name or id" })
    .max(100, { error: "expected 100 characters at most (QuickBooks' limit for an account name)" })
    .optional()
    .describe(
      "QuickBooks Income account (name or id) of the items lexbridge creates (default: the company's first Income account); items that exist keep theirs",
    ),
  // --- end of the items block.
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

/** "IOLTA=Trust Bank|Trust Liability" → { IOLTA: { bank: "Trust Bank", liability: "Trust Liability" } }. */
export function parseTrustAccountSetting(text: string): Record<string, { bank: string; liability: string }> {
  const out: Record<string, { bank: string; liability: string }> = {};
  for (const pair of text.split(";")) {
    const at = pair.indexOf("=");
    const bar = pair.indexOf("|", at);
    if (at > 0 && bar > at)
      out[pair.slice(0, at).trim()] = {
        bank: pair.slice(at + 1, bar).trim(),
        liability: pair.slice(bar + 1).trim(),
      };
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

/**
 * The conventional names some settings also go by in the environment (below their own
 * LEXBRIDGE_ name): hosting platforms hand an application its database as DATABASE_URL.
 */
const ENV_ALIASES: Partial<Record<ConfigKey, string>> = { databaseUrl: "DATABASE_URL" };

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
  /**
   * The dashboard's settings; by default read from `<dataDir>/settings.json` (the data dir as
   * the other sources set it).
   */
  dashboard?: Record<string, unknown>;
}

/** Where a setting's value comes from, highest precedence first. */
export type ConfigOrigin = "flag" | "environment" | "config file" | "dashboard" | "default";

interface ConfigLayers {
  explicit: Record<string, unknown>;
  dashboard: Record<string, unknown>;
  origins: Record<ConfigKey, ConfigOrigin>;
}

function configLayers(sources: ConfigSources): ConfigLayers {
  const explicit: Record<string, unknown> = { ...readConfigFile(sources.file) };
  const origins = Object.fromEntries(
    configKeys.map((key) => [key, key in explicit ? "config file" : "default"]),
  ) as Record<ConfigKey, ConfigOrigin>;
  for (const key of configKeys) {
    // The alias first, so the LEXBRIDGE_ name wins when both are set.
    for (const name of [ENV_ALIASES[key], envName(key)]) {
      const fromEnv = name === undefined ? undefined : sources.env?.[name];
      if (fromEnv !== undefined && fromEnv !== "") {
        explicit[key] = fromEnv;
        origins[key] = "environment";
      }
    }
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) {
      explicit[key] = fromFlag;
      origins[key] = "flag";
    }
  }
  const dataDir = typeof explicit.dataDir === "string" && explicit.dataDir ? explicit.dataDir : ".lexbridge";
  const dashboard = sources.dashboard ?? readDashboardSettings(dataDir);
  for (const key of DASHBOARD_SETTING_KEYS)
    if (origins[key] === "default" && dashboard[key] !== undefined) origins[key] = "dashboard";
  return { explicit, dashboard, origins };
}

/** Where each setting's value comes from (the Settings page shows a value fixed above it as read-only). */
export function configOrigins(sources: ConfigSources = {}): Record<ConfigKey, ConfigOrigin> {
  return configLayers(sources).origins;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const { explicit, dashboard, origins } = configLayers(sources);
  const merged: Record<string, unknown> = {};
  for (const key of DASHBOARD_SETTING_KEYS) if (dashboard[key] !== undefined) merged[key] = dashboard[key];
  Object.assign(merged, explicit);
  const result = configSchema.strict().safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      const known = configKeys.includes(key as ConfigKey);
      const where =
        known && origins[key as ConfigKey] === "dashboard"
          ? `${key} (the dashboard's ${dashboardSettingsPath(String(merged.dataDir ?? ".lexbridge"))})`
          : known
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
