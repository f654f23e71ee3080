import type { Catalogue } from "./types.ts";

/** Error codes of the sync domain. */
export const syncErrors = {} as const satisfies Catalogue;
