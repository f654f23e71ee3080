import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveConnection } from "../app/connections.ts";
import { qboProvider } from "../app/providers.ts";
import { type Config, loadConfig } from "../core/config.ts";
import { SecretBox } from "../core/secret-box.ts";
import { type RunningClioEmulator, startClioEmulator } from "../emulators/clio/index.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { startQboEmulator } from "../emulators/qbo/index.ts";
import type { Store } from "../store/port.ts";
import { normalizeQboExport } from "./normalize-qbo.ts";

type RunningQbo = Awaited<ReturnType<typeof startQboEmulator>>;

/** The installation key the scale-mode tests seal connections with (LEXBRIDGE_SECRET_KEY). */
export const TEST_INSTALLATION_KEY = SecretBox.generateKey();

/** One small generated firm: its own Clio account (an emulator) and its own company (a realm) in the shared QBO. */
export interface ScaleFirm {
  id: string;
  clio: RunningClioEmulator;
  realmId: string;
  /** The firm's settings (`lexbridge firms add` flags): its Clio host, QBO host and company. */
  settings: Record<string, string>;
}

/** Many firms on one QBO emulator (one realm each) and one Clio emulator each. */
export interface ScaleFirms {
  qbo: RunningQbo;
  firms: ScaleFirm[];
  /** The installation's configuration (data dir, silent logs); firms' settings go over it. */
  config: Config;
  /** A firm's QBO books, normalised (see normalizeQboExport). */
  books(firm: ScaleFirm): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * `quotas`: the providers' real quotas, each minute compressed by `timeScale` (benchmarks); without
 * it Clio's is off and QBO's (far above what a small firm's pass asks) runs at real speed.
 */
export async function startScaleFirms(
  count: number,
  seedBase = 1,
  options: { quotas?: { timeScale: number } } = {},
): Promise<ScaleFirms> {
  const timeScale = options.quotas?.timeScale;
  const qbo = await startQboEmulator({ port: 0, autoApprove: true, ...(timeScale ? { timeScale } : {}) });
  const firms: ScaleFirm[] = [];
  for (let i = 0; i < count; i++) {
    const generated = generateFirm({ size: "small", seed: seedBase + i });
    const clio = await startClioEmulator({
      port: 0,
      ...(timeScale ? { timeScale } : { rateLimitPerMinute: 1_000_000 }),
      autoApprove: true,
      firm: generated,
    });
    const realmId = qbo.emulator.createRealm(`Firm ${i + 1} LLP`);
    qbo.emulator.loadSeed(generated.qbo, realmId);
    const id = `firm-${i + 1}`;
    firms.push({
      id,
      clio,
      realmId,
      settings: { clioBaseUrl: clio.url, qboBaseUrl: qbo.url, qboRealmId: realmId, startDate: "2020-01-01" },
    });
  }
  const config = loadConfig({
    env: {},
    flags: { dataDir: mkdtempSync(join(tmpdir(), "lexbridge-scale-")), logLevel: "silent" },
  });
  return {
    qbo,
    firms,
    config,
    books: (firm) => normalizeQboExport(qbo.emulator.exportState({ volatile: false }), firm.realmId),
    close: async () => {
      for (const firm of firms) await firm.clio.close();
      await qbo.close();
    },
  };
}

/**
 * Stores a firm's QBO connection to its realm, as `lexbridge connect qbo --firm` does after a
 * person picked the company on Intuit's consent page (the emulator's auto-approve always picks
 * the default company, so the firms' other companies are connected here instead).
 */
export async function connectFirmQbo(scale: ScaleFirms, firm: ScaleFirm, store: Store): Promise<void> {
  const provider = qboProvider({ ...scale.config, ...firm.settings } as Config);
  const issued = scale.qbo.emulator.issueTokens(firm.realmId, provider.clientId);
  const now = Date.now();
  await saveConnection(
    store,
    new SecretBox(TEST_INSTALLATION_KEY),
    "qbo",
    {
      provider: "qbo",
      baseUrl: provider.apiBase,
      environment: provider.environment,
      realmId: firm.realmId,
      companyName: `Company of ${firm.id}`,
      oauth: provider.oauth,
      tokens: {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: now + 3_000_000,
      },
      connectedAt: now,
    },
    now,
  );
}

/** A URL for the test server that puts lexbridge's tables in one schema. */
export function schemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
