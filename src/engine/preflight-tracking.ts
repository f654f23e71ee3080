/**
 * `lexbridge doctor`, issue 14: class and location tracking (setup-tracking.ts) — whether the
 * company tracks them, whether the settings name what it has, and what breaks if not.
 */
import { isLexError } from "../core/errors.ts";
import type { CompanyTax } from "../mapping/company-tax.ts";
import type { EngineDeps } from "./ports.ts";
import type { PreflightCheck } from "./preflight.ts";
import { findTrackingId } from "./setup-tracking.ts";

export async function trackingChecks(deps: EngineDeps, tax: CompanyTax): Promise<PreflightCheck[]> {
  return [
    await check(deps, {
      id: "class-tracking",
      what: "class",
      entity: "Class",
      setting: "qboClass",
      wanted: deps.settings.trackingClass,
      tracked: tax.classTracking
        ? tax.classTracking === "line"
          ? "a class on each line"
          : "one class per transaction"
        : undefined,
    }),
    await check(deps, {
      id: "location-tracking",
      what: "location",
      entity: "Department",
      setting: "qboLocation",
      wanted: deps.settings.trackingLocation,
      tracked: tax.trackLocations ? "a location per transaction" : undefined,
    }),
  ];
}

async function check(
  deps: EngineDeps,
  c: {
    id: string;
    what: string;
    entity: "Class" | "Department";
    setting: string;
    wanted: string | undefined;
    tracked: string | undefined;
  },
): Promise<PreflightCheck> {
  const base = { id: c.id };
  if (!c.tracked)
    return c.wanted
      ? {
          ...base,
          status: "warn",
          summary: `${c.setting} is "${c.wanted}" but QuickBooks does not track ${c.what}s`,
          impact: `It is not sent. Turn on ${c.what} tracking in QuickBooks (Account and settings → Advanced → Categories) if the firm reports by ${c.what}, or remove the setting.`,
        }
      : { ...base, status: "ok", summary: `QuickBooks does not track ${c.what}s`, impact: "" };
  if (!c.wanted)
    return {
      ...base,
      status: "warn",
      summary: `QuickBooks tracks ${c.tracked}, and ${c.setting} is not set`,
      impact: `Invoices, credit memos and trust journal entries lexbridge writes have no ${c.what}: QuickBooks files them as unclassified, and reports by ${c.what} leave them out until someone assigns one in QuickBooks. Set ${c.setting} to the ${c.what} they belong to.`,
    };
  try {
    const id = await findTrackingId(deps, c.entity, c.wanted, c.setting);
    return {
      ...base,
      status: "ok",
      summary: `QuickBooks tracks ${c.tracked}: lexbridge sends ${c.what} "${c.wanted}" (id ${id})`,
      impact: "",
    };
  } catch (error) {
    if (!isLexError(error)) throw error;
    return {
      ...base,
      status: "fail",
      summary: error.message,
      impact: `No sync pass runs until ${c.setting} names an active ${c.what} (or is unset, and what lexbridge writes has no ${c.what}).`,
    };
  }
}
