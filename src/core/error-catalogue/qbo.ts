import type { Catalogue } from "./types.ts";

/** Error codes of the qbo domain. */
export const qboErrors = {} as const satisfies Catalogue;
