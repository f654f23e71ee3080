import type { ContactFields } from "../mapping/contact-fields.ts";
import type { CreditMemoBaseline, Link } from "../store/port.ts";

/**
 * What the engine asks of a link's explicit fields (store/port.ts): its state, its content hash,
 * whether QBO changed the record since lexbridge wrote it, and its typed baseline.
 */

/** A link whose QBO record is there: in use, or voided by lexbridge. */
export type HeldLink = Link & { state: "linked" | "voided" };

/** QBO still holds the linked record: in use, or voided by lexbridge (a voided record stays in QBO). */
export function holdsQboRecord(link: Link | undefined): link is HeldLink {
  return link?.state === "linked" || link?.state === "voided";
}

/** QBO holds exactly the content this hash describes: nothing to write. */
export function alreadyWritten(link: Link | undefined, hash: string): boolean {
  return link?.state === "linked" && link.qboEditedAt === null && link.contentHash === hash;
}

/** A void is due: the record is in use, or lexbridge voided it and it was changed in QBO since. */
export function voidDue(link: Link | undefined): link is HeldLink {
  return link?.state === "linked" || (link?.state === "voided" && link.qboEditedAt !== null);
}

/** A contact's merge base: the values last synced, or null before the first sync. */
export function contactBaseline(link: Link | null | undefined): ContactFields | null {
  return link?.baseline?.kind === "contact" ? link.baseline.fields : null;
}

/** The fingerprint of the invoice last written, if any. */
export function invoiceBaseline(link: Link): string | undefined {
  return link.baseline?.kind === "invoice" ? link.baseline.fingerprint : undefined;
}

/** The applications and date a credit memo was last written with. */
export function creditMemoBaseline(link: Link): Omit<CreditMemoBaseline, "kind"> {
  return link.baseline?.kind === "credit_memo" ? link.baseline : { applications: [], date: "" };
}
