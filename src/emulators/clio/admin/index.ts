import type { Hono } from "hono";
import type { ClioEmulator } from "../app.ts";
import { registerAdminMoney } from "./money.ts";
import { registerAdminSystem } from "./system.ts";

/**
 * The admin API under `/__admin`: what a firm does in Clio's web app that the public API does not
 * offer (bills, payments, credits, trust), plus reset, export/import, faults, latency and quotas.
 * Documented with examples in docs/emulators-clio.md.
 */
export const ADMIN_PREFIX = "/__admin";

export function registerAdmin(app: Hono, emulator: ClioEmulator): void {
  registerAdminSystem(app, emulator);
  registerAdminMoney(app, emulator);
}
