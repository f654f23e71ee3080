import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig } from "../core/config.ts";
import {
  type RunningClioEmulator,
  type StartClioEmulatorOptions,
  startClioEmulator,
} from "../emulators/clio/index.ts";
import { startQboEmulator } from "../emulators/qbo/index.ts";

type RunningQbo = Awaited<ReturnType<typeof startQboEmulator>>;

export interface EmulatorPair {
  clio: RunningClioEmulator;
  qbo: RunningQbo;
  config: Config;
  /** The flags that point a `lexbridge` process at this pair (URLs, data dir, silent logs). */
  cliFlags: string[];
  /** POST/PATCH/… to an emulator's admin API over HTTP, returning the parsed JSON. */
  clioAdmin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  qboAdmin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/__admin${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Both emulators on free ports (real HTTP), and a config pointing lexbridge at them. */
export async function startEmulatorPair(
  options: { clio?: StartClioEmulatorOptions; qbo?: Parameters<typeof startQboEmulator>[0] } = {},
): Promise<EmulatorPair> {
  // Quotas are exercised by their own tests and the benchmark; here they would only slow passes down.
  // The engine connects itself to emulators that approve at once; consent pages have their own tests.
  const clio = await startClioEmulator({
    port: 0,
    rateLimitPerMinute: 1_000_000,
    autoApprove: true,
    ...options.clio,
  });
  const qbo = await startQboEmulator({ port: 0, autoApprove: true, ...options.qbo });
  const dataDir = mkdtempSync(join(tmpdir(), "lexbridge-e2e-"));
  const config = loadConfig({
    flags: {
      dataDir,
      clioBaseUrl: clio.url,
      qboBaseUrl: qbo.url,
      logLevel: "silent",
      startDate: "2020-01-01",
    },
  });
  return {
    clio,
    qbo,
    config,
    cliFlags: [
      "--clio-base-url",
      clio.url,
      "--qbo-base-url",
      qbo.url,
      "--data-dir",
      dataDir,
      "--log-level",
      "silent",
    ],
    clioAdmin: (method, path, body) => call(clio.url, method, path, body),
    qboAdmin: (method, path, body) => call(qbo.url, method, path, body),
    close: async () => {
      await clio.close();
      await qbo.close();
    },
  };
}
