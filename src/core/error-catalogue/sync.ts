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
    fix: "Run `lexbridge match list`, then `lexbridge match accept <clio contact id>` or `lexbridge match reject <clio contact id>`; rejecting creates a new customer.",
  },
  sync_customer_not_synced: {
    kind: "data",
    action: "issue",
    title: "The client's customer is not in QuickBooks yet",
    cause:
      "The bill, payment or credit belongs to a client whose QuickBooks customer could not be created or linked.",
    fix: "Fix the client's own item in Sync Status (`lexbridge status`) first; this item syncs on the next pass.",
  },
  sync_tax_code_missing: {
    kind: "data",
    action: "issue",
    title: "No QuickBooks tax code matches the Clio tax rate",
    cause:
      "In a Canadian, UK or Australian QuickBooks company every invoice line needs a tax code. lexbridge uses the one active code whose rates add up to the line's Clio rate (0 % for untaxed lines); for this rate there is none, or several (0 %: zero-rated, exempt and out of scope all fit).",
    fix: "Name the code in the qboTaxCodes setting as rate=code pairs, e.g. `lexbridge sync --qbo-tax-codes '0=Exempt;14.975=GST/QST QC'`, or add a tax code of that rate in QuickBooks; the bill syncs on the next pass.",
  },
  sync_currency_mismatch: {
    kind: "data",
    action: "issue",
    title: "The bill is not in the QuickBooks company's currency",
    cause:
      "The Clio bill is in a currency other than the company's home currency and multicurrency is off in QuickBooks, or the client's QuickBooks customer has another currency (a customer's currency never changes in QuickBooks). lexbridge never converts an amount at face value.",
    fix: "Turn multicurrency on in QuickBooks (Account and settings → Advanced → Currency; it cannot be turned off again), or bill the client in the home currency in Clio; for a customer in another currency, link the client to a customer in the bill's currency. The bill syncs on the next pass.",
  },
  sync_trust_before_closed_books: {
    kind: "data",
    action: "issue",
    title: "Trust movements fall in QuickBooks' closed books",
    cause:
      "Clio trust movements are dated on or before the closing date of the QuickBooks books; QuickBooks refuses entries there (6210), so lexbridge posts none of them and lists them in this one item.",
    fix: "If QuickBooks already holds that trust history, set trustStartDate to the day after the closing date (e.g. `lexbridge sync --trust-start-date 2026-01-01`); otherwise reopen the period in QuickBooks (Account and settings → Advanced → Close the books). The movements sync on the next pass.",
  },
  sync_trust_opening_mismatch: {
    kind: "data",
    action: "issue",
    title: "The QuickBooks trust account does not hold what the cut-over expects",
    cause:
      "With trustStartDate set, lexbridge compares what the QuickBooks trust liability account holds in journal entries dated before it with Clio. An account mapped by qboTrustAccounts holds the firm's trust history, so it must hold Clio's balance on that date; an account lexbridge found or created must hold nothing then, because lexbridge posts each client's opening balance there. Here the two differ (both amounts are in the item), so nothing of that Clio trust account is posted: history would count twice or be missing.",
    fix: "If QuickBooks holds the trust history in that account, map it (`--qbo-trust-accounts 'IOLTA Trust Account=Client Trust|Client Trust Liability'`) and correct the history in QuickBooks or Clio until the balances agree; if it does not, remove the mapping or rename the QuickBooks account so lexbridge creates its own. The check runs again on the next pass.",
  },
  sync_invoice_not_synced: {
    kind: "data",
    action: "issue",
    title: "The bill's invoice is not in QuickBooks yet",
    cause: "A payment or credit applies to a bill whose invoice could not be written.",
    fix: "Fix the bill's own issue first; the payment or credit syncs on the next pass.",
  },
  sync_customer_inactive: {
    kind: "data",
    action: "issue",
    title: "The client's QuickBooks customer was made inactive",
    cause:
      "Someone made the customer lexbridge linked to this client inactive in QuickBooks. QuickBooks refuses new invoices, payments and journal entries for an inactive customer, and keeps its name, so a new customer cannot be created beside it either.",
    fix: "Re-sync this item: lexbridge makes the customer active again and then sends what waits on it. Or make the customer active in QuickBooks yourself; the next pass notices it.",
  },
  sync_item_inactive: {
    kind: "data",
    action: "issue",
    title: "A QuickBooks item lexbridge uses was made inactive",
    cause:
      "Someone made one of the Service items lexbridge puts on invoice and credit memo lines inactive in QuickBooks. QuickBooks refuses new lines on an inactive item (fault 610) and keeps its name, so lexbridge cannot create another item of that name either.",
    fix: "Re-sync this item: lexbridge makes the QuickBooks item active again and then sends what waits on it. Or make the item active in QuickBooks yourself; the next pass notices it.",
  },
  sync_account_inactive: {
    kind: "data",
    action: "issue",
    title: "A QuickBooks account lexbridge uses was made inactive",
    cause:
      "Someone made an account lexbridge posts to (a trust bank or trust liability account) inactive in QuickBooks. QuickBooks refuses new entries on an inactive account (fault 610) and keeps its name, so lexbridge cannot create another account of that name either.",
    fix: "Re-sync this item: lexbridge makes the QuickBooks account active again and then sends what waits on it. Or make the account active in QuickBooks yourself; the next pass notices it.",
  },
  sync_reference_inactive: {
    kind: "data",
    action: "issue",
    title: "The record waits for a QuickBooks item or account made inactive",
    cause:
      "The invoice, credit memo or trust journal entry would use a QuickBooks item or account that was made inactive in QuickBooks, which QuickBooks refuses.",
    fix: "Re-sync the item or account's own item on the Sync Status page (the message names it); this record syncs right after.",
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
      "The Clio payment changed, or was voided or deleted, but its QuickBooks payment is part of a bank deposit (QBO 6540), which cannot change.",
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
  sync_trust_drift: {
    kind: "data",
    action: "issue",
    title: "QuickBooks trust liability differs from the Clio trust balance",
    cause:
      "The reconciliation found that the trust liability QuickBooks attributes to a client (journal entry lines naming the client's customer) is not the client's trust balance in Clio — usually a trust journal entry edited or deleted in QuickBooks, or a movement that could not sync.",
    fix: "The issue lists the client, the amount and the entries that differ. Re-sync it: lexbridge re-writes the client's trust journal entries from Clio (re-creating deleted ones).",
  },
  sync_balance_drift: {
    kind: "data",
    action: "issue",
    title: "QuickBooks receivables differ from Clio",
    cause:
      "The reconciliation found a client whose synced invoices, payments or open balance in QuickBooks differ from the bills in Clio (for example an invoice or payment changed or deleted in QuickBooks).",
    fix: "The issue lists the records that differ. Re-sync the items named there, or fix the QuickBooks record by hand; the issue closes once the reconciliation agrees.",
  },
  sync_trust_account_missing: {
    kind: "config",
    action: "issue",
    title: "A Clio trust account has no QuickBooks trust accounts",
    cause:
      "A Clio trust bank account is not mapped to a QuickBooks trust bank account and trust liability account, and lexbridge could not create them.",
    fix: "Create (or let `lexbridge sync` create) a Bank account of detail type Trust accounts and an Other Current Liability account of detail type Trust accounts - liabilities, then sync again.",
  },
  sync_trust_account_type: {
    kind: "config",
    action: "issue",
    title: "A trust account in QuickBooks has the wrong type",
    cause:
      "The QuickBooks account mapped to a Clio trust account is not a Bank account with detail type TrustAccounts (or, for the liability, not an Other Current Liability with detail type TrustAccountsLiabilities), so journal entries would post trust money to the wrong kind of account.",
    fix: "Change the account's type in QuickBooks (or rename it so lexbridge creates a correctly typed one), then run `lexbridge doctor` again.",
  },
  sync_trust_transfer_unpaired: {
    kind: "data",
    action: "issue",
    title: "A trust transfer leg has no matching leg yet",
    cause:
      "The Clio trust transaction is one leg of a transfer between two ledgers, and no other transaction matches it as the other leg: the same trust account, date and amount, the opposite direction, another matter or client. Clio names no transfer on its transactions, so lexbridge pairs the legs from these fields (docs/trust.md); a leg read before its partner waits for it.",
    fix: "Usually nothing: the item closes when the other leg is read, on a later pass. If it stays, open the transfer in Clio: a transfer to another bank account, or one leg edited without the other, cannot pair. Correct it in Clio and sync; lexbridge never posts half a transfer.",
  },
  sync_trust_transfer_ambiguous: {
    kind: "data",
    action: "issue",
    title: "A trust transfer leg could pair with several transactions",
    cause:
      "Several transactions could be the other leg of this transfer leg (the same trust account, date and amount, the opposite direction, another matter or client), and neither transaction type, description, reference, creation time nor adjacent ids tell them apart.",
    fix: "The item names the candidates. Give the transfers different descriptions in Clio (or correct a wrong date or amount), then sync; lexbridge never guesses which legs belong together.",
  },
} as const satisfies Catalogue;
