import type { Catalogue } from "./types.ts";

/** Mistakes in naming Sync Status items: `status --code`, `resync`, `match accept|reject`. */
export const syncStatusErrors = {
  status_unknown_code: {
    kind: "config",
    action: "stop",
    title: "No such Sync Status code",
    cause: "The code given with --code is not one lexbridge ever reports, so no item can have it.",
    fix: "Use a code from docs/errors.md; `lexbridge status` shows the codes of the open items.",
  },
  status_item_not_found: {
    kind: "config",
    action: "stop",
    title: "No such Sync Status item or match",
    cause:
      "The id given names no open Sync Status item (or, for `lexbridge match`, no proposed match of a Clio contact).",
    fix: "Run `lexbridge status` (or `lexbridge match list`) for the ids of the open items and proposed matches.",
  },
  status_item_ambiguous: {
    kind: "config",
    action: "stop",
    title: "The id names two different matches",
    cause:
      "`lexbridge match accept|reject` takes a Sync Status item id or a Clio contact id; this number is both, for two different clients.",
    fix: "Write `#N` for the Sync Status item or `contact:N` for the Clio contact.",
  },
} as const satisfies Catalogue;
