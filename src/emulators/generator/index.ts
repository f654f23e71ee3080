import type { ClioStateJson } from "../clio/state.ts";
import type { QboSeed } from "../shared/qbo-seed.ts";
import { buildFirm, type FirmCounts, type FirmSize, PROFILES } from "./firm.ts";
import { Prng } from "./prng.ts";
import { buildQboSeed, type QboSeedCounts } from "./qbo.ts";

/** Deterministic law-firm generator: a Clio firm plus the QBO company it meets on first sync. */
export type { FirmCounts, FirmSize } from "./firm.ts";
export { PROFILES } from "./firm.ts";
export type { QboSeedCounts } from "./qbo.ts";
export { futureDisplayName } from "./qbo.ts";

export interface GenerateFirmOptions {
  size: FirmSize;
  seed: number;
  /** First day of the firm's history (YYYY-MM-DD). Default 2022-01-01. */
  startDate?: string;
}

export interface GeneratedFirm {
  /** Loadable by `createClioEmulator({ firm })` or `POST /__admin/import`. */
  clio: ClioStateJson;
  qbo: QboSeed;
  summary: {
    size: FirmSize;
    seed: number;
    startDate: string;
    clio: FirmCounts;
    qbo: QboSeedCounts & { customers: number; vendors: number; invoices: number };
  };
}

export function generateFirm(options: GenerateFirmOptions): GeneratedFirm {
  const startDate = options.startDate ?? "2022-01-01";
  if (!PROFILES[options.size]) throw new Error(`unknown firm size ${options.size}`);
  const { state, counts } = buildFirm(options.size, options.seed, startDate);
  const { seed, counts: qboCounts } = buildQboSeed(state, new Prng(options.seed ^ 0x5eed));
  return {
    clio: state.toJSON(),
    qbo: seed,
    summary: {
      size: options.size,
      seed: options.seed,
      startDate,
      clio: counts,
      qbo: {
        ...qboCounts,
        customers: seed.customers.length,
        vendors: seed.vendors.length,
        invoices: seed.invoices.length,
      },
    },
  };
}
