import type { Catalogue } from "./types.ts";

/** Error codes of the clio domain. */
export const clioErrors = {} as const satisfies Catalogue;
