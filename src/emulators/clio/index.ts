import { serve } from "@hono/node-server";
import { guardAdminApi } from "../shared/admin-guard.ts";
import { type ClioEmulator, type ClioEmulatorOptions, createClioEmulator } from "./app.ts";

/** Public entry of the Clio Manage v4 emulator. */
export type { ClioEmulator, ClioEmulatorOptions } from "./app.ts";
export { createClioEmulator, emptyState } from "./app.ts";
export type { ClioEmulatorConfig, ClioRegion } from "./config.ts";
export type { FaultKind, FaultRule } from "./faults.ts";
export type { ClioStateJson } from "./state.ts";
export { ClioState } from "./state.ts";

export interface StartClioEmulatorOptions extends Omit<ClioEmulatorOptions, "firm"> {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** When set, the admin API answers only requests with `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** A generated firm (`generateFirm(...)`) or a state export. */
  firm?: { clio: NonNullable<ClioEmulatorOptions["firm"]> } | ClioEmulatorOptions["firm"];
}

export interface RunningClioEmulator {
  url: string;
  emulator: ClioEmulator;
  close(): Promise<void>;
}

export async function startClioEmulator(
  options: StartClioEmulatorOptions = {},
): Promise<RunningClioEmulator> {
  const { port = 0, host = "127.0.0.1", firm, adminToken, ...rest } = options;
  const state = firm && "clio" in firm ? firm.clio : firm;
  const emulator = createClioEmulator({ ...rest, ...(state ? { firm: state } : {}) });
  return new Promise((resolve, reject) => {
    const fetch = guardAdminApi(emulator.app.fetch, adminToken);
    const server = serve({ fetch, port, hostname: host }, (info) => {
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${info.port}`;
      resolve({
        url,
        emulator,
        close: () =>
          new Promise<void>((done, fail) => {
            emulator.webhooks.reset();
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
    server.once("error", reject);
  });
}
