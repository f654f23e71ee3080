/**
 * The QBO emulator: `createQboEmulator` gives the Hono app for in-process use (`app.request`),
 * `startQboEmulator` serves it on a port. See docs/emulators-qbo.md.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Clock } from "../../core/clock.ts";
import { guardAdminApi } from "../shared/admin-guard.ts";
import type { QboSeed } from "../shared/qbo-seed.ts";
import { RESET_MARKER } from "./api.ts";
import { ADMIN_PREFIX, buildApp } from "./app.ts";
import type { CompanyOptions } from "./company.ts";
import { createCore, type EmulatorCore, type QboEmulatorOptions } from "./core.ts";
import { type ExportOptions, exportState, importState } from "./export.ts";
import { issueTokens } from "./oauth.ts";
import { loadQboSeed, type SeedResult } from "./seed.ts";
import type { Obj } from "./state.ts";

export type { CompanyOptions } from "./company.ts";
export type { CompanyProfileId } from "./company-profiles.ts";
export type { QboEmulatorOptions } from "./core.ts";
export type { FaultRule } from "./fault-injection.ts";
export type { QuotaConfig } from "./quotas.ts";
export { signPayload } from "./webhooks.ts";
export { ADMIN_PREFIX };

export interface QboEmulator {
  app: Hono;
  core: EmulatorCore;
  /** The live state (realms, records, OAuth). */
  readonly state: EmulatorCore["state"];
  readonly defaultRealmId: string;
  /** A fetch that calls the app in-process; injected connection resets throw like a real fetch. */
  fetch: typeof fetch;
  /** Mints an access/refresh token pair for a realm without the browser flow. */
  issueTokens(
    realmId?: string,
    clientId?: string,
  ): { access_token: string; refresh_token: string; realmId: string };
  createRealm(companyName?: string, company?: CompanyOptions): string;
  loadSeed(seed: QboSeed, realmId?: string): SeedResult;
  exportState(options?: ExportOptions): Obj;
  importState(state: Obj): void;
  reset(): void;
  /** Stops webhook timers. */
  close(): void;
}

export function createQboEmulator(options: QboEmulatorOptions = {}): QboEmulator {
  const core = createCore(options);
  const app = buildApp(core);
  const inProcessFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const res = await app.request(request);
    if (res.headers.get(RESET_MARKER)) {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      });
    }
    return res;
  }) as typeof fetch;
  return {
    app,
    core,
    get state() {
      return core.state;
    },
    get defaultRealmId() {
      return core.state.defaultRealmId;
    },
    fetch: inProcessFetch,
    issueTokens: (realmId, clientId) =>
      issueTokens(core, realmId ?? core.state.defaultRealmId, clientId ?? "test"),
    createRealm: (name, company) => core.createRealm(name, undefined, company).realmId,
    loadSeed(seed, realmId) {
      const realm = core.realm(realmId ?? core.state.defaultRealmId);
      if (!realm) throw new Error(`Unknown realm ${realmId}`);
      return loadQboSeed(core, realm, seed);
    },
    exportState: (opts) => exportState(core, opts),
    importState: (s) => importState(core, s),
    reset: () => core.reset(),
    close: () => core.webhooks.stop(),
  };
}

export interface StartOptions extends QboEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  clock?: Clock;
  seed?: QboSeed;
  /** When set, the admin API answers only requests with `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
}

export interface RunningQboEmulator {
  url: string;
  defaultRealmId: string;
  emulator: QboEmulator;
  close(): Promise<void>;
}

export function startQboEmulator(options: StartOptions = {}): Promise<RunningQboEmulator> {
  const emulator = createQboEmulator(options);
  if (options.seed) emulator.loadSeed(options.seed);
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: guardAdminApi(emulator.app.fetch, options.adminToken),
        port: options.port ?? 0,
        hostname: host,
      },
      (info: AddressInfo) => {
        const shownHost = host.includes(":") ? `[${host}]` : host;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          defaultRealmId: emulator.defaultRealmId,
          emulator,
          close: () =>
            new Promise<void>((done) => {
              emulator.close();
              const s = server as unknown as {
                closeAllConnections?: () => void;
                close(cb: () => void): void;
              };
              s.closeAllConnections?.();
              s.close(() => done());
            }),
        });
      },
    );
    server.once("error", reject);
  });
}

export { loadQboSeed } from "./seed.ts";
