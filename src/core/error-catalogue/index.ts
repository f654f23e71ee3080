import { clioErrors } from "./clio.ts";
import { connectErrors } from "./connect.ts";
import { firmErrors } from "./firms.ts";
import { generalErrors } from "./general.ts";
import { httpErrors } from "./http.ts";
import { localErrors } from "./local.ts";
import { qboErrors } from "./qbo.ts";
import { syncErrors } from "./sync.ts";
import { syncStatusErrors } from "./sync-status.ts";
import type { Catalogue, CatalogueEntry } from "./types.ts";

export type { Catalogue, CatalogueEntry, ErrorAction, ErrorKind } from "./types.ts";

/**
 * The fixed list of error codes. Each provider or domain keeps its entries in a file of its own;
 * this object is their union, so a code exists exactly when it has cause and fix text.
 */
export const errorCatalogue = {
  ...generalErrors,
  ...localErrors,
  ...httpErrors,
  ...qboErrors,
  ...clioErrors,
  ...connectErrors,
  ...firmErrors,
  ...syncErrors,
  ...syncStatusErrors,
} as const satisfies Catalogue;

export type ErrorCode = keyof typeof errorCatalogue;

export function catalogueEntry(code: ErrorCode): CatalogueEntry {
  return errorCatalogue[code];
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCatalogue, value);
}
