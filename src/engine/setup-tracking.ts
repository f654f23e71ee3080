/**
 * The `qboClass` and `qboLocation` settings, resolved at the start of a pass against the company's
 * Class and Department lists, for what the company tracks (mapping/tracking.ts). A setting for
 * something the company does not track is not sent (doctor says so); a setting naming no active
 * class or location stops the pass before anything is written, like `qboDepositAccount`.
 */
import { LexError } from "../core/errors.ts";
import type { CompanyTax } from "../mapping/company-tax.ts";
import type { Tracking } from "../mapping/tracking.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { EngineDeps } from "./ports.ts";

export async function resolveTracking(
  deps: EngineDeps,
  company: Pick<CompanyTax, "classTracking" | "trackLocations">,
): Promise<Tracking> {
  const out: Tracking = {};
  if (company.classTracking && deps.settings.trackingClass) {
    out.classId = await findTrackingId(deps, "Class", deps.settings.trackingClass, "qboClass");
    if (company.classTracking === "line") out.classPerLine = true;
  }
  if (company.trackLocations && deps.settings.trackingLocation)
    out.departmentId = await findTrackingId(
      deps,
      "Department",
      deps.settings.trackingLocation,
      "qboLocation",
    );
  return out;
}

/** The id of the active class or location named (or numbered) by a setting. */
export async function findTrackingId(
  deps: EngineDeps,
  entity: "Class" | "Department",
  wanted: string,
  setting: string,
): Promise<string> {
  for await (const r of deps.qbo.queryAll<typeof entity>(qboQuery(entity)))
    if (String(r.Id) === wanted || r.Name === wanted || r.FullyQualifiedName === wanted) return String(r.Id);
  const what = entity === "Class" ? "class" : "location";
  throw new LexError(
    "sync_setup_failed",
    `QuickBooks has no active ${what} "${wanted}" (the ${setting} setting)`,
  );
}
