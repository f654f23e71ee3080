import type { Catalogue } from "./types.ts";

/** Error codes raised by the sync engine itself (Sync Status issues that are not provider faults). */
export const syncErrors = {
  sync_total_mismatch: {
    kind: "data",
    action: "issue",
    title: "Invoice total differs from the Clio bill",
    cause: "After writing, the QuickBooks invoice total did not equal the Clio bill total to the cent.",
    fix: "Open both records and compare lines; a QuickBooks tax setting or item that adds amounts is the usual cause. Re-sync after fixing.",
  },
  sync_customer_ambiguous: {
    kind: "data",
    action: "issue",
    title: "Several QuickBooks customers match this client",
    cause: "More than one QuickBooks customer has the same name and primary email as the Clio client.",
    fix: "Merge or rename the duplicates in QuickBooks (or make one inactive), then re-sync; lexbridge never guesses.",
  },
  sync_match_review: {
    kind: "data",
    action: "issue",
    title: "A possible match waits for review",
    cause:
      "A QuickBooks customer looks like this Clio client (same name or same email) but is not an exact match.",
    fix: "Run `lexbridge match` (or use the dashboard) to accept the match or reject it; rejecting creates a new customer.",
  },
  sync_customer_not_synced: {
    kind: "data",
    action: "issue",
    title: "The client's customer is not in QuickBooks yet",
    cause:
      "The bill, payment or credit belongs to a client whose QuickBooks customer could not be created or linked.",
    fix: "Fix the client's own issue on the Sync Status page first; this item syncs on the next pass.",
  },
  sync_invoice_not_synced: {
    kind: "data",
    action: "issue",
    title: "The bill's invoice is not in QuickBooks yet",
    cause: "A payment or credit applies to a bill whose invoice could not be written.",
    fix: "Fix the bill's own issue first; the payment or credit syncs on the next pass.",
  },
  sync_link_broken: {
    kind: "data",
    action: "issue",
    title: "The linked QuickBooks record was deleted or made inactive",
    cause: "A record lexbridge wrote was deleted, voided or made inactive in QuickBooks.",
    fix: "Re-sync the item to re-create (or re-activate and re-link) it from Clio.",
  },
  sync_doc_number_too_long: {
    kind: "data",
    action: "issue",
    title: "Bill number too long for QuickBooks",
    cause: "QuickBooks invoice numbers hold at most 21 characters; the Clio bill number is longer.",
    fix: "Shorten the bill number in Clio, then re-sync.",
  },
  sync_payment_deposited: {
    kind: "data",
    action: "issue",
    title: "Payment already deposited in QuickBooks",
    cause:
      "The Clio payment changed or was voided, but its QuickBooks payment is part of a bank deposit (QBO 6540), which cannot change.",
    fix: "Remove the payment from the deposit in QuickBooks (or delete the deposit), then re-sync; nothing was half-changed.",
  },
  sync_contact_write_failed: {
    kind: "data",
    action: "issue",
    title: "Could not write a QuickBooks change back to Clio",
    cause: "Clio refused the contact update made from a QuickBooks edit.",
    fix: "The message gives Clio's reason. Correct the value in QuickBooks or Clio, then re-sync.",
  },
  sync_mapping_failed: {
    kind: "data",
    action: "issue",
    title: "The record cannot be expressed in QuickBooks",
    cause: "A value of the Clio record breaks a QuickBooks rule that lexbridge cannot fix by cleaning.",
    fix: "The message names the field; correct it in Clio and re-sync.",
  },
  sync_setup_failed: {
    kind: "config",
    action: "stop",
    title: "QuickBooks setup is incomplete",
    cause: "A required item or account could not be found or created in the QuickBooks company.",
    fix: "Run `lexbridge doctor` for the details, fix the company settings, and sync again.",
  },
} as const satisfies Catalogue;
