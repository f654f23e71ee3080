/**
 * One entry of the error catalogue. Every code the product can report has exactly one entry;
 * `docs/errors.md` is rendered from these entries (scripts/render-errors-doc.ts) and a test fails
 * when the two drift apart.
 */
export type ErrorKind = "config" | "transient" | "data" | "system";

/** What the caller should do about an error: the engine's single decision table uses this. */
export type ErrorAction = "retry" | "refresh_then_retry" | "issue" | "stop";

export interface CatalogueEntry {
  kind: ErrorKind;
  action: ErrorAction;
  /** Plain-language title shown on the Sync Status page. */
  title: string;
  /** Why it happens. */
  cause: string;
  /** What the user (or operator) does about it. */
  fix: string;
}

export type Catalogue = Record<string, CatalogueEntry>;
