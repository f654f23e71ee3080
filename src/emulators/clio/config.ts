/**
 * Emulator settings. Where clio-api.md marks a behaviour UNCONFIRMED it is a switch here, with the
 * most likely value as the default.
 */
export type ClioRegion = "us" | "eu" | "ca" | "au";

export interface ClioEmulatorConfig {
  region: ClioRegion;
  /** Requests per access token per window (§3; 50 at peak). */
  rateLimitPerMinute: number;
  /** >1 shortens the 60 s window (benchmarks): the window lasts 60 000 / timeScale ms. */
  timeScale: number;
  /** Version used when X-API-VERSION is absent (§1.2). */
  defaultVersion: string;
  /** Versions accepted; any other value → 410. */
  supportedVersions: string[];
  /** updated_since / created_since: false = strictly after (default), true = at or after. UNCONFIRMED. */
  sinceInclusive: boolean;
  /** OAuth access-token lifetime in seconds (§1.3: 30 days). */
  tokenExpiresIn: number;
  /** When true only apps registered through the admin API may use OAuth. */
  requireRegisteredApps: boolean;
  /** Approve authorizations at once instead of showing the consent page (demo, tests). */
  autoApprove: boolean;
  /** The firm's name (the Clio "Account" of every user, as `who_am_i` shows it). */
  firmName: string;
  /** Webhook retry: first retry delay (ms), doubling, at most `webhookRetries` retries (§5.9). */
  webhookBackoffMs: number;
  webhookRetries: number;
  /** UNCONFIRMED: some live accounts auto-complete the handshake. */
  autoCompleteHandshake: boolean;
  /** How long a delivery may take before it counts as failed. */
  webhookTimeoutMs: number;
  /** Unfiltered bill lists include void and deleted bills (UNCONFIRMED; default true). */
  listVoidAndDeletedBills: boolean;
  /**
   * Answer 400 to any query parameter or `fields` name Clio's spec does not declare, as the real
   * API does (§2.2), so nothing passes here that would fail against Clio (strict-spec.ts). Off,
   * the emulator accepts whatever it models.
   */
  strictSpec: boolean;
}

export const SUPPORTED_VERSIONS = [
  "4.0.0",
  "4.0.1",
  "4.0.2",
  "4.0.3",
  "4.0.4",
  "4.0.5",
  "4.0.6",
  "4.0.7",
  "4.0.8",
  "4.0.9",
  "4.0.10",
  "4.0.11",
  "4.0.12",
  "4.0.13",
];

export function defaultConfig(overrides: Partial<ClioEmulatorConfig> = {}): ClioEmulatorConfig {
  return {
    region: "us",
    rateLimitPerMinute: 50,
    timeScale: 1,
    defaultVersion: "4.0.9",
    supportedVersions: SUPPORTED_VERSIONS,
    sinceInclusive: false,
    tokenExpiresIn: 2_592_000,
    requireRegisteredApps: false,
    autoApprove: false,
    firmName: "Emulated Law Firm LLP",
    webhookBackoffMs: 120_000,
    webhookRetries: 5,
    autoCompleteHandshake: false,
    webhookTimeoutMs: 10_000,
    listVoidAndDeletedBills: true,
    strictSpec: true,
    ...overrides,
  };
}

/** Compares dotted versions numerically ("4.0.10" > "4.0.9"). */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}
